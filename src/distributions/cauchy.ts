/**
 * The Cauchy distribution `Cauchy(loc, scale)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { DistContext } from "./context.js";
import type { Param } from "./distribution.js";
import { LocScaleDistribution } from "./loc-scale.js";
import { openUniformTensor } from "./sampling.js";

/**
 * The Cauchy distribution with median `loc` and half-width `scale`:
 * density `1 / (π scale (1 + z²))`, `z = (x - loc) / scale`.
 * Reparameterized through its inverse cdf; mean and variance do not exist
 * (NaN and ∞, as torch).
 *
 * @example
 * ```ts
 * dist.Cauchy(0, 1).cdf(1); // 0.75
 * ```
 */
export class Cauchy extends LocScaleDistribution {
  /** Makes `Cauchy(loc, scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, loc: Param, scale: Param) {
    super(ctx, "Cauchy", loc, scale);
  }

  /** The same family with other (already checked) parameters. */
  protected withParams(loc: Tensor, scale: Tensor): Cauchy {
    return new Cauchy(this.ctx, loc, scale);
  }

  /** `-log π - log scale - log(1 + z²)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const z = this.standardize(value);
    return ops.neg(ops.add(ops.add(ops.log(this.scale), Math.log(Math.PI)), ops.log1p(ops.square(z))));
  }

  /** `icdf(u)` for `u ~ Uniform(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.icdf(openUniformTensor(this.ops, key, this.shape(sampleShape)));
  }

  /** NaN (the mean does not exist). */
  override get mean(): Tensor {
    return this.ops.full(this.batchShape, NaN);
  }

  /** `∞`. */
  override get variance(): Tensor {
    return this.ops.full(this.batchShape, Infinity);
  }

  /** `log(4π scale)`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.scale), Math.log(4 * Math.PI));
  }

  /** `½ + atan(z) / π`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    return ops.add(0.5, ops.div(ops.atan(ops.div(ops.sub(value, this.loc), this.scale)), Math.PI));
  }

  /** `loc + scale tan(π (q - ½))`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    return ops.add(this.loc, ops.mul(this.scale, ops.tan(ops.mul(Math.PI, ops.sub(quantile, 0.5)))));
  }

}
