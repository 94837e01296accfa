/**
 * Threefry-2x32 with 20 rounds: the counter-based block function behind every random draw.
 *
 * Why Threefry: a counter-based generator maps `(key, counter)` to random bits with a pure
 * function, so streams can be split, folded and evaluated in any order without shared state —
 * exactly the discipline JAX and NumPyro use (JAX's default `PRNGKey` is Threefry-2x32-20).
 * Threefry is a reduced-strength Threefish cipher; with 20 rounds it passes BigCrush with a wide
 * safety margin (13 rounds already do) while needing only 32-bit add, rotate and xor, which
 * JavaScript does exactly on numbers via `>>> 0` (no `Math.imul` needed).
 *
 * Reference: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3", SC'11 (2011). Rotation constants R_32x2 = [13, 15, 26, 6, 17, 29, 16, 24],
 * key-schedule parity 0x1BD11BDA, key injection after every 4 rounds; verified against the
 * Random123 known-answer vectors in `test/tensor/random.test.ts`.
 *
 * @module
 */

/** Key-schedule parity constant of Threefry (SKEIN_KS_PARITY32). */
const PARITY = 0x1bd11bda;

/**
 * Threefry-2x32-20 block function (each round is `x0 += x1; x1 = rotl(x1, r) ^ x0`, unrolled
 * by hand), writing its two output words into `out[offset]` and
 * `out[offset + 1]`. All inputs are treated as unsigned 32-bit words. Allocation-free: this is
 * the primitive the hot sampling loops call.
 *
 * @example
 * const out = new Uint32Array(2);
 * threefry2x32Into(0, 0, 0, 0, out, 0); // out = [0x6b200159, 0x99ba4efe]
 */
export function threefry2x32Into(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  out: Uint32Array,
  offset: number,
): void {
  k0 >>>= 0;
  k1 >>>= 0;
  const k2 = (PARITY ^ k0 ^ k1) >>> 0;
  let x0 = (c0 + k0) >>> 0;
  let x1 = (c1 + k1) >>> 0;
  // Rounds 1-4, rotations 13 15 26 6.
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) >>> 0; x1 = (x1 + k2 + 1) >>> 0;
  // Rounds 5-8, rotations 17 29 16 24.
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) >>> 0; x1 = (x1 + k0 + 2) >>> 0;
  // Rounds 9-12.
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) >>> 0; x1 = (x1 + k1 + 3) >>> 0;
  // Rounds 13-16.
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) >>> 0; x1 = (x1 + k2 + 4) >>> 0;
  // Rounds 17-20.
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) >>> 0; x1 = (x1 + k0 + 5) >>> 0;
  out[offset] = x0;
  out[offset + 1] = x1;
}

/**
 * Threefry-2x32-20 of one counter block: returns `[y0, y1]` for key `(k0, k1)` and counter
 * `(c0, c1)`. Convenience wrapper over {@link threefry2x32Into}.
 *
 * @example
 * threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3]); // [0xc4923a9c, 0x483df7a0]
 */
export function threefry2x32(
  key: readonly [number, number],
  counter: readonly [number, number],
): [number, number] {
  const out = new Uint32Array(2);
  threefry2x32Into(key[0], key[1], counter[0], counter[1], out, 0);
  return [out[0]!, out[1]!];
}
