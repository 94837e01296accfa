/**
 * The regularized incomplete gamma functions P(a, x), Q(a, x) and the implicit-reparameterization
 * gradient of a Gamma(α, 1) draw.
 *
 * `gammaP` / `gammaQ`: the power series for x < a + 1 and the Legendre continued fraction
 * (modified Lentz) otherwise, each computing the smaller of P, Q directly and the other as its
 * complement (Numerical Recipes §6.2). The common prefactor x^a e^{-x} / Γ(a) is formed, for
 * a ≥ 10, as √(a/2π)·exp(a·(log1p(t) − t) − S(a)), t = (x − a)/a, S = Stirling correction: this
 * avoids the cancellation of a·log x − x − lgamma(a) (terms ~1e7 for a = 1e6). Both expansions
 * need O(√a) steps when x ≈ a (≈ 9000 at a = 1e6), which is acceptable for a scalar kernel.
 *
 * @module
 */

import { digamma, lgamma, lgamma1p, stirlingCorrection } from "./gamma.js";

/** log1p(t) − t for |t| < 1/4 by its series (no cancellation). */
function log1pmx(t: number): number {
  // Σ_{k≥2} (−1)^{k+1} t^k / k; |t| < 1/4 needs ≤ 27 terms for 1e-17 relative.
  let pow = t * t; // t^k, sign included
  let sum = 0;
  for (let k = 2; k < 60; k++) {
    const term = pow / k;
    sum += (k & 1) === 0 ? -term : term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    pow *= t;
  }
  return sum;
}

/** x^a e^{-x} / Γ(a), without overflow or cancellation (see the module comment). */
function gammaPrefix(a: number, x: number): number {
  if (a < 10) return Math.exp(a * Math.log(x) - x - lgamma(a));
  const t = (x - a) / a;
  // a·(log1p(t) − t) = a·log(x/a) + (a − x); the series form is used near t = 0, the direct form
  // elsewhere (for x ≪ a, t = −1 + x/a would have lost x/a to rounding).
  const expo = Math.abs(t) < 0.25 ? a * log1pmx(t) : a * Math.log(x / a) + (a - x);
  return Math.sqrt(a / (2 * Math.PI)) * Math.exp(expo - stirlingCorrection(a));
}

/** Σ_{n≥0} x^n / ((a+1)…(a+n)), the series part of P(a, x) = prefix/a · series. */
function lowerSeries(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  const maxIter = 100 + 50 * Math.sqrt(a);
  for (let n = 1; n < maxIter; n++) {
    term *= x / (a + n);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** The Legendre continued fraction part of Q(a, x) = prefix · cf, x ≥ a + 1 (Lentz). */
function upperFraction(a: number, x: number): number {
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const maxIter = 100 + 50 * Math.sqrt(a);
  for (let i = 1; i < maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Q(a, x) for a < 1, x ≤ 1, where Q may be small (Q → −a·log x as a → 0) and 1 − P would cancel:
 * P = e^u (1 + T) with e^u = x^a / Γ(1+a) and T = Σ_{n≥1} (−1)^n a x^n / (n! (a+n)), so
 * Q = −expm1(u) − e^u·T, where both terms are non-negative unless x^a > Γ(1+a) (then they
 * cancel by at most a factor ~3 for x ≤ 1).
 */
function smallShapeQ(a: number, x: number): number {
  const u = a * Math.log(x) - lgamma1p(a);
  let term = 1; // (−1)^n x^n / n!
  let t = 0;
  for (let n = 1; n < 40; n++) {
    term *= -x / n;
    const c = (a * term) / (a + n);
    t += c;
    if (Math.abs(c) < 1e-17 * Math.abs(t)) break;
  }
  return -Math.expm1(u) - Math.exp(u) * t;
}

/** Shared argument handling: returns P, or NaN for invalid input; `upper` selects Q. */
function incompleteGamma(a: number, x: number, upper: boolean): number {
  if (!(a > 0) || a === Infinity || !(x >= 0)) return NaN;
  if (x === 0) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  if (x < a + 1) {
    if (upper && a < 1 && x <= 1) return smallShapeQ(a, x);
    const p = (gammaPrefix(a, x) / a) * lowerSeries(a, x);
    return upper ? 1 - p : p;
  }
  const q = gammaPrefix(a, x) * upperFraction(a, x);
  return upper ? q : 1 - q;
}

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), the CDF of Gamma(a, 1)
 * at x. Requires a > 0, x ≥ 0 (NaN otherwise). Measured against mpmath: relative error ≲ 1e-14
 * for P ≥ 1e-100; far-tail values lose ≈ |log P| ulp, the conditioning of x^a e^{-x}.
 *
 * @example
 * gammaP(1, 2); // 1 − e^{−2} = 0.8646647167633873
 */
export function gammaP(a: number, x: number): number {
  return incompleteGamma(a, x, false);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), relatively accurate in
 * the upper tail (same accuracy as {@link gammaP}). Requires a > 0, x ≥ 0 (NaN otherwise).
 *
 * @example
 * gammaQ(0.5, 4); // erfc(2) = 0.004677734981047266
 */
export function gammaQ(a: number, x: number): number {
  return incompleteGamma(a, x, true);
}

/**
 * dz/dα for z ≤ 1 by differentiating the series term by term: with t_n = z^n / ((α+1)…(α+n)) and
 * H_n = Σ_{j≤n} 1/(α+j), ∂P/∂α = prefix·[(log z − ψ(α+1)) Σ t_n − Σ t_n H_n] and the density is
 * prefix·α/z, so the prefactor cancels. z ≤ 1 makes t_n ≤ 1/n!: at most ~20 terms.
 */
function gradSeries(alpha: number, z: number): number {
  let t = 1;
  let h = 0;
  let s0 = 1;
  let s1 = 0;
  for (let n = 1; n < 60; n++) {
    const inv = 1 / (alpha + n);
    t *= z * inv;
    h += inv;
    s0 += t;
    s1 += t * h;
    if (t < 1e-17 * s0 && t * h <= 1e-17 * s1) break;
  }
  return -(z / alpha) * ((Math.log(z) - digamma(alpha + 1)) * s0 - s1);
}

/** e^u − 1 − u without cancellation for small |u|. */
function expm1mx(u: number): number {
  if (Math.abs(u) >= 0.5) return Math.expm1(u) - u;
  let term = u * u * 0.5;
  let sum = term;
  for (let k = 3; k < 30; k++) {
    term *= u / k;
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * c = log z − ψ(α), computed as log1p((z−α)/α) + (log α − ψ(α)) for α ≥ 10 (with the asymptotic
 * series of log α − ψ(α) ≈ 1/(2α)) so that c keeps relative accuracy when z ≈ α is large.
 */
function logRatioMinusDigamma(alpha: number, z: number): number {
  if (alpha < 10) return Math.log(z) - digamma(alpha);
  const r2 = 1 / (alpha * alpha);
  // log α − ψ(α) = 1/(2α) + Σ B_{2k}/(2k α^{2k}); first neglected term < 5e-17 at α = 10.
  const logMinusPsi =
    0.5 / alpha +
    r2 *
      (1 / 12 -
        r2 *
          (1 / 120 -
            r2 * (1 / 252 - r2 * (1 / 240 - r2 * (1 / 132 - r2 * (691 / 32760 - r2 / 12))))));
  return Math.log1p((z - alpha) / alpha) + logMinusPsi;
}

/** Exp-sinh nodes per unit of τ (finest step 1/128) and half-width of the τ grid (τ ≤ 4.5). */
const DE_PER_UNIT = 128;
const DE_N = 4.5 * DE_PER_UNIT;
/** exp-sinh node s(τ)/σ = exp(π/2 · sinh τ) and weight ds/dτ /σ on τ = (i − DE_N)/DE_PER_UNIT. */
const [DE_S, DE_W] = ((): [Float64Array, Float64Array] => {
  const nodes = new Float64Array(2 * DE_N + 1);
  const weights = new Float64Array(2 * DE_N + 1);
  for (let i = 0; i <= 2 * DE_N; i++) {
    const tau = (i - DE_N) / DE_PER_UNIT;
    nodes[i] = Math.exp((Math.PI / 2) * Math.sinh(tau));
    weights[i] = nodes[i]! * (Math.PI / 2) * Math.cosh(tau);
  }
  return [nodes, weights];
})();

/**
 * dz/dα for z > 1 from the integral representation (derivation in {@link standardGammaGrad}):
 * dz/dα = z ∫₀^∞ (s − c) e^{E(s)} ds (lower form, t = z e^{−s}) or z ∫₀^∞ (s + c) e^{E(s)} ds
 * (upper form, t = z e^{s}), c = log z − ψ(α). The form whose factor is non-negative is chosen,
 * so the sum has no cancellation. E is concave with E(0) = 0, so the integrand is a smooth
 * log-concave bump; we scale s by σ (the point where E = −1, within a factor 2) and integrate with
 * the exp-sinh double-exponential rule s = σ exp(π/2 · sinh τ), halving the step until two levels
 * agree to 1e-12 (the DE error roughly squares per halving; measured total error ≲ 1e-14).
 */
function gradQuadrature(alpha: number, z: number): number {
  const c = logRatioMinusDigamma(alpha, z);
  const lower = c <= 0;
  const shift = lower ? -c : c;
  // E(s) = ∓(α − z)s − z·(e^{∓s} − 1 ± s): the split keeps E accurate when α ≈ z are large.
  const d = alpha - z;
  const expo = lower
    ? (s: number): number => -d * s - z * expm1mx(-s)
    : (s: number): number => d * s - z * expm1mx(s);
  // Scale: E(σ) ≤ −1 < E(σ/2).
  let sigma = 1 / (Math.abs(d) + Math.sqrt(z));
  for (let i = 0; i < 2000 && expo(sigma) > -1; i++) sigma *= 2;
  for (let i = 0; i < 2000 && expo(sigma / 2) <= -1; i++) sigma /= 2;
  const f = (i: number): number => {
    const s = sigma * DE_S[i]!;
    const v = (s + shift) * Math.exp(expo(s)) * DE_W[i]!;
    return Number.isFinite(v) ? v : 0;
  };
  // Level 0 (h = ½) also finds the range where terms exceed 1e-18 of the sum; past τ = ±1 the
  // terms decrease monotonically (E(s) ≤ −s/σ for s ≥ σ by concavity; s → 0 below).
  let stride = DE_PER_UNIT / 2;
  let sum = f(DE_N);
  let hi = 0;
  let lo = 0;
  for (let k = stride; k <= DE_N; k += stride) {
    const v = f(DE_N + k);
    sum += v;
    hi = k;
    if (k >= DE_PER_UNIT && v <= 1e-18 * sum) break;
  }
  for (let k = stride; k <= DE_N; k += stride) {
    const v = f(DE_N - k);
    sum += v;
    lo = k;
    if (k >= DE_PER_UNIT && v <= 1e-18 * sum) break;
  }
  let estimate = (sum * stride) / DE_PER_UNIT;
  while (stride > 1) {
    stride /= 2;
    for (let k = stride; k < hi; k += 2 * stride) sum += f(DE_N + k);
    for (let k = stride; k < lo; k += 2 * stride) sum += f(DE_N - k);
    const next = (sum * stride) / DE_PER_UNIT;
    const done = Math.abs(next - estimate) <= 1e-12 * Math.abs(next);
    estimate = next;
    if (done) break;
  }
  return sigma * z * estimate;
}

/**
 * The implicit-reparameterization gradient of a standard Gamma draw (Figurnov, Mohamed & Mnih,
 * "Implicit Reparameterization Gradients", NeurIPS 2018): for z ~ Gamma(α, 1),
 * dz/dα = −(∂P(α, z)/∂α) / p(z; α), with P the CDF and p the density. This is what `rsample` of
 * Gamma, Beta and Dirichlet backpropagates through; E[dz/dα] = 1 since E[z] = α.
 *
 * Method: writing ∂P/∂α = ∫₀^z (log t − ψ(α)) p(t; α) dt (= −∫_z^∞ …) and substituting t = z e^{∓s}
 * gives p(t) dt / p(z) = z e^{E(s)} ds, so the density ratio is computed without any prefactor:
 * a term-by-term differentiated power series for z ≤ 1 and a double-exponential quadrature for
 * z > 1. Accuracy, measured against mpmath (50 digits) over α ∈ [1e-3, 1e6] and z across the
 * bulk and tails of each Gamma(α): relative error < 1e-14. Returns 0 at z = 0 and NaN for α ≤ 0
 * or z < 0.
 *
 * @example
 * standardGammaGrad(1, 1); // 1.1735630272247269 (dz/dα of an Exp(1) draw at z = 1)
 */
export function standardGammaGrad(alpha: number, z: number): number {
  if (!(alpha > 0) || alpha === Infinity || !(z >= 0)) return NaN;
  if (z === 0) return 0;
  if (z === Infinity) return Infinity;
  return z <= 1 ? gradSeries(alpha, z) : gradQuadrature(alpha, z);
}
