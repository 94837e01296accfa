/**
 * Random keys: immutable values from which all randomness is derived (the JAX / NumPyro
 * discipline). A key is never "advanced": to draw twice you `split` it, and a site, a chain or an
 * array element gets its own key by `split` or `fold`. The same key always yields the same draws.
 *
 * The layout and derivations follow JAX's default Threefry implementation, so keys agree
 * word for word with `jax.random.PRNGKey` / `split` (original, non-partitionable scheme) /
 * `fold_in`:
 * - `PRNGKey(seed)` = `[high 32 bits, low 32 bits]` of the seed as a 64-bit two's complement
 *   integer (so seeds above 2^32 and negative seeds are distinct keys);
 * - `split(key, n)` = Threefry of the counters 0 … 2n−1 under `key`, paired as JAX pairs them;
 * - `fold(key, d)` = Threefry of the counter `[high, low]` of `d` under `key`.
 *
 * @module
 */

import { threefry2x32Into } from "./threefry.js";
import { TensorOpError } from "../errors.js";

/** A random key: two unsigned 32-bit words, like JAX's `PRNGKey`. Treat it as an opaque value. */
export type RandomKey = readonly [number, number];

const TWO32 = 4294967296;

/** High and low 32-bit words of a safe integer as a 64-bit two's complement number. */
function words64(x: number): [number, number] {
  const lo = x - Math.floor(x / TWO32) * TWO32; // x mod 2^32 in [0, 2^32)
  const hi = Math.floor(x / TWO32); // may be negative; `>>> 0` takes it mod 2^32
  return [hi >>> 0, lo >>> 0];
}

/** Scratch block for the allocation-free helpers below. */
const scratch = new Uint32Array(2);

/**
 * Whether `x` is a {@link RandomKey}: an array of exactly two integers in [0, 2^32).
 *
 * @example
 * isRandomKey(PRNGKey(0)); // true
 * isRandomKey([1, -1]); // false
 */
export function isRandomKey(x: unknown): x is RandomKey {
  return Array.isArray(x) && x.length === 2 && isWord(x[0]) && isWord(x[1]);
}

/** Whether `w` is an integer in [0, 2^32). */
function isWord(w: unknown): boolean {
  return typeof w === "number" && Number.isInteger(w) && w >= 0 && w < TWO32;
}

/** Throws a clear error unless `key` is a {@link RandomKey}; `fn` names the caller. */
export function assertRandomKey(key: unknown, fn: string): asserts key is RandomKey {
  if (!isRandomKey(key)) {
    let shown: string;
    try {
      shown = JSON.stringify(key) ?? String(key);
    } catch {
      shown = String(key);
    }
    throw new TensorOpError(`${fn}: key must be a RandomKey (two uint32 words, e.g. PRNGKey(0)), got ${shown}`);
  }
}

/** Throws unless `x` is a safe integer; `what` names the argument in the message. */
function assertSafeInteger(x: unknown, what: string): asserts x is number {
  if (typeof x !== "number" || !Number.isSafeInteger(x)) {
    throw new TensorOpError(`${what} must be a safe integer, got ${String(x)}`);
  }
}

/**
 * A key from an integer seed: any safe integer, including negative ones and ones above 2^32
 * (both 32-bit halves of the seed enter the key). Same words as `jax.random.PRNGKey(seed)`.
 *
 * @example
 * PRNGKey(0); // [0, 0]
 * PRNGKey(-1); // [4294967295, 4294967295]
 * PRNGKey(2 ** 32 + 5); // [1, 5]
 */
export function PRNGKey(seed: number): RandomKey {
  assertSafeInteger(seed, "PRNGKey: seed");
  return Object.freeze(words64(seed)) as RandomKey;
}

/**
 * Splits a key into `n` (default 2) new, statistically independent keys. Use one of them to draw
 * and keep another to split again; never draw twice from the same key.
 *
 * @example
 * const [key1, key2] = split(PRNGKey(0)); // JAX: [4146024105, 967050713], [2718843009, 1272950319]
 */
export function split(key: RandomKey, n = 2): RandomKey[] {
  assertRandomKey(key, "split");
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 30) {
    throw new TensorOpError(`split: n must be an integer in [0, 2^30], got ${String(n)}`);
  }
  // JAX: bits = threefry(key, iota(2n)) with counters paired as (i, n + i); the flat output
  // [y0 of each pair..., y1 of each pair...] is reshaped to n rows of two words.
  const flat = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    threefry2x32Into(key[0], key[1], i, n + i, scratch, 0);
    flat[i] = scratch[0]!;
    flat[n + i] = scratch[1]!;
  }
  const keys: RandomKey[] = new Array<RandomKey>(n);
  for (let j = 0; j < n; j++) keys[j] = Object.freeze([flat[2 * j]!, flat[2 * j + 1]!]) as RandomKey;
  return keys;
}

/**
 * Derives a new key from `key` and an integer (JAX's `fold_in`): `fold(key, i)` for i = 0, 1, …
 * gives independent keys, e.g. one per array element, chain or iteration, without splitting.
 *
 * @example
 * const perStep = (key: RandomKey, step: number) => fold(key, step);
 */
export function fold(key: RandomKey, data: number): RandomKey {
  assertRandomKey(key, "fold");
  assertSafeInteger(data, "fold: data");
  const [hi, lo] = words64(data);
  threefry2x32Into(key[0], key[1], hi, lo, scratch, 0);
  return Object.freeze([scratch[0]!, scratch[1]!]) as RandomKey;
}

/**
 * Allocation-free `fold(key, i)` for 0 ≤ i < 2^32 into `out[0..1]`, for the samplers' hot loops
 * (the caller has already validated `key`).
 */
export function foldInto(key: RandomKey, i: number, out: Uint32Array): void {
  threefry2x32Into(key[0], key[1], 0, i >>> 0, out, 0);
}
