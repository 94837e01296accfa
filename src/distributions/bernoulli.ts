/**
 * The Bernoulli distribution, by probabilities or logits.
 *
 * @module
 */
import { uniform, type RandomKey } from "../tensor/random/index.js";
import { sizeOf } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { type Param } from "./distribution.js";
import { enumerateRange } from "./enumerate.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { flatNumbers } from "./util.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/**
 * The Bernoulli distribution over `{0, 1}`: `Bernoulli(probs)`,
 * `Bernoulli({ probs })` or `Bernoulli({ logits })`.
 *
 * @example
 * ```ts
 * dist.Bernoulli(0.3).logProb(1);          // log 0.3
 * dist.Bernoulli({ logits: 0 }).logProb(0); // log 0.5
 * ```
 */
export class Bernoulli extends ProbsLogitsDistribution {

  /** Makes a Bernoulli distribution from probabilities (in [0, 1]) or logits. */
  constructor(ctx: DistContext, probsOrOptions: Param | ProbsOrLogits) {
    const p = probsLogitsParams(ctx, "Bernoulli", probsOrOptions, true, {});
    super(ctx, p, []);
  }


  /** `boolean`. */
  get support(): Constraint {
    return constraints.boolean;
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /**
   * `x log σ(l) + (1 - x) log σ(-l)`, with `log σ(l) = -softplus(-l)`: finite
   * for every finite logit, and exact for probabilities near 0 and 1.
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    // x·log σ(l) + (1−x)·log(1−σ(l)) = x·l − softplus(l): exact and stable; one fused
    // op where the backend has it (this is the hot path of logistic regression).
    return ops.neg(ops.binaryCrossEntropyWithLogits(this.logits, x));
  }

  /** `1` where a uniform draw falls below `probs`, else `0`. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const p = flatNumbers(ops, ops.expand(this.probs, shape));
    const u = uniform(key, sizeOf(shape));
    for (let i = 0; i < u.length; i++) u[i] = u[i]! < p[i]! ? 1 : 0;
    return ops.fromFlat(u, shape);
  }

  /** `probs`. */
  override get mean(): Tensor {
    return this.probs;
  }

  /** `probs (1 - probs)`. */
  override get variance(): Tensor {
    return this.ops.mul(this.probs, this.ops.sub(1, this.probs));
  }

  /** `p softplus(-l) + (1 - p) softplus(l)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const a = ops.mul(this.probs, ops.softplus(ops.neg(this.logits)));
    return ops.add(a, ops.mul(ops.sub(1, this.probs), ops.softplus(this.logits)));
  }

  /** `[0, 1]` along a new leftmost dim. */
  override enumerateSupport(expand = true): Tensor {
    return enumerateRange(this.ops, 2, this.batchShape, expand);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Bernoulli {
    return expandParams(this, batchShape, (grow) => new Bernoulli(this.ctx,
      this.kind === "probs" ? { probs: grow(this.probs) } : { logits: grow(this.logits) }));
  }
}
