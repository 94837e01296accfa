/**
 * Exact samplers on flat float64 arrays, driven by random keys.
 *
 * Every sampler is a pure function of its key and parameters: the same key gives bit-identical
 * output. Element i draws from its own stream `fold(key, i)` ({@link RandomStream}), so rejection
 * loops may use any number of uniforms without disturbing other elements. Parameters are flat
 * arrays of equal length (one entry per draw); broadcasting is the caller's job. Invalid
 * parameters throw an `Error` naming the sampler, the argument, the index and the value.
 *
 * Algorithms (all exact up to float64 rounding):
 * - Gamma: Marsaglia & Tsang (2000), "A simple method for generating gamma variables", with the
 *   boost G(α) = G(α+1)·U^{1/α} for α < 1 (computed in log space).
 * - Beta, Dirichlet: normalised gammas (in log space, so tiny concentrations do not give 0/0).
 * - Binomial: inversion for n·min(p, 1−p) < 10, else BTRS — W. Hörmann (1993), "The generation
 *   of binomial random variates", J. Stat. Comput. Simul. 46 — with the exact pmf-ratio test.
 * - Poisson: inversion for rate < 10, else PTRS — W. Hörmann (1993), "The transformed rejection
 *   method for generating Poisson random variables", Insurance: Math. Econ. 12.
 * - Categorical: inversion of the cumulative weights with one uniform per row.
 *
 * @module
 */

import { stirlingCorrection } from "../special/gamma.js";
import { assertRandomKey, type RandomKey } from "./key.js";
import { RandomStream, uniform } from "./streams.js";
import { TensorOpError } from "../errors.js";

/** 0.5·log(2π). */
const HALF_LOG_2PI = 0.9189385332046728;
/** The largest double below 1. */
const ONE_MINUS_EPS = 1 - 2 ** -53;

/** Throws unless every entry satisfies `ok`, naming the sampler, argument, index and value. */
function check(fn: string, name: string, xs: ArrayLike<number>, ok: (x: number) => boolean, what: string): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!ok(x)) throw new TensorOpError(`${fn}: ${name}[${i}] must be ${what}, got ${x}`);
  }
}

/** Throws unless the parameter arrays have the same length. */
function checkLengths(fn: string, a: ArrayLike<number>, b: ArrayLike<number>, names: string): void {
  if (a.length !== b.length) {
    throw new TensorOpError(`${fn}: ${names} must have the same length, got ${a.length} and ${b.length}`);
  }
}

const positiveFinite = (x: number): boolean => x > 0 && x < Infinity;

// ---------------------------------------------------------------------------------------------
// Gamma

/** Marsaglia–Tsang for shape a ≥ 1: squeeze, then the exact log test. */
function marsagliaTsang(s: RandomStream, a: number): number {
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = s.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = s.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** log of a Gamma(α, 1) draw, finite even where the draw itself underflows (α ≪ 1). */
function logGammaDraw(s: RandomStream, alpha: number): number {
  if (alpha >= 1) return Math.log(marsagliaTsang(s, alpha));
  const g = marsagliaTsang(s, alpha + 1);
  return Math.log(g) + Math.log(s.uniform()) / alpha;
}

/**
 * Standard Gamma(α, 1) draws, one per entry of `alpha` (α > 0, finite). For α < 1 a draw below
 * the float64 range (likely for α ≲ 0.01: P(G < 1e-308) ≈ 0.49 at α = 1e-3) is returned as
 * `Number.MIN_VALUE` so that `Math.log` of it stays finite.
 *
 * @example
 * standardGamma(PRNGKey(0), [0.5, 2, 1e4]); // Float64Array(3)
 */
export function standardGamma(key: RandomKey, alpha: ArrayLike<number>): Float64Array {
  assertRandomKey(key, "standardGamma");
  check("standardGamma", "alpha", alpha, positiveFinite, "positive and finite");
  const out = new Float64Array(alpha.length);
  const s = new RandomStream();
  for (let i = 0; i < out.length; i++) {
    const a = alpha[i]!;
    s.resetFold(key, i);
    if (a >= 1) {
      out[i] = marsagliaTsang(s, a);
    } else {
      const g = marsagliaTsang(s, a + 1);
      out[i] = Math.max(Number.MIN_VALUE, g * Math.exp(Math.log(s.uniform()) / a));
    }
  }
  return out;
}

/**
 * Beta(a, b) draws as Ga / (Ga + Gb) from two gammas of element i's stream, computed from their
 * logs so that tiny shapes stay well defined. Results are clamped to [`Number.MIN_VALUE`,
 * 1 − 2^-53] so that `log(x)` and `log1p(-x)` are finite.
 *
 * @example
 * beta(PRNGKey(0), [2, 0.5], [3, 0.5]); // Float64Array(2) in (0, 1)
 */
export function beta(key: RandomKey, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  assertRandomKey(key, "beta");
  checkLengths("beta", a, b, "a and b");
  check("beta", "a", a, positiveFinite, "positive and finite");
  check("beta", "b", b, positiveFinite, "positive and finite");
  const out = new Float64Array(a.length);
  const s = new RandomStream();
  for (let i = 0; i < out.length; i++) {
    s.resetFold(key, i);
    const la = logGammaDraw(s, a[i]!);
    const lb = logGammaDraw(s, b[i]!);
    // x = 1 / (1 + e^{lb − la}), evaluated on the side that cannot overflow.
    const x = la >= lb ? 1 / (1 + Math.exp(lb - la)) : Math.exp(la - lb) / (1 + Math.exp(la - lb));
    out[i] = Math.min(ONE_MINUS_EPS, Math.max(Number.MIN_VALUE, x));
  }
  return out;
}

/**
 * Dirichlet draws: `concentration` is rows × k row-major (all entries positive and finite); each
 * row of the result is a point of the simplex, normalised gammas of row r's stream `fold(key, r)`
 * computed in log space. Components are clamped below at `Number.MIN_VALUE`.
 *
 * @example
 * dirichlet(PRNGKey(0), [1, 1, 1, 0.1, 0.1, 0.1], 3); // two rows of 3
 */
export function dirichlet(key: RandomKey, concentration: ArrayLike<number>, k: number): Float64Array {
  assertRandomKey(key, "dirichlet");
  checkRowLength("dirichlet", concentration.length, k);
  check("dirichlet", "concentration", concentration, positiveFinite, "positive and finite");
  const out = new Float64Array(concentration.length);
  const s = new RandomStream();
  for (let r = 0, base = 0; base < out.length; r++, base += k) {
    s.resetFold(key, r);
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const l = logGammaDraw(s, concentration[base + j]!);
      out[base + j] = l;
      if (l > max) max = l;
    }
    let total = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(out[base + j]! - max);
      out[base + j] = e;
      total += e;
    }
    for (let j = 0; j < k; j++) out[base + j] = Math.max(Number.MIN_VALUE, out[base + j]! / total);
  }
  return out;
}

/** Throws unless `k` is a positive integer dividing `length`. */
function checkRowLength(fn: string, length: number, k: number): void {
  if (!Number.isSafeInteger(k) || k < 1 || length % k !== 0) {
    throw new TensorOpError(`${fn}: k must be a positive integer dividing the array length ${length}, got ${k}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Categorical

/**
 * Categorical draws: `probs` is rows × k row-major non-negative finite weights (need not sum to
 * 1; each row must have a positive sum). Returns one index in [0, k) per row, as floats. Row r
 * uses uniform r of `uniform(key, rows)`; a zero-weight category is never drawn.
 *
 * @example
 * categorical(PRNGKey(0), [0.2, 0.8, 0, 5, 5, 0], 3); // e.g. Float64Array [1, 0]
 */
export function categorical(key: RandomKey, probs: ArrayLike<number>, k: number): Float64Array {
  assertRandomKey(key, "categorical");
  checkRowLength("categorical", probs.length, k);
  check("categorical", "probs", probs, (w) => w >= 0 && w < Infinity, "non-negative and finite");
  const rows = probs.length / k;
  const u = uniform(key, rows);
  const out = new Float64Array(rows);
  for (let r = 0, base = 0; r < rows; r++, base += k) {
    let total = 0;
    for (let j = 0; j < k; j++) total += probs[base + j]!;
    if (!(total > 0)) throw new TensorOpError(`categorical: row ${r} of probs has no positive weight`);
    const target = u[r]! * total;
    let acc = 0;
    let chosen = -1;
    let lastPositive = 0;
    for (let j = 0; j < k; j++) {
      const w = probs[base + j]!;
      if (w > 0) lastPositive = j;
      acc += w;
      if (acc > target) {
        chosen = j;
        break;
      }
    }
    // Rounding can leave acc ≤ target at the end: the draw then belongs to the last category.
    out[r] = chosen >= 0 ? chosen : lastPositive;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stirling-tail helpers shared by BTRS and PTRS

/** fc(k) = log k! − [(k + ½) log(k+1) − (k+1) + ½ log 2π] for k = 0..9 (mpmath, 17 digits). */
const FC_TABLE = [
  0.081061466795327258, 0.041340695955409294, 0.027677925684998339, 0.020790672103765093,
  0.016644691189821192, 0.013876128823070748, 0.01189670994589177, 0.010411265261972096,
  0.0092554621827127329, 0.0083305634333628713,
];

/** The Stirling tail fc(k) (exact table for k < 10, Stirling's series beyond: error < 1e-17). */
export function stirlingTail(k: number): number {
  return k < 10 ? FC_TABLE[k]! : stirlingCorrection(k + 1);
}

// ---------------------------------------------------------------------------------------------
// Binomial

/** Inversion for n·p < 10 (p ≤ ½): walk the pmf from 0; redraw if rounding exhausts it. */
function binomialInversion(s: RandomStream, n: number, p: number): number {
  const r = p / (1 - p);
  const p0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = s.uniform();
    let px = p0;
    for (let x = 0; x <= n; x++) {
      if (u <= px) return x;
      u -= px;
      px *= (r * (n - x)) / (x + 1);
      if (px === 0) break;
    }
  }
}

/** BTRS for n·p ≥ 10, p ≤ ½ (constants as in Hörmann 1993; acceptance test exact). */
function btrs(s: RandomStream, n: number, p: number): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = p / (1 - p);
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  const logR = Math.log(r);
  const fm = stirlingTail(m) + stirlingTail(n - m);
  for (;;) {
    const u = s.uniform() - 0.5;
    const v = s.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    // The exact log f(k)/f(m) (pmf ratio) in Stirling-tail form, regrouped so that every term is
    // a multiple of (k − m) or a log1p of a small ratio: no terms of size n·log(·) cancel, and
    // the error stays at a few ulp·|k − m| even for n = 1e6.
    const d = k - m;
    const logRatio =
      d * (logR + Math.log((n - k + 1) / (k + 1))) +
      (m + 0.5) * (Math.log1p(-d / (n - m + 1)) - Math.log1p(d / (m + 1))) +
      (n + 1) * Math.log1p(d / (n - k + 1)) +
      fm -
      stirlingTail(k) -
      stirlingTail(n - k);
    if (Math.log((v * alpha) / (a / (us * us) + b)) <= logRatio) return k;
  }
}

/**
 * Binomial(totalCount, probs) draws (totalCount a non-negative integer, probs in [0, 1]), exact
 * for any totalCount: O(n·p) inversion when n·min(p, 1−p) < 10, O(1) BTRS otherwise.
 *
 * @example
 * binomial(PRNGKey(0), [1000, 5], [0.7, 0.01]);
 */
export function binomial(key: RandomKey, totalCount: ArrayLike<number>, probs: ArrayLike<number>): Float64Array {
  assertRandomKey(key, "binomial");
  checkLengths("binomial", totalCount, probs, "totalCount and probs");
  check("binomial", "totalCount", totalCount, (n) => Number.isSafeInteger(n) && n >= 0, "a non-negative integer");
  check("binomial", "probs", probs, (p) => p >= 0 && p <= 1, "in [0, 1]");
  const out = new Float64Array(probs.length);
  const s = new RandomStream();
  for (let i = 0; i < out.length; i++) {
    const n = totalCount[i]!;
    const p = probs[i]!;
    if (n === 0 || p === 0) continue;
    if (p === 1) {
      out[i] = n;
      continue;
    }
    s.resetFold(key, i);
    const flip = p > 0.5;
    const q = flip ? 1 - p : p; // exact for p ≥ ½
    const k = n * q < 10 ? binomialInversion(s, n, q) : btrs(s, n, q);
    out[i] = flip ? n - k : k;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Poisson

/** Inversion for rate < 10: walk the pmf from 0; redraw if rounding exhausts it. */
function poissonInversion(s: RandomStream, rate: number): number {
  const p0 = Math.exp(-rate);
  for (;;) {
    let u = s.uniform();
    let px = p0;
    for (let x = 0; ; x++) {
      if (u <= px) return x;
      u -= px;
      px *= rate / (x + 1);
      if (px === 0) break;
    }
  }
}

/** PTRS for rate ≥ 10 (constants from Hörmann 1993; acceptance test exact). */
function ptrs(s: RandomStream, rate: number): number {
  const slam = Math.sqrt(rate);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = s.uniform() - 0.5;
    const v = s.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    // log pmf(k) = −λ + k log λ − log k!, with log k! in Stirling form to avoid cancellation.
    const logPmf =
      k * Math.log1p((rate - k - 1) / (k + 1)) - 0.5 * Math.log(k + 1) + (k + 1 - rate) - HALF_LOG_2PI - stirlingTail(k);
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= logPmf) return k;
  }
}

/**
 * Poisson(rate) draws (rate ≥ 0 and finite), exact: inversion for rate < 10, PTRS otherwise.
 *
 * @example
 * poisson(PRNGKey(0), [0.5, 30, 1e5]);
 */
export function poisson(key: RandomKey, rate: ArrayLike<number>): Float64Array {
  assertRandomKey(key, "poisson");
  check("poisson", "rate", rate, (r) => r >= 0 && r < Infinity, "non-negative and finite");
  const out = new Float64Array(rate.length);
  const s = new RandomStream();
  for (let i = 0; i < out.length; i++) {
    const lam = rate[i]!;
    if (lam === 0) continue;
    s.resetFold(key, i);
    out[i] = lam < 10 ? poissonInversion(s, lam) : ptrs(s, lam);
  }
  return out;
}
