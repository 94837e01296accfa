/**
 * Analytic `KL(p ‖ q)` for pairs of the same family, as torch registers them
 * (`torch/distributions/kl.py`), for the families added after the core
 * ones, plus `HalfNormal`, `Uniform` and `Binomial`.
 *
 * @module
 */
import { Binomial } from "./binomial.js";
import { Cauchy } from "./cauchy.js";
import { Geometric } from "./geometric.js";
import { EULER_GAMMA, Gumbel } from "./gumbel.js";
import { HalfNormal } from "./half-normal.js";
import { registerKL } from "./kl.js";
import { Laplace } from "./laplace.js";
import { OneHotCategorical } from "./one-hot-categorical.js";
import { Pareto } from "./pareto.js";
import { Poisson } from "./poisson.js";
import { Uniform } from "./uniform.js";
import { flatNumbers, xlogy } from "./util.js";

registerKL(HalfNormal, HalfNormal, (p, q) => {
  const { ops } = p;
  const r = ops.square(ops.div(p.scale, q.scale));
  return ops.mul(0.5, ops.sub(ops.sub(r, 1), ops.log(r)));
});

/** `log((qh - ql) / (ph - pl))`, `∞` where q does not cover p. */
registerKL(Uniform, Uniform, (p, q) => {
  const { ops } = p;
  const kl = ops.log(ops.div(ops.sub(q.high, q.low), ops.sub(p.high, p.low)));
  return ops.where(ops.logicalOr(ops.gt(q.low, p.low), ops.lt(q.high, p.high)), Infinity, kl);
});

/**
 * `n [p (l_p - l_q) + log(1 - p) - log(1 - q)]` for equal totals, `∞` where
 * `p`'s total exceeds `q`'s; not defined (no rule) where `q`'s is larger (as torch).
 */
registerKL(Binomial, Binomial, (p, q) => {
  const { ops } = p;
  const t = ops.add(ops.mul(p.probs, ops.sub(p.logits, q.logits)), ops.sub(ops.softplus(q.logits), ops.softplus(p.logits)));
  return ops.where(ops.gt(p.totalCount, q.totalCount), Infinity, ops.mul(p.totalCount, t));
}, (p, q) => {
  const n = p.ops.sub(p.totalCount, q.totalCount);
  return flatNumbers(p.ops, n).every((d) => d >= 0);
});

/** `λp log(λp / λq) - (λp - λq)`. */
registerKL(Poisson, Poisson, (p, q) => {
  const { ops } = p;
  return ops.sub(ops.sub(xlogy(ops, p.rate, p.rate), xlogy(ops, p.rate, q.rate)), ops.sub(p.rate, q.rate));
});

/** `-H(p) - ((1 - p)/p) log(1 - q) - log q`. */
registerKL(Geometric, Geometric, (p, q) => {
  const { ops } = p;
  const logFailQ = ops.neg(ops.softplus(q.logits));
  const logSuccessQ = ops.neg(ops.softplus(ops.neg(q.logits)));
  return ops.sub(ops.sub(ops.neg(p.entropy()), ops.mul(p.mean, logFailQ)), logSuccessQ);
});

/** `Σ p (log p - log q)` (terms with `p = 0` count 0). */
registerKL(OneHotCategorical, OneHotCategorical, (p, q) => {
  const { ops } = p;
  const t = ops.mul(p.probs, ops.sub(p.logits, q.logits));
  return ops.sum(ops.where(ops.eq(p.probs, 0), 0, t), -1);
});

/** `log((s_p + s_q)² + δ²) - log(4 s_p s_q)`. */
registerKL(Cauchy, Cauchy, (p, q) => {
  const { ops } = p;
  const num = ops.add(ops.square(ops.add(p.scale, q.scale)), ops.square(ops.sub(p.loc, q.loc)));
  return ops.log(ops.div(num, ops.mul(4, ops.mul(p.scale, q.scale))));
});

/** `-log(b_p/b_q) + |δ|/b_q + (b_p/b_q) e^(-|δ|/b_p) - 1`. */
registerKL(Laplace, Laplace, (p, q) => {
  const { ops } = p;
  const ratio = ops.div(p.scale, q.scale);
  const d = ops.abs(ops.sub(p.loc, q.loc));
  const t = ops.add(ops.div(d, q.scale), ops.mul(ratio, ops.exp(ops.neg(ops.div(d, p.scale)))));
  return ops.sub(ops.sub(t, ops.log(ratio)), 1);
});

/**
 * `-log(β_p/β_q) + (μ_p - μ_q)/β_q + γ β_p/β_q + exp((μ_q - μ_p)/β_q) Γ(1 + β_p/β_q) - 1 - γ`
 * (`E_p[e^(-x/β_q)] = e^(-μ_p/β_q) Γ(1 + β_p/β_q)`).
 */
registerKL(Gumbel, Gumbel, (p, q) => {
  const { ops } = p;
  const ratio = ops.div(p.scale, q.scale);
  const shift = ops.div(ops.sub(p.loc, q.loc), q.scale);
  const t3 = ops.exp(ops.sub(ops.lgamma(ops.add(1, ratio)), shift));
  const t = ops.add(ops.add(ops.sub(shift, ops.log(ratio)), ops.mul(EULER_GAMMA, ratio)), t3);
  return ops.sub(t, 1 + EULER_GAMMA);
});

/** `α_q log(s_p/s_q) - log(α_q/α_p) + α_q/α_p - 1`, `∞` where `s_p < s_q`. */
registerKL(Pareto, Pareto, (p, q) => {
  const { ops } = p;
  const ratio = ops.div(q.alpha, p.alpha);
  const kl = ops.sub(ops.add(ops.mul(q.alpha, ops.log(ops.div(p.scale, q.scale))), ratio), ops.add(ops.log(ratio), 1));
  return ops.where(ops.lt(p.scale, q.scale), Infinity, kl);
});
