/**
 * MCMC diagnostics on plain float64 arrays, as Pyro's `pyro/ops/stats.py`:
 * FFT autocorrelation and autocovariance, the effective sample size with
 * Geyer's initial monotone sequence over all chains, (split) Gelman–Rubin
 * R-hat, HPDI and quantiles.
 *
 * A scalar quantity's draws are given as one `Float64Array` per chain (all of
 * the same length); vector sites are diagnosed element by element.
 *
 * @module
 */
import { linearAutocorrelationSums } from "./fft.js";

/** The error thrown when chains given to a diagnostic are empty, ragged or too short. */
export class DiagnosticsInputError extends Error {
  /** Makes the error for diagnostic `fn`. */
  constructor(fn: string, expected: string) {
    super(`${fn}: ${expected}`);
    this.name = "DiagnosticsInputError";
  }
}

/** The common length of `chains`, checking there is at least one chain of at least `min` draws. */
function chainLength(fn: string, chains: readonly Float64Array[], min: number): number {
  if (chains.length === 0) throw new DiagnosticsInputError(fn, "expected at least one chain");
  const n = chains[0]!.length;
  if (chains.some((c) => c.length !== n)) {
    throw new DiagnosticsInputError(fn, `all chains must have the same length, got ${chains.map((c) => c.length).join(", ")}`);
  }
  if (n < min) throw new DiagnosticsInputError(fn, `each chain needs at least ${min} draws, got ${n}`);
  return n;
}

/** The arithmetic mean of `x`. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** The variance of `x` with `ddof` degrees of freedom removed (1: unbiased, as torch's `var`). */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (x.length - ddof);
}

/**
 * The autocorrelation of `x` at every lag, via FFT (Pyro's
 * `autocorrelation`): `ρ_k = [Σ_t (x_t − x̄)(x_{t+k} − x̄) / (N − k)] / [Σ_t (x_t − x̄)² / N]`.
 *
 * @example
 * ```ts
 * autocorrelation(Float64Array.from([1, 2, 3, 4]))[0]; // 1
 * ```
 */
export function autocorrelation(x: Float64Array): Float64Array {
  const n = x.length;
  const m = mean(x);
  const centered = x.map((v) => v - m);
  const sums = linearAutocorrelationSums(centered);
  const out = new Float64Array(n);
  const lag0 = sums[0]! / n;
  for (let k = 0; k < n; k++) out[k] = sums[k]! / (n - k) / lag0;
  return out;
}

/** The autocovariance of `x` at every lag: autocorrelation × the biased (1/N) variance (Pyro's `autocovariance`). */
export function autocovariance(x: Float64Array): Float64Array {
  const v = variance(x, 0);
  return autocorrelation(x).map((r) => r * v);
}

/**
 * Within-chain variance W and the pooled estimator var⁺ = (N−1)/N·W + B/N
 * (Pyro's `_compute_chain_variance_stats`; with one chain W := var⁺).
 */
function chainVarianceStats(chains: readonly Float64Array[]): { within: number; estimator: number } {
  const n = chains[0]!.length;
  let within = mean(chains.map((c) => variance(c, 1)));
  let estimator = ((n - 1) / n) * within;
  if (chains.length > 1) estimator += variance(chains.map((c) => mean(c)), 1);
  else within = estimator;
  return { within, estimator };
}

/**
 * Gelman–Rubin R-hat of `chains` (Pyro's `gelman_rubin`): √(var⁺ / W). Needs
 * at least two chains of at least two draws.
 */
export function gelmanRubin(chains: readonly Float64Array[]): number {
  chainLength("gelmanRubin", chains, 2);
  if (chains.length < 2) throw new DiagnosticsInputError("gelmanRubin", "expected at least two chains");
  const { within, estimator } = chainVarianceStats(chains);
  return Math.sqrt(estimator / within);
}

/**
 * Split R-hat (Pyro's `split_gelman_rubin`): each chain is cut into its first
 * and last ⌊N/2⌋ draws (the middle draw of an odd-length chain is dropped) and
 * {@link gelmanRubin} is taken over the 2C half-chains. Needs N ≥ 4.
 *
 * @example
 * ```ts
 * splitGelmanRubin([chainA, chainB]); // ≈ 1 for well-mixed chains
 * ```
 */
export function splitGelmanRubin(chains: readonly Float64Array[]): number {
  const n = chainLength("splitGelmanRubin", chains, 4);
  const half = Math.floor(n / 2);
  return gelmanRubin(chains.flatMap((c) => [c.subarray(0, half), c.subarray(n - half)]));
}

/**
 * The effective sample size of `chains` (Pyro's `effective_sample_size`,
 * after Geyer and the Stan reference manual): the combined autocorrelation
 * ρ_k = 1 − (W − mean_c γ_{k,c}) / var⁺, summed in pairs
 * P_m = ρ_{2m} + ρ_{2m+1}, truncated at the first negative pair and made
 * monotone (initial monotone sequence); τ = −1 + 2·P_0 + 2·Σ_{m≥1} P̂_m and
 * n_eff = C·N / τ.
 *
 * @example
 * ```ts
 * effectiveSampleSize([Float64Array.from(iidDraws)]); // ≈ iidDraws.length
 * ```
 */
export function effectiveSampleSize(chains: readonly Float64Array[]): number {
  const n = chainLength("effectiveSampleSize", chains, 2);
  const c = chains.length;
  const gammas = chains.map((x) => autocovariance(x));
  const { within, estimator } = chainVarianceStats(chains);
  const rho = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let g = 0;
    for (const gamma of gammas) g += gamma[k]!;
    rho[k] = (estimator - within + g / c) / estimator;
  }
  rho[0] = 1;
  const pairs = Math.floor(n / 2);
  let tau = -1 + 2 * (rho[0]! + rho[1]!);
  let running = Infinity;
  for (let m = 1; m < pairs; m++) {
    const p = Math.max(rho[2 * m]! + rho[2 * m + 1]!, 0);
    running = Math.min(running, p);
    tau += 2 * running;
  }
  return (c * n) / tau;
}

/** A sorted copy of `x`. */
function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * The narrowest interval holding a fraction `prob` of the draws (Pyro's
 * `hpdi`): among the windows [s_i, s_{i+⌊prob·N⌋}] of the sorted draws, the
 * shortest (the first one on ties).
 *
 * @example
 * ```ts
 * hpdi(draws, 0.9); // [lower, upper]
 * ```
 */
export function hpdi(x: ArrayLike<number>, prob = 0.9): [number, number] {
  if (!(prob > 0 && prob < 1)) throw new DiagnosticsInputError("hpdi", `prob must be in (0, 1), got ${prob}`);
  if (x.length === 0) throw new DiagnosticsInputError("hpdi", "expected at least one draw");
  const s = sorted(x);
  const len = Math.floor(prob * s.length);
  let best = 0;
  for (let i = 1; i < s.length - len; i++) if (s[i + len]! - s[i]! < s[best + len]! - s[best]!) best = i;
  return [s[best]!, s[best + len]!];
}

/**
 * Quantiles of the draws at `probs`, interpolating linearly between order
 * statistics at position p·(N−1) (Pyro's `quantile`).
 */
export function quantiles(x: ArrayLike<number>, probs: readonly number[]): number[] {
  if (x.length === 0) throw new DiagnosticsInputError("quantiles", "expected at least one draw");
  const s = sorted(x);
  const last = s.length - 1;
  return probs.map((p) => {
    if (!(p >= 0 && p <= 1)) throw new DiagnosticsInputError("quantiles", `each prob must be in [0, 1], got ${p}`);
    const pos = p * last;
    const below = Math.floor(pos);
    const above = Math.min(below + 1, last);
    const w = pos - below;
    return (1 - w) * s[below]! + w * s[above]!;
  });
}

/**
 * The median as torch's `median` (used by Pyro's summary): the lower of the
 * two middle order statistics when N is even.
 */
export function lowerMedian(x: ArrayLike<number>): number {
  if (x.length === 0) throw new DiagnosticsInputError("lowerMedian", "expected at least one draw");
  return sorted(x)[Math.floor((x.length - 1) / 2)]!;
}
