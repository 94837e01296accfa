/**
 * The half-normal distribution `HalfNormal(scale)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { standardNormalTensor } from "./sampling.js";
import { normalLogDensity } from "./normal.js";
import { halfLogProb } from "./util.js";

/**
 * The distribution of `|X|` for `X ~ Normal(0, scale)`; reparameterized.
 *
 * @example
 * ```ts
 * dist.HalfNormal(1).mean; // √(2/π)
 * ```
 */
export class HalfNormal extends Distribution {
  /** The scale of the folded normal. */
  readonly scale: Tensor;

  /** Makes `HalfNormal(scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, scale: Param) {
    const { params, batchShape } = broadcastParams(ctx, "HalfNormal", {
      scale: { value: scale, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.scale = params.scale;
  }

  /** `nonnegative`. */
  get support(): Constraint {
    return constraints.nonnegative;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `log 2 - x² / (2 scale²) - log scale - log √(2π)` for `x >= 0`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    return halfLogProb(ops, x, normalLogDensity(ops, x, 0, this.scale));
  }

  /** `|scale ε|` with `ε ~ Normal(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const eps = standardNormalTensor(this.ops, key, this.shape(sampleShape));
    return this.ops.abs(this.ops.mul(this.scale, eps));
  }

  /** `scale √(2/π)`. */
  override get mean(): Tensor {
    return this.ops.mul(this.scale, Math.sqrt(2 / Math.PI));
  }

  /** `scale² (1 - 2/π)`. */
  override get variance(): Tensor {
    return this.ops.mul(this.ops.square(this.scale), 1 - 2 / Math.PI);
  }

  /** `½ log(π scale² / 2) + ½`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.scale), 0.5 * Math.log(Math.PI / 2) + 0.5);
  }

  /** `erf(x / (scale √2))`. */
  override cdf(value: TensorLike): Tensor {
    return this.ops.erf(this.ops.div(value, this.ops.mul(this.scale, Math.SQRT2)));
  }

  /** `scale √2 erfinv(q)`. */
  override icdf(quantile: TensorLike): Tensor {
    return this.ops.mul(this.ops.mul(this.scale, Math.SQRT2), this.ops.erfinv(quantile));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): HalfNormal {
    return expandParams(this, batchShape, (grow) => new HalfNormal(this.ctx, grow(this.scale)));
  }
}
