/**
 * The random draws of one MCMC iteration, all derived from one key: the
 * i-th request draws from `fold(key, i)` (momenta with `normal`, coin flips
 * and Metropolis tests with `uniform`), so an iteration is a pure function of
 * its key.
 *
 * The key is kept as two words and folded without allocating; draws made
 * from a parent key and an index derive their key on first use, so draws an
 * iteration never requests cost nothing.
 *
 * @module
 */
import { assertRandomKey, threefry2x32Into, wordsToUniform, type RandomKey } from "../../tensor/random/index.js";
import { normalWordsInto } from "../../tensor/random/streams.js";

/** 2^32. */
const TWO32 = 4294967296;

/** Scratch Threefry block (every use reads it back at once). */
const block = new Uint32Array(2);

/** Successive independent draws from one key. */
export class KeyDraws {
  private counter = 0;
  /** The key's words, once derived. */
  private k0 = 0;
  private k1 = 0;
  private ready = false;

  /**
   * Draws from `key`, or, with `index`, from `fold(key, index)` (derived on
   * first use; `index` must be a non-negative safe integer).
   */
  constructor(
    private readonly key: RandomKey,
    private readonly index = -1,
  ) {
    assertRandomKey(key, "KeyDraws");
    if (index !== -1 && !(Number.isSafeInteger(index) && index >= 0)) {
      throw new RangeError(`KeyDraws: index must be a non-negative safe integer, got ${String(index)}`);
    }
  }

  /** Sets the scratch block to fold(key, counter) and advances the counter (the key derived first if needed). */
  private next(): Uint32Array {
    if (!this.ready) {
      if (this.index === -1) {
        this.k0 = this.key[0];
        this.k1 = this.key[1];
      } else {
        // fold(key, i) is Threefry of the counter (high word of i, low word of i).
        threefry2x32Into(this.key[0], this.key[1], Math.floor(this.index / TWO32), this.index >>> 0, block, 0);
        this.k0 = block[0]!;
        this.k1 = block[1]!;
      }
      this.ready = true;
    }
    threefry2x32Into(this.k0, this.k1, 0, this.counter++, block, 0);
    return block;
  }

  /** `n` standard normals. */
  normals(n: number): Float64Array {
    const b = this.next();
    return normalWordsInto(b[0]!, b[1]!, new Float64Array(n));
  }

  /** `out.length` standard normals written into `out` (the values of {@link KeyDraws.normals}). */
  normalsInto(out: Float64Array): Float64Array {
    const b = this.next();
    return normalWordsInto(b[0]!, b[1]!, out);
  }

  /**
   * One uniform on (0, 1): `uniform(fold(key, i), 1)[0]`, computed without
   * allocating (the same Threefry blocks: the fold's counter (0, i), then the
   * draw's counter (0, 1)).
   */
  uniform(): number {
    const b = this.next();
    threefry2x32Into(b[0]!, b[1]!, 0, 1, b, 0);
    return wordsToUniform(b[0]!, b[1]!);
  }
}
