/**
 * Analytic `KL(p ‖ q)` between different univariate families, the pairs
 * torch registers (`torch/distributions/kl.py`), derived from
 * `KL = -H(p) - E_p[log q(x)]` with the moments of `p` that `log q` needs:
 * `E x`, `E x²` (via the variance), `E log x`, `E e^(-x/β)`, `E|x - μ|`.
 * Where `q`'s support does not cover `p`'s, the divergence is `∞`.
 *
 * @module
 */
import { broadcastShapes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/types.js";
import { Beta } from "./beta.js";
import type { Distribution } from "./distribution.js";
import { Exponential } from "./exponential.js";
import { Gamma } from "./gamma.js";
import { EULER_GAMMA, Gumbel } from "./gumbel.js";
import { registerKL, type DistributionClass } from "./kl.js";
import { Laplace } from "./laplace.js";
import { Normal } from "./normal.js";
import { Pareto } from "./pareto.js";
import { Uniform } from "./uniform.js";
import { HALF_LOG_2PI, logBeta, xlogy } from "./util.js";

type Ops = Distribution["ops"];

/** `∞` of the broadcast batch shape. */
function infinite(p: Distribution, q: Distribution): Tensor {
  return p.ops.full(broadcastShapes(p.batchShape, q.batchShape), Infinity);
}

/** `(h log h - l log l) / (h - l) - 1`: `E log x` for `x ~ Uniform(l, h)`, `l >= 0`. */
function uniformMeanLog(ops: Ops, l: Tensor, h: Tensor): Tensor {
  return ops.sub(ops.div(ops.sub(xlogy(ops, h, h), xlogy(ops, l, l)), ops.sub(h, l)), 1);
}

/** `E_p[log x]` of the positive families. */
function meanLog(p: Beta | Exponential | Gamma | Pareto | Uniform): Tensor {
  const { ops } = p;
  if (p instanceof Beta) return ops.sub(ops.digamma(p.concentration1), ops.digamma(ops.add(p.concentration1, p.concentration0)));
  if (p instanceof Exponential) return ops.sub(-EULER_GAMMA, ops.log(p.rate));
  if (p instanceof Gamma) return ops.sub(ops.digamma(p.concentration), ops.log(p.rate));
  if (p instanceof Pareto) return ops.add(ops.log(p.scale), ops.reciprocal(p.alpha));
  return uniformMeanLog(ops, p.low, p.high);
}

/** `E_p[e^(-x/β)]` (the moment generating function at `-1/β`). */
function mgfAtNegative(p: Exponential | Gamma | Normal | Uniform, beta: Tensor): Tensor {
  const { ops } = p;
  const t = ops.reciprocal(beta);
  if (p instanceof Exponential) return ops.div(p.rate, ops.add(p.rate, t));
  if (p instanceof Gamma) return ops.exp(ops.mul(ops.neg(p.concentration), ops.log1p(ops.div(t, p.rate))));
  if (p instanceof Normal) return ops.exp(ops.add(ops.mul(ops.neg(t), p.loc), ops.mul(0.5, ops.square(ops.mul(t, p.scale)))));
  const w = ops.sub(p.high, p.low);
  return ops.div(ops.sub(ops.exp(ops.mul(ops.neg(t), p.low)), ops.exp(ops.mul(ops.neg(t), p.high))), ops.mul(t, w));
}

// ------------------------------------------------------------ q = Normal

/** `-H(p) + ½ log(2πσ²) + (Var p + (E p - m)²) / (2σ²)`. */
function klToNormal(p: Distribution, q: Normal): Tensor {
  const { ops } = p;
  const s2 = ops.square(q.scale);
  const second = ops.add(p.variance, ops.square(ops.sub(p.mean, q.loc)));
  return ops.add(ops.sub(ops.add(ops.log(q.scale), HALF_LOG_2PI), p.entropy()), ops.div(second, ops.mul(2, s2)));
}
for (const P of [Beta, Exponential, Gamma, Gumbel, Laplace, Pareto, Uniform] as DistributionClass<Distribution>[]) {
  registerKL(P, Normal, klToNormal);
}

// -------------------------------------------------------- q = Exponential

/** `-H(p) - log λ + λ E p`, for `p` on the nonnegative reals. */
function klToExponential(p: Beta | Gamma | Pareto | Uniform, q: Exponential): Tensor {
  const { ops } = p;
  return ops.add(ops.sub(ops.neg(p.entropy()), ops.log(q.rate)), ops.mul(q.rate, p.mean));
}
registerKL(Beta, Exponential, klToExponential);
registerKL(Gamma, Exponential, klToExponential);
registerKL(Pareto, Exponential, klToExponential);
registerKL(Uniform, Exponential, (p, q) => p.ops.where(p.ops.lt(p.low, 0), Infinity, klToExponential(p, q)));

// -------------------------------------------------------------- q = Gamma

/** `-H(p) - a log b + log Γ(a) - (a - 1) E log x + b E x`, for `p` on the positive reals. */
function klToGamma(p: Beta | Exponential | Pareto | Uniform, q: Gamma): Tensor {
  const { ops } = p;
  const a = q.concentration;
  const norm = ops.sub(ops.lgamma(a), ops.mul(a, ops.log(q.rate)));
  const t = ops.sub(ops.mul(q.rate, p.mean), ops.mul(ops.sub(a, 1), meanLog(p)));
  return ops.add(ops.sub(norm, p.entropy()), t);
}
registerKL(Beta, Gamma, klToGamma);
registerKL(Exponential, Gamma, klToGamma);
registerKL(Pareto, Gamma, klToGamma);
registerKL(Uniform, Gamma, (p, q) => p.ops.where(p.ops.lt(p.low, 0), Infinity, klToGamma(p, q)));

// ------------------------------------------------------------- q = Gumbel

/** `-H(p) + log β + (E p - μ)/β + e^(μ/β) E_p[e^(-x/β)]`. */
function klToGumbel(p: Exponential | Gamma | Normal | Uniform, q: Gumbel): Tensor {
  const { ops } = p;
  const t = ops.add(ops.log(q.scale), ops.div(ops.sub(p.mean, q.loc), q.scale));
  const e = ops.mul(ops.exp(ops.div(q.loc, q.scale)), mgfAtNegative(p, q.scale));
  return ops.add(ops.sub(t, p.entropy()), e);
}
for (const P of [Exponential, Gamma, Normal, Uniform] as DistributionClass<Exponential | Gamma | Normal | Uniform>[]) {
  registerKL(P, Gumbel, klToGumbel);
}

// ------------------------------------------------------- the other pairs

/** `-H(p) + log 2b + E|x - μ| / b`, `E|x - μ| = σ √(2/π) e^(-δ²/2σ²) + δ erf(δ / σ√2)` (δ = m - μ). */
registerKL(Normal, Laplace, (p, q) => {
  const { ops } = p;
  const d = ops.sub(p.loc, q.loc);
  const fold = ops.add(
    ops.mul(ops.mul(p.scale, Math.sqrt(2 / Math.PI)), ops.exp(ops.mul(-0.5, ops.square(ops.div(d, p.scale))))),
    ops.mul(d, ops.erf(ops.div(d, ops.mul(p.scale, Math.SQRT2)))));
  return ops.add(ops.sub(ops.log(ops.mul(2, q.scale)), p.entropy()), ops.div(fold, q.scale));
});

/** `-H(p) + log B(a, b) - (a - 1) E log x - (b - 1) E log(1 - x)`; `∞` unless `[l, h] ⊂ [0, 1]`. */
registerKL(Uniform, Beta, (p, q) => {
  const { ops } = p;
  const [a, b] = [q.concentration1, q.concentration0];
  const logX = uniformMeanLog(ops, p.low, p.high);
  const log1mX = uniformMeanLog(ops, ops.sub(1, p.high), ops.sub(1, p.low));
  const t = ops.add(ops.mul(ops.sub(a, 1), logX), ops.mul(ops.sub(b, 1), log1mX));
  const kl = ops.sub(ops.sub(logBeta(ops, a, b), p.entropy()), t);
  return ops.where(ops.logicalOr(ops.lt(p.low, 0), ops.gt(p.high, 1)), Infinity, kl);
});

/** `-H(p) + log(h - l)`; `∞` unless `[l, h]` covers `[0, 1]`. */
registerKL(Beta, Uniform, (p, q) => {
  const { ops } = p;
  const kl = ops.add(ops.neg(p.entropy()), ops.log(ops.sub(q.high, q.low)));
  return ops.where(ops.logicalOr(ops.gt(q.low, 0), ops.lt(q.high, 1)), Infinity, kl);
});

/** `-H(p) - log α - α log s + (α + 1) E log x`; `∞` where `l < s`. */
registerKL(Uniform, Pareto, (p, q) => {
  const { ops } = p;
  const t = ops.sub(ops.mul(ops.add(q.alpha, 1), uniformMeanLog(ops, p.low, p.high)), ops.mul(q.alpha, ops.log(q.scale)));
  const kl = ops.sub(ops.sub(t, ops.log(q.alpha)), p.entropy());
  return ops.where(ops.lt(p.low, q.scale), Infinity, kl);
});

// -------------------------------------------- supports not covered: ∞

const infinitePairs: [DistributionClass<Distribution>, DistributionClass<Distribution>[]][] = [
  [Beta, [Pareto]],
  [Exponential, [Beta, Pareto, Uniform]],
  [Gamma, [Beta, Pareto, Uniform]],
  [Gumbel, [Beta, Exponential, Gamma, Pareto, Uniform]],
  [Laplace, [Beta, Exponential, Gamma, Pareto, Uniform]],
  [Normal, [Beta, Exponential, Gamma, Pareto, Uniform]],
  [Pareto, [Beta, Uniform]],
];
for (const [P, Qs] of infinitePairs) for (const Q of Qs) registerKL(P, Q, infinite);
