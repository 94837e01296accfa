/**
 * The categorical distribution over `0, ..., K - 1`, by probabilities or
 * logits along the last dim.
 *
 * @module
 */
import { categorical, type RandomKey } from "../tensor/random/index.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { IntegerInterval } from "./constraints.js";
import type { DistContext } from "./context.js";
import { type Param } from "./distribution.js";
import { enumerateRange } from "./enumerate.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { expandTo, flatNumbers } from "./util.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/**
 * The categorical distribution: `Categorical(probs)`, `Categorical({ probs })`
 * or `Categorical({ logits })`, with the `K` categories along the last dim of
 * the parameter. Values are whole-number floats, usable as indices with
 * `ops.index(locs, x)` (Pyro's `locs[x]`).
 *
 * @example
 * ```ts
 * const d = dist.Categorical([0.2, 0.3, 0.5]);
 * d.logProb(2); // log 0.5
 * ```
 */
export class Categorical extends ProbsLogitsDistribution {

  /** Makes a categorical distribution from (unnormalised) probabilities or logits. */
  constructor(ctx: DistContext, probsOrOptions: Param | ProbsOrLogits) {
    const p = probsLogitsParams(ctx, "Categorical", probsOrOptions, false, {});
    super(ctx, p, []);
  }


  /** The number of categories `K`. */
  get numCategories(): number {
    return this.probs.shape[this.probs.shape.length - 1]!;
  }

  /** `integerInterval(0, K - 1)`. */
  get support(): Constraint {
    return new IntegerInterval(0, this.numCategories - 1);
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /** `logits[..., x]`: the normalised logit of category `x`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const batch = broadcastShapes(x.shape, this.batchShape);
    const logits = expandTo(ops, this.logits, [...batch, this.numCategories]);
    const idx = expandTo(ops, ops.reshape(x, [...x.shape, 1]), [...batch, 1]);
    return ops.reshape(ops.takeAlongAxis(logits, idx, -1), batch);
  }

  /** Category indices drawn with the flat categorical sampler. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const k = this.numCategories;
    const probs = flatNumbers(ops, ops.expand(this.probs, [...shape, k]));
    return ops.fromFlat(categorical(key, probs, k), shape);
  }

  /** NaN, as Pyro (a categorical variable has no meaningful mean). */
  override get mean(): Tensor {
    return this.ops.full(this.batchShape, NaN);
  }

  /** NaN, as Pyro. */
  override get variance(): Tensor {
    return this.ops.full(this.batchShape, NaN);
  }

  /** `-Σ p log p` (terms with `p = 0` count 0). */
  override entropy(): Tensor {
    const { ops } = this;
    const plogp = ops.where(ops.eq(this.probs, 0), 0, ops.mul(this.probs, this.logits));
    return ops.neg(ops.sum(plogp, -1));
  }

  /** `0, ..., K - 1` along a new leftmost dim. */
  override enumerateSupport(expand = true): Tensor {
    return enumerateRange(this.ops, this.numCategories, this.batchShape, expand);
  }

  /** Parameters broadcast to `batchShape ++ [K]`. */
  expand(batchShape: Shape): Categorical {
    return expandParams(this, batchShape, (grow) => new Categorical(this.ctx,
      this.kind === "probs" ? { probs: grow(this.probs, 1) } : { logits: grow(this.logits, 1) }));
  }
}
