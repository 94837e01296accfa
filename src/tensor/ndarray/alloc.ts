/**
 * Storage allocation for `NDArray` results.
 *
 * Why not just `new Float64Array(n)`: V8 keeps typed arrays of at most 64
 * bytes (8 doubles) on the JavaScript heap, where allocation is a pointer
 * bump; a larger one gets an off-heap backing store, which on Node 20 costs
 * about 2–4 µs — ten times the work of adding two 100-vectors. Small and
 * medium models make thousands of such arrays per gradient, so results of 9 to
 * 2048 elements are carved out of shared chunks instead (a `Float64Array` view
 * costs ~0.1 µs). Chunks are never reused, so every allocation is zero-filled,
 * and a chunk is reclaimed by the garbage collector once no view into it is
 * alive.
 *
 * Chunks are at most 64 KiB: larger buffers come from `mmap` (glibc's
 * threshold is 128 KiB) and their page faults made a 1000-element add 3×
 * slower in measurements. Above 2048 elements arrays are allocated directly:
 * there, writing fresh memory dominates either way.
 *
 * The price is retention: a long-lived array keeps its whole chunk alive. Sizes
 * are grouped in four classes (≤32, ≤128, ≤512, ≤2048 elements) with chunks of
 * 4, 16, 64 and 64 KiB, so one live array pins at most 64 KiB, and at most 57×
 * its own bytes (16× for arrays above 512 elements).
 *
 * @module
 */

/** Largest size (elements) of each class. */
const CLASS_MAX = [32, 128, 512, 2048] as const;
/** Chunk size (elements) of each class. */
const CHUNK = [512, 2048, 8192, 8192] as const;

const chunks: ArrayBuffer[] = CHUNK.map((c) => new ArrayBuffer(c * 8));
const used: number[] = CHUNK.map(() => 0);

/**
 * A zero-filled `Float64Array` of `n` elements, carved from a shared chunk when
 * that is cheaper than a fresh backing store.
 */
export function alloc(n: number): Float64Array {
  if (n <= 8 || n > CLASS_MAX[3]) return new Float64Array(n);
  const c = n <= CLASS_MAX[0] ? 0 : n <= CLASS_MAX[1] ? 1 : n <= CLASS_MAX[2] ? 2 : 3;
  const capacity = CHUNK[c];
  let at = used[c]!;
  if (at + n > capacity) {
    chunks[c] = new ArrayBuffer(capacity * 8);
    at = 0;
  }
  used[c] = at + n;
  return new Float64Array(chunks[c]!, at * 8, n);
}
