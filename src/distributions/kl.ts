/**
 * `klDivergence(p, q)`: analytic KL divergences `KL(p ‖ q) = E_p[log p - log q]`
 * from a registry keyed by the two families (torch's `register_kl`), with
 * Pyro's extra rules for `Delta`, `Independent` and `MaskedDistribution`.
 *
 * @module
 */
import type { Tensor } from "../tensor/types.js";
import { Bernoulli } from "./bernoulli.js";
import { Beta } from "./beta.js";
import { Categorical } from "./categorical.js";
import { Delta } from "./delta.js";
import { Dirichlet } from "./dirichlet.js";
import { Distribution } from "./distribution.js";
import { Exponential } from "./exponential.js";
import { Gamma } from "./gamma.js";
import { Independent } from "./independent.js";
import { combineMasks, MaskedDistribution } from "./masked.js";
import { Normal } from "./normal.js";
import { logBeta, sumRightmost } from "./util.js";

/** No analytic KL divergence is registered for the pair of families. */
export class KLNotImplementedError extends Error {
  /** Makes the error for the pair `p ‖ q`. */
  constructor(
    /** The first distribution's name. */
    readonly p: string,
    /** The second distribution's name. */
    readonly q: string,
  ) {
    super(`no analytic KL divergence is registered for ${p} ‖ ${q}`);
    this.name = "KLNotImplementedError";
  }
}

/** A distribution class, a key of the registry. */
export type DistributionClass<D extends Distribution> = {
  /** The class's prototype (any class, also with a protected constructor). */
  readonly prototype: D;
};

/** One registered pair: the divergence, and (for wrappers) whether it exists for these arguments. */
interface KLRule {
  readonly kl: (p: Distribution, q: Distribution) => Tensor;
  readonly has: (p: Distribution, q: Distribution) => boolean;
}

const rules = new Map<object, Map<object, KLRule>>();

/**
 * Registers the analytic `KL(p ‖ q)` for `p` of class `P` and `q` of class
 * `Q`. `has` (default: always) tells whether the rule applies to given
 * arguments, for rules that delegate (such as `Independent ‖ Independent`).
 *
 * @example
 * ```ts
 * registerKL(Laplace, Laplace, (p, q) => ...);
 * ```
 */
export function registerKL<P extends Distribution, Q extends Distribution>(
  P: DistributionClass<P>, Q: DistributionClass<Q>,
  kl: (p: P, q: Q) => Tensor, has?: (p: P, q: Q) => boolean,
): void {
  let row = rules.get(P);
  if (row === undefined) rules.set(P, (row = new Map()));
  row.set(Q, {
    kl: kl as (p: Distribution, q: Distribution) => Tensor,
    has: (has ?? (() => true)) as (p: Distribution, q: Distribution) => boolean,
  });
}

/** The classes of `d`, most derived first. */
function classChain(d: Distribution): object[] {
  const out: object[] = [];
  for (let proto: unknown = Object.getPrototypeOf(d); proto !== null && proto !== undefined; proto = Object.getPrototypeOf(proto)) {
    out.push((proto as { constructor: object }).constructor);
  }
  return out;
}

/** The most specific rule for `(p, q)`: `p`'s class chain first, then `q`'s. */
function lookup(p: Distribution, q: Distribution): KLRule | undefined {
  const qChain = classChain(q);
  for (const pc of classChain(p)) {
    const row = rules.get(pc);
    if (row === undefined) continue;
    for (const qc of qChain) {
      const rule = row.get(qc);
      if (rule !== undefined) return rule;
    }
  }
  return undefined;
}

/** Whether `klDivergence(p, q)` has an analytic rule. */
export function hasAnalyticKL(p: Distribution, q: Distribution): boolean {
  const rule = lookup(p, q);
  return rule !== undefined && rule.has(p, q);
}

/**
 * The analytic `KL(p ‖ q)`, of shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws KLNotImplementedError naming both families when no rule applies.
 * @example
 * ```ts
 * klDivergence(dist.Normal(0, 1), dist.Normal(1, 1)); // 0.5
 * ```
 */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  const rule = lookup(p, q);
  if (rule === undefined || !rule.has(p, q)) throw new KLNotImplementedError(p.name, q.name);
  return rule.kl(p, q);
}

// --------------------------------------------------------------- wrappers

/** `p` and `q` with their shared reinterpreted dims peeled off (Pyro's rule). */
function peelIndependent(p: Independent, q: Independent): [Distribution, Distribution, number] {
  const shared = Math.min(p.reinterpretedBatchNdims, q.reinterpretedBatchNdims);
  const peel = (d: Independent): Distribution => {
    const n = d.reinterpretedBatchNdims - shared;
    return n > 0 ? new Independent(d.ctx, d.baseDist, n) : d.baseDist;
  };
  return [peel(p), peel(q), shared];
}

registerKL(Independent, Independent, (p, q) => {
  const [pb, qb, shared] = peelIndependent(p, q);
  return sumRightmost(p.ops, klDivergence(pb, qb), shared);
}, (p, q) => {
  const [pb, qb] = peelIndependent(p, q);
  return hasAnalyticKL(pb, qb);
});

registerKL(MaskedDistribution, MaskedDistribution, (p, q) => {
  const mask = combineMasks(p.ctx, p.maskValue, q.maskValue);
  if (mask === false) return p.ops.zeros(p.batchShape);
  const kl = klDivergence(p.baseDist, q.baseDist);
  return mask === true ? kl : p.ops.where(mask, kl, 0);
}, (p, q) => hasAnalyticKL(p.baseDist, q.baseDist));

/**
 * `logDensity − q.logProb(v)`: the Delta's log-density at its point counts, as
 * every ELBO counts it for a Delta guide site. (Pyro's rule is `−q.log_prob(v)`,
 * which makes its mean-field ELBO drop an autoguide's log-Jacobian on
 * constrained sites; with the density counted, `TraceMeanFieldELBO` and
 * `TraceELBO` estimate the same bound.)
 */
registerKL(Delta, Distribution, (p, q) => p.ops.sub(p.logDensity, q.logProb(p.v)));

// --------------------------------------------------------------- families

registerKL(Normal, Normal, (p, q) => {
  const { ops } = p;
  const varRatio = ops.square(ops.div(p.scale, q.scale));
  const t1 = ops.square(ops.div(ops.sub(p.loc, q.loc), q.scale));
  return ops.mul(0.5, ops.sub(ops.add(varRatio, t1), ops.add(1, ops.log(varRatio))));
});

registerKL(Bernoulli, Bernoulli, (p, q) => {
  const { ops } = p;
  const t1 = ops.mul(p.probs, ops.sub(ops.softplus(ops.neg(q.logits)), ops.softplus(ops.neg(p.logits))));
  const t0 = ops.mul(ops.sub(1, p.probs), ops.sub(ops.softplus(q.logits), ops.softplus(p.logits)));
  return ops.add(ops.where(ops.eq(p.probs, 0), 0, t1), ops.where(ops.eq(p.probs, 1), 0, t0));
});

registerKL(Categorical, Categorical, (p, q) => {
  const { ops } = p;
  const t = ops.mul(p.probs, ops.sub(p.logits, q.logits));
  return ops.sum(ops.where(ops.eq(p.probs, 0), 0, t), -1);
});

registerKL(Beta, Beta, (p, q) => {
  const { ops } = p;
  const [a1, b1, a2, b2] = [p.concentration1, p.concentration0, q.concentration1, q.concentration0];
  const s1 = ops.add(a1, b1);
  const t = ops.sub(logBeta(ops, a2, b2), logBeta(ops, a1, b1));
  const ta = ops.mul(ops.sub(a1, a2), ops.digamma(a1));
  const tb = ops.mul(ops.sub(b1, b2), ops.digamma(b1));
  const ts = ops.mul(ops.sub(ops.add(a2, b2), s1), ops.digamma(s1));
  return ops.add(ops.add(t, ta), ops.add(tb, ts));
});

registerKL(Gamma, Gamma, (p, q) => {
  const { ops } = p;
  const t1 = ops.mul(q.concentration, ops.log(ops.div(p.rate, q.rate)));
  const t2 = ops.sub(ops.lgamma(q.concentration), ops.lgamma(p.concentration));
  const t3 = ops.mul(ops.sub(p.concentration, q.concentration), ops.digamma(p.concentration));
  const t4 = ops.mul(ops.sub(q.rate, p.rate), ops.div(p.concentration, p.rate));
  return ops.add(ops.add(t1, t2), ops.add(t3, t4));
});

registerKL(Exponential, Exponential, (p, q) => {
  const { ops } = p;
  const ratio = ops.div(q.rate, p.rate);
  return ops.sub(ratio, ops.add(ops.log(ratio), 1));
});

registerKL(Dirichlet, Dirichlet, (p, q) => {
  const { ops } = p;
  const pc = p.concentration;
  const qc = q.concentration;
  const pSum = ops.sum(pc, -1);
  const t1 = ops.sub(ops.lgamma(pSum), ops.lgamma(ops.sum(qc, -1)));
  const t2 = ops.sum(ops.sub(ops.lgamma(pc), ops.lgamma(qc)), -1);
  const t4 = ops.sub(ops.digamma(pc), ops.unsqueeze(ops.digamma(pSum), -1));
  return ops.add(ops.sub(t1, t2), ops.sum(ops.mul(ops.sub(pc, qc), t4), -1));
});
