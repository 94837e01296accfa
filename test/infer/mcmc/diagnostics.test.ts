import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  autocorrelation,
  autocovariance,
  effectiveSampleSize,
  gelmanRubin,
  hpdi,
  lowerMedian,
  quantiles,
  splitGelmanRubin,
} from "../../../src/infer/mcmc/diagnostics.js";
import { fftInPlace } from "../../../src/infer/mcmc/fft.js";
import { PRNGKey, fold, normal } from "../../../src/tensor/random/index.js";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/** An AR(1) chain x_t = ρ·x_{t−1} + ε_t, ε ~ N(0, 1 − ρ²), started in its stationary law N(0, 1). */
function ar1(seed: number, n: number, rho: number): Float64Array {
  const eps = normal(fold(PRNGKey(17), seed), n);
  const x = new Float64Array(n);
  x[0] = eps[0]!;
  const s = Math.sqrt(1 - rho * rho);
  for (let t = 1; t < n; t++) x[t] = rho * x[t - 1]! + s * eps[t]!;
  return x;
}

/**
 * Geyer's initial monotone sequence estimator, written from the definitions
 * with direct O(N²) sums (no FFT), as an independent reference:
 * γ_{k,c} = (1/N)·Σ_t (x_t − x̄_c)(x_{t+k} − x̄_c) · N/(N − k) (Pyro's lag normalization),
 * W = mean_c s²_c, var⁺ = (N−1)/N·W + B/N, ρ_k = 1 − (W − mean_c γ_{k,c})/var⁺ (ρ_0 = 1),
 * P_m = ρ_{2m} + ρ_{2m+1}; τ = −1 + 2P_0 + 2Σ_{m≥1} min_{j≤m} max(P_j, 0); ESS = C·N/τ.
 */
function referenceEss(chains: Float64Array[]): number {
  const C = chains.length;
  const N = chains[0]!.length;
  const means = chains.map((c) => c.reduce((a, b) => a + b, 0) / N);
  const s2 = chains.map((c, i) => c.reduce((a, v) => a + (v - means[i]!) ** 2, 0) / (N - 1));
  let W = s2.reduce((a, b) => a + b, 0) / C;
  const grand = means.reduce((a, b) => a + b, 0) / C;
  const B = C > 1 ? means.reduce((a, m) => a + (m - grand) ** 2, 0) / (C - 1) : 0;
  const varPlus = ((N - 1) / N) * W + B;
  if (C === 1) W = varPlus;
  const rho: number[] = [];
  for (let k = 0; k < N; k++) {
    let g = 0;
    chains.forEach((c, i) => {
      let s = 0;
      for (let t = 0; t + k < N; t++) s += (c[t]! - means[i]!) * (c[t + k]! - means[i]!);
      // autocorrelation (normalized by N − k, then by lag 0) times the biased variance
      const lag0 = c.reduce((a, v) => a + (v - means[i]!) ** 2, 0) / N;
      g += (s / (N - k) / lag0) * lag0;
    });
    rho.push(k === 0 ? 1 : (varPlus - W + g / C) / varPlus);
  }
  const P: number[] = [];
  for (let m = 0; m < Math.floor(N / 2); m++) P.push(rho[2 * m]! + rho[2 * m + 1]!);
  let tau = -1 + 2 * P[0]!;
  let run = Infinity;
  for (let m = 1; m < P.length; m++) {
    run = Math.min(run, Math.max(P[m]!, 0));
    tau += 2 * run;
  }
  return (C * N) / tau;
}

describe("MCMC diagnostics", () => {
  it("FFT agrees with a direct DFT", () => {
    const x = normal(PRNGKey(3), 16);
    const re = Float64Array.from(x);
    const im = new Float64Array(16);
    fftInPlace(re, im);
    for (let k = 0; k < 16; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < 16; t++) {
        sr += x[t]! * Math.cos((-2 * Math.PI * k * t) / 16);
        si += x[t]! * Math.sin((-2 * Math.PI * k * t) / 16);
      }
      // 16 terms of O(1): float64 rounding ~1e-14.
      close(re[k]!, sr, 1e-12, `Re X[${k}]`);
      close(im[k]!, si, 1e-12, `Im X[${k}]`);
    }
  });

  it("autocorrelation and autocovariance equal their definitions", () => {
    const x = ar1(1, 37, 0.6); // odd length, not a power of two
    const n = x.length;
    const m = x.reduce((a, b) => a + b, 0) / n;
    const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    const acf = autocorrelation(x);
    const acov = autocovariance(x);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let t = 0; t + k < n; t++) s += (x[t]! - m) * (x[t + k]! - m);
      const expected = s / (n - k) / v;
      close(acf[k]!, expected, 1e-12, `rho_${k}`);
      close(acov[k]!, expected * v, 1e-12, `gamma_${k}`);
    }
  });

  it("effective sample size equals Geyer's estimator computed from the definitions", () => {
    // Deterministic chains: three AR(1) chains of odd length 51 and a single chain of 40.
    const three = [0, 1, 2].map((i) => ar1(10 + i, 51, 0.7));
    // Both computations are exact formulas in float64 on O(1) numbers: agreement to 1e-9 relative.
    const a = effectiveSampleSize(three);
    const b = referenceEss(three);
    assert.ok(Math.abs(a - b) < 1e-9 * b, `${a} vs ${b}`);
    const one = [ar1(20, 40, -0.3)];
    const c = effectiveSampleSize(one);
    const d = referenceEss(one);
    assert.ok(Math.abs(c - d) < 1e-9 * d, `${c} vs ${d}`);
  });

  it("effective sample size of AR(1) chains is close to N(1 − ρ)/(1 + ρ)", () => {
    const rho = 0.5;
    const chains = [0, 1, 2, 3].map((i) => ar1(100 + i, 5000, rho));
    const expected = (20000 * (1 - rho)) / (1 + rho); // 6666.7
    // Sokal: Var(τ̂)/τ² ≈ 2(2M + 1)/N_total with M the truncation lag. Here the pair sums
    // P_m = 1.5·0.25^m fall below their noise (~1.7/√20000 ≈ 0.012) near m ≈ 3.5, so M ≈ 8 and
    // the relative sd is ≈ √(2·17/20000) ≈ 0.041; 4 sd ⇒ 17% tolerance.
    const ess = effectiveSampleSize(chains);
    assert.ok(Math.abs(ess / expected - 1) < 0.17, `ESS ${ess}, expected ≈ ${expected}`);
  });

  it("split R-hat by hand on a tiny example, and for same-law and shifted chains", () => {
    // Halves [1,2] [3,4] [5,6] [7,8]: W = 0.5, var⁺ = (1/2)·0.5 + var([1.5, 3.5, 5.5, 7.5]) = 0.25 + 20/3,
    // R̂ = √(var⁺ / W) = √(83/6).
    close(splitGelmanRubin([Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 6, 7, 8])]), Math.sqrt(83 / 6), 1e-12, "split R-hat");
    // Unsplit: W = 5/3, var⁺ = (3/4)(5/3) + var([2.5, 6.5]) = 1.25 + 8 ⇒ R̂ = √(9.25 / (5/3)).
    close(gelmanRubin([Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 6, 7, 8])]), Math.sqrt(9.25 / (5 / 3)), 1e-12, "R-hat");

    const iid = [0, 1, 2, 3].map((i) => normal(fold(PRNGKey(5), i), 1000));
    // Eight half-chains of 500 iid N(0,1) draws: R̂² = 499/500 + B/W with B/W ≈ χ²₇/7 / 500,
    // so R̂ ∈ [0.9991, 1.0025] for χ²₇/7 in its 1e-4 tails [0.1, 3.5]: |R̂ − 1| < 0.005.
    close(splitGelmanRubin(iid), 1, 0.005, "R-hat of same-law chains");
    const shifted = iid.map((c, i) => (i < 2 ? c : c.map((v) => v + 1)));
    // Half-chain means ≈ 0,0,0,0,1,1,1,1: B ≈ 2/7 ⇒ R̂ ≈ √(0.998 + 0.2857) ≈ 1.133; the means' noise
    // (sd 1/√500 ≈ 0.045 each) moves B by < 0.1 at 4 sd ⇒ R̂ within 1.133 ± 0.05.
    close(splitGelmanRubin(shifted), 1.133, 0.05, "R-hat of shifted chains");
  });

  it("HPDI, quantiles and the (lower) median", () => {
    const x = Float64Array.from([9, 1, 2, 3, 4, 5, 20, 6, 7, 8]);
    // Sorted 1..9, 20; ⌊0.5·10⌋ = 5-wide windows: [1,6] [2,7] [3,8] [4,9] [5,20] → first shortest is [1,6].
    assert.deepEqual(hpdi(x, 0.5), [1, 6]);
    // p·(N−1) = 0.25·9 = 2.25 → 3 + 0.25·(4 − 3); 0.5·9 = 4.5 → 5.5.
    assert.deepEqual(quantiles(x, [0, 0.25, 0.5, 1]), [1, 3.25, 5.5, 20]);
    assert.equal(lowerMedian(x), 5);
    assert.throws(() => hpdi(x, 1.5), /prob must be in \(0, 1\)/);
    assert.throws(() => splitGelmanRubin([Float64Array.from([1, 2, 3])]), /at least 4 draws/);
  });
});
