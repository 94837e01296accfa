/**
 * The one-hot categorical distribution `OneHotCategorical(probs)` /
 * `OneHotCategorical({ logits })`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import { Categorical } from "./categorical.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { type Param } from "./distribution.js";
import { expandParams, trustedConstruct } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/**
 * The categorical distribution with values as one-hot vectors of length `K`
 * (event shape `[K]`): `logProb(x)` is the normalised logit of the category
 * marked in `x`.
 *
 * @example
 * ```ts
 * dist.OneHotCategorical([0.2, 0.8]).logProb([0, 1]); // log 0.8
 * ```
 */
export class OneHotCategorical extends ProbsLogitsDistribution {
  /** The same distribution over category indices. */
  private readonly categorical: Categorical;

  /** Makes a one-hot categorical distribution from (unnormalised) probabilities or logits. */
  constructor(ctx: DistContext, probsOrOptions: Param | ProbsOrLogits) {
    const p = probsLogitsParams(ctx, "OneHotCategorical", probsOrOptions, false, {});
    super(ctx, p, [p.probs.shape[p.probs.shape.length - 1]!]);
    this.categorical = trustedConstruct(() => new Categorical(ctx, { logits: p.logits }));
  }


  /** `oneHot`. */
  get support(): Constraint {
    return constraints.oneHot;
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /** The normalised logit of the marked category. */
  logProb(value: TensorLike): Tensor {
    const x = this.validateSample(value);
    return this.categorical.logProb(this.ops.argmax(x, -1));
  }

  /** One-hot encodings of categorical draws. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.oneHot(this.categorical.sample(key, sampleShape), this.eventShape[0]!);
  }

  /** `probs`. */
  override get mean(): Tensor {
    return this.probs;
  }

  /** `p (1 - p)`. */
  override get variance(): Tensor {
    return this.ops.mul(this.probs, this.ops.sub(1, this.probs));
  }

  /** `-Σ p log p`. */
  override entropy(): Tensor {
    return this.categorical.entropy();
  }

  /** The `K` one-hot vectors along a new leftmost dim: `[K, 1, ..., 1, K]`, or `[K, ...batchShape, K]` expanded. */
  override enumerateSupport(expand = true): Tensor {
    const { ops } = this;
    const k = this.eventShape[0]!;
    const values = ops.reshape(ops.eye(k), [k, ...this.batchShape.map(() => 1), k]);
    return expand ? ops.expand(values, [k, ...this.batchShape, k]) : values;
  }

  /** Parameters broadcast to `batchShape ++ [K]`. */
  expand(batchShape: Shape): OneHotCategorical {
    return expandParams(this, batchShape, (grow) => new OneHotCategorical(this.ctx,
      this.kind === "probs" ? { probs: grow(this.probs, 1) } : { logits: grow(this.logits, 1) }));
  }
}
