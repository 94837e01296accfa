/**
 * Bulk draws from a key: raw bits, uniforms on the open interval (0, 1), standard normals; and
 * {@link RandomStream}, a per-element counter stream for rejection samplers.
 *
 * Layout (as JAX's `random_bits`): `randomBits(key, n)` is Threefry of counters 0 … n−1 under
 * `key`, paired (i, ⌈n/2⌉ + i). A uniform takes one Threefry block (64 bits) and keeps 53 of them.
 *
 * @module
 */

import { assertRandomKey, foldInto, type RandomKey } from "./key.js";
import { threefry2x32Into } from "./threefry.js";
import { TensorOpError } from "../errors.js";

/** 2^-53. */
const EPS53 = 1.1102230246251565e-16;
/** 2^-54: the value used in place of 0, the midpoint of the lowest 53-bit cell. */
const HALF_EPS53 = 5.551115123125783e-17;

/**
 * Maps two 32-bit words to a uniform in the OPEN interval (0, 1) with 53 random bits:
 * m = (hi >>> 11)·2^32 + lo is uniform on [0, 2^53), u = m·2^-53, and the single value m = 0 is
 * replaced by 2^-54. So u ∈ [2^-54, 1 − 2^-53]: `Math.log(u)` and `Math.log1p(-u)` are finite.
 */
export function wordsToUniform(hi: number, lo: number): number {
  const m = (hi >>> 11) * 4294967296 + (lo >>> 0);
  return m === 0 ? HALF_EPS53 : m * EPS53;
}

/** Throws unless `n` is a valid draw count. */
function assertCount(n: number, fn: string, max: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new TensorOpError(`${fn}: n must be an integer in [0, ${max}], got ${String(n)}`);
  }
}

/**
 * `n` random 32-bit words from `key` (bit-identical to JAX's `random.bits(key, (n,), uint32)` in
 * its original Threefry scheme).
 *
 * @example
 * randomBits(PRNGKey(0), 4); // Uint32Array of 4 words; same key → same words
 */
export function randomBits(key: RandomKey, n: number): Uint32Array {
  assertRandomKey(key, "randomBits");
  assertCount(n, "randomBits", 2 ** 32 - 2);
  const out = new Uint32Array(n);
  const half = Math.ceil(n / 2); // odd n: JAX pads the counters with one 0 and drops the last word
  const block = new Uint32Array(2);
  for (let i = 0; i < half; i++) {
    const c1 = half + i < n ? half + i : 0;
    threefry2x32Into(key[0], key[1], i, c1, block, 0);
    out[i] = block[0]!;
    if (half + i < n) out[half + i] = block[1]!;
  }
  return out;
}

/**
 * `n` independent uniforms on the open interval (0, 1), 53 random bits each (see
 * {@link wordsToUniform}); element i comes from the Threefry block with counter (i, n + i).
 *
 * @example
 * const u = uniform(PRNGKey(0), 3); // Float64Array(3), every entry strictly inside (0, 1)
 */
export function uniform(key: RandomKey, n: number): Float64Array {
  assertRandomKey(key, "uniform");
  assertCount(n, "uniform", 2 ** 31 - 1);
  const out = new Float64Array(n);
  const block = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    threefry2x32Into(key[0], key[1], i, n + i, block, 0);
    out[i] = wordsToUniform(block[0]!, block[1]!);
  }
  return out;
}

/**
 * `n` independent standard normals by the Box–Muller transform, which is exact: for independent
 * uniforms u1, u2, r = √(−2 log u1) and θ = 2π u2 give two independent N(0, 1) draws r·cos θ,
 * r·sin θ. Pair j uses uniforms 2j and 2j+1 of `uniform(key, 2⌈n/2⌉)`. Because u1 ≥ 2^-54 the
 * draws are bounded by |z| ≤ 8.7 (the mass beyond is 5e-18).
 *
 * @example
 * const z = normal(PRNGKey(1), 1000);
 */
export function normal(key: RandomKey, n: number): Float64Array {
  assertRandomKey(key, "normal");
  assertCount(n, "normal", 2 ** 31 - 2);
  return normalWordsInto(key[0], key[1], new Float64Array(n));
}

/**
 * {@link normal}`(key, out.length)` written into `out` (returned), without allocating.
 *
 * @example
 * const z = normalInto(PRNGKey(1), scratch); // the values of normal(PRNGKey(1), scratch.length)
 */
export function normalInto(key: RandomKey, out: Float64Array): Float64Array {
  assertRandomKey(key, "normalInto");
  return normalWordsInto(key[0], key[1], out);
}

/** Scratch Threefry block of {@link normalWordsInto}. */
const normalBlock = new Uint32Array(2);

/**
 * {@link normalInto} for the key with words `k0`, `k1`, unchecked (for hot loops that hold a key
 * as two words): uniform i of `uniform(key, 2⌈n/2⌉)` made one block at a time.
 */
export function normalWordsInto(k0: number, k1: number, out: Float64Array): Float64Array {
  const n = out.length;
  const pairs = Math.ceil(n / 2);
  const m = 2 * pairs;
  const block = normalBlock;
  for (let j = 0; j < pairs; j++) {
    threefry2x32Into(k0, k1, 2 * j, m + 2 * j, block, 0);
    const u1 = wordsToUniform(block[0]!, block[1]!);
    threefry2x32Into(k0, k1, 2 * j + 1, m + 2 * j + 1, block, 0);
    const u2 = wordsToUniform(block[0]!, block[1]!);
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    out[2 * j] = r * Math.cos(theta);
    if (2 * j + 1 < n) out[2 * j + 1] = r * Math.sin(theta);
  }
  return out;
}

/**
 * A counter-based stream of uniforms and normals under one key, for samplers that need a
 * variable number of draws per element (rejection sampling). Draw c is Threefry of the counter
 * (c, 0) under the stream's key, so a stream is a pure function of its key: `resetFold(key, i)`
 * makes element i's stream `fold(key, i)`, independent of every other element and of how many
 * draws the others took. One instance is reused across elements (no allocation per element).
 *
 * @example
 * const s = new RandomStream();
 * s.resetFold(PRNGKey(0), 7); // element 7's stream
 * const u = s.uniform();
 */
export class RandomStream {
  /** Current key words. */
  private readonly key = new Uint32Array(2);
  /** Scratch Threefry output block. */
  private readonly block = new Uint32Array(2);
  /** Number of blocks drawn so far. */
  private counter = 0;
  /** Second Box–Muller normal of the last pair, or NaN if none is pending. */
  private spare = NaN;

  /** Restarts the stream at `fold(key, i)` (0 ≤ i < 2^32; `key` must already be validated). */
  resetFold(key: RandomKey, i: number): this {
    foldInto(key, i, this.key);
    this.counter = 0;
    this.spare = NaN;
    return this;
  }

  /** Restarts the stream directly under `key`. */
  reset(key: RandomKey): this {
    this.key[0] = key[0];
    this.key[1] = key[1];
    this.counter = 0;
    this.spare = NaN;
    return this;
  }

  /** The next uniform on the open interval (0, 1) (53 bits, as {@link uniform}). */
  uniform(): number {
    threefry2x32Into(this.key[0]!, this.key[1]!, this.counter, 0, this.block, 0);
    this.counter++;
    return wordsToUniform(this.block[0]!, this.block[1]!);
  }

  /** The next standard normal (Box–Muller; the second of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}
