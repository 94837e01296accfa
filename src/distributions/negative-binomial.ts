/**
 * The negative binomial distribution `NegativeBinomial({ totalCount, probs | logits })`.
 *
 * @module
 */
import { poisson, standardGamma, split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { type Param } from "./distribution.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { flatNumbers } from "./util.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/** Options of {@link NegativeBinomial}: the number of failures and the success probability or logit. */
export type NegativeBinomialOptions = ProbsOrLogits & {
  /** The number of failures `r` that ends the trials (nonnegative, need not be whole). */
  readonly totalCount: Param;
};

/**
 * The number of successes before `totalCount` failures in Bernoulli trials
 * of success probability `probs` (torch's and Pyro's convention):
 * `P(k) = Γ(k + r) / (k! Γ(r)) p^k (1 - p)^r`. Sampled as a gamma–Poisson
 * mixture: `k ~ Poisson(λ)`, `λ ~ Gamma(r, (1 - p) / p)`.
 *
 * @example
 * ```ts
 * dist.NegativeBinomial({ totalCount: 5, probs: 0.5 }).mean; // 5
 * ```
 */
export class NegativeBinomial extends ProbsLogitsDistribution {
  /** The number of failures `r`. */
  readonly totalCount: Tensor;

  /** Makes a negative binomial distribution. */
  constructor(ctx: DistContext, options: NegativeBinomialOptions) {
    const p = probsLogitsParams(ctx, "NegativeBinomial", options, true, {
      totalCount: { value: options.totalCount, constraint: constraints.nonnegative },
    });
    super(ctx, p, []);
    this.totalCount = p.params.totalCount;
  }


  /** `nonnegativeInteger`. */
  get support(): Constraint {
    return constraints.nonnegativeInteger;
  }

  /**
   * `r log σ(-l) + k log σ(l) + log Γ(r + k) - log Γ(1 + k) - log Γ(r)`;
   * the normaliser is 0 where `r + k = 0` (torch's rule for `r = 0`).
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.validateSample(value);
    const r = this.totalCount;
    const unnorm = ops.neg(ops.add(ops.mul(r, ops.softplus(this.logits)), ops.mul(k, ops.softplus(ops.neg(this.logits)))));
    const norm = ops.sub(ops.add(ops.lgamma(ops.add(k, 1)), ops.lgamma(r)), ops.lgamma(ops.add(r, k)));
    return ops.sub(unnorm, ops.where(ops.eq(ops.add(r, k), 0), 0, norm));
  }

  /** Poisson draws of gamma-distributed rates `Γ(r, 1) p / (1 - p)`. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const [kg, kp] = split(key, 2) as [RandomKey, RandomKey];
    const shape = this.shape(sampleShape);
    const r = flatNumbers(ops, ops.expand(this.totalCount, shape));
    const odds = flatNumbers(ops, ops.expand(ops.exp(this.logits), shape));
    // Γ(0, 1) is the point mass at 0 (r = 0 never fails: no successes).
    const g = standardGamma(kg, r.map((v) => (v > 0 ? v : 1)));
    const rate = g.map((v, i) => (r[i]! > 0 ? v * odds[i]! : 0));
    return ops.fromFlat(poisson(kp, rate), shape);
  }

  /** `r p / (1 - p) = r e^l`. */
  override get mean(): Tensor {
    return this.ops.mul(this.totalCount, this.ops.exp(this.logits));
  }

  /** `mean / (1 - p)`. */
  override get variance(): Tensor {
    return this.ops.div(this.mean, this.ops.sigmoid(this.ops.neg(this.logits)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): NegativeBinomial {
    return expandParams(this, batchShape, (grow) => {
      const totalCount = grow(this.totalCount);
      return new NegativeBinomial(this.ctx,
        this.kind === "probs" ? { totalCount, probs: grow(this.probs) } : { totalCount, logits: grow(this.logits) });
    });
  }
}
