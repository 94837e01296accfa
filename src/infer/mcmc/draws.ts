/**
 * The random draws of one MCMC iteration, all derived from one key: the
 * i-th request draws from `fold(key, i)` (momenta with `normal`, coin flips
 * and Metropolis tests with `uniform`), so an iteration is a pure function of
 * its key.
 *
 * @module
 */
import { fold, normal, normalInto, threefry2x32Into, wordsToUniform, type RandomKey } from "../../tensor/random/index.js";
import { foldInto } from "../../tensor/random/key.js";

/** Scratch words: a folded key, then a Threefry block. */
const words = new Uint32Array(2);

/** Successive independent draws from one key. */
export class KeyDraws {
  private counter = 0;

  /** Draws from `key`. */
  constructor(private readonly key: RandomKey) {}

  /** `n` standard normals. */
  normals(n: number): Float64Array {
    return normal(fold(this.key, this.counter++), n);
  }

  /** `out.length` standard normals written into `out` (the values of {@link KeyDraws.normals}). */
  normalsInto(out: Float64Array): Float64Array {
    return normalInto(fold(this.key, this.counter++), out);
  }

  /**
   * One uniform on (0, 1): `uniform(fold(key, i), 1)[0]`, computed without
   * allocating (the same Threefry blocks: the fold's counter (0, i), then the
   * draw's counter (0, 1)).
   */
  uniform(): number {
    foldInto(this.key, this.counter++, words);
    threefry2x32Into(words[0]!, words[1]!, 0, 1, words, 0);
    return wordsToUniform(words[0]!, words[1]!);
  }
}
