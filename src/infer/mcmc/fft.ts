/**
 * A small radix-2 FFT on `Float64Array`s, enough for the FFT autocorrelation
 * of MCMC diagnostics (Pyro's `pyro.ops.fft`). Pure JavaScript, float64.
 *
 * @module
 */

/** The smallest power of two ≥ `n` (1 for n ≤ 1). */
export function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

/**
 * In-place complex FFT of `(re, im)` (length a power of two). With
 * `inverse`, computes the unnormalized inverse transform (divide by the
 * length afterwards).
 *
 * @example
 * ```ts
 * const re = Float64Array.from([1, 0, 0, 0]), im = new Float64Array(4);
 * fftInPlace(re, im); // re = [1, 1, 1, 1]
 * ```
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n || (n & (n - 1)) !== 0) {
    throw new RangeError(`fftInPlace: re and im must have the same power-of-two length, got ${n} and ${im.length}`);
  }
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len *= 2) {
    const half = len / 2;
    const theta = (sign * 2 * Math.PI) / len;
    for (let k = 0; k < half; k++) {
      // Twiddle factors computed directly (not by recurrence) to keep float64 accuracy.
      const wr = Math.cos(theta * k);
      const wi = Math.sin(theta * k);
      for (let start = 0; start < n; start += len) {
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * The power spectrum route to the (unnormalized) linear autocorrelation:
 * `out[k] = Σ_t x[t]·x[t+k]` for k < x.length, via an FFT of length a power
 * of two ≥ 2·x.length (so the circular correlation has no wrap-around).
 */
export function linearAutocorrelationSums(x: Float64Array): Float64Array {
  const n = x.length;
  const m = nextPowerOfTwo(2 * n);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  re.set(x);
  fftInPlace(re, im);
  for (let i = 0; i < m; i++) {
    re[i] = re[i]! * re[i]! + im[i]! * im[i]!;
    im[i] = 0;
  }
  fftInPlace(re, im, true);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = re[k]! / m;
  return out;
}
