/**
 * The geometric distribution `Geometric(probs)` / `Geometric({ logits })`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { type Param } from "./distribution.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { openUniformTensor } from "./sampling.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/**
 * The number of failures before the first success in Bernoulli trials of
 * success probability `probs` (torch's convention): `P(k) = (1 - p)^k p`,
 * `k = 0, 1, ...`.
 *
 * @example
 * ```ts
 * dist.Geometric(0.25).mean; // 3
 * ```
 */
export class Geometric extends ProbsLogitsDistribution {

  /** Makes `Geometric(probs)`, `Geometric({ probs })` or `Geometric({ logits })`. */
  constructor(ctx: DistContext, probsOrOptions: Param | ProbsOrLogits) {
    const p = probsLogitsParams(ctx, "Geometric", probsOrOptions, true, {});
    super(ctx, p, []);
  }


  /** `nonnegativeInteger`. */
  get support(): Constraint {
    return constraints.nonnegativeInteger;
  }

  /** `k log(1 - p) + log p = -k softplus(l) - softplus(-l)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.validateSample(value);
    return ops.neg(ops.add(ops.mul(k, ops.softplus(this.logits)), ops.softplus(ops.neg(this.logits))));
  }

  /** `floor(log u / log(1 - p))` for `u ~ Uniform(0, 1)` (inversion). */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const u = openUniformTensor(ops, key, this.shape(sampleShape));
    const logFail = ops.neg(ops.softplus(this.logits));
    return ops.stopGradient(ops.floor(ops.div(ops.log(u), logFail)));
  }

  /** `(1 - p) / p`. */
  override get mean(): Tensor {
    return this.ops.exp(this.ops.neg(this.logits));
  }

  /** `(1 - p) / p²`. */
  override get variance(): Tensor {
    return this.ops.div(this.mean, this.probs);
  }

  /** `[softplus(-l) (p) + softplus(l) (1 - p)] / p`: the Bernoulli entropy over `p`. */
  override entropy(): Tensor {
    const { ops } = this;
    const l = this.logits;
    const bernoulli = ops.add(ops.mul(this.probs, ops.softplus(ops.neg(l))), ops.mul(ops.sub(1, this.probs), ops.softplus(l)));
    return ops.div(bernoulli, this.probs);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Geometric {
    return expandParams(this, batchShape, (grow) => new Geometric(this.ctx,
      this.kind === "probs" ? { probs: grow(this.probs) } : { logits: grow(this.logits) }));
  }
}
