/**
 * The Laplace distribution `Laplace(loc, scale)`.
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
 * The Laplace (double exponential) distribution: density
 * `exp(-|x - loc| / scale) / (2 scale)`. Reparameterized through its inverse
 * cdf.
 *
 * @example
 * ```ts
 * dist.Laplace(0, 1).logProb(1); // -1 - log 2
 * ```
 */
export class Laplace extends LocScaleDistribution {
  /** Makes `Laplace(loc, scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, loc: Param, scale: Param) {
    super(ctx, "Laplace", loc, scale);
  }

  /** The same family with other (already checked) parameters. */
  protected withParams(loc: Tensor, scale: Tensor): Laplace {
    return new Laplace(this.ctx, loc, scale);
  }

  /** `-log(2 scale) - |x - loc| / scale`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const d = ops.abs(ops.sub(this.validateSample(value), this.loc));
    return ops.neg(ops.add(ops.log(ops.mul(2, this.scale)), ops.div(d, this.scale)));
  }

  /** `loc - scale sign(v) log(1 - |v|)` for `v ~ Uniform(-1, 1)` (torch's sampler). */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const v = ops.sub(ops.mul(2, openUniformTensor(ops, key, this.shape(sampleShape))), 1);
    return ops.sub(this.loc, ops.mul(ops.mul(this.scale, ops.sign(v)), ops.log1p(ops.neg(ops.abs(v)))));
  }

  /** `loc`. */
  override get mean(): Tensor {
    return this.loc;
  }

  /** `2 scale²`. */
  override get variance(): Tensor {
    return this.ops.mul(2, this.ops.square(this.scale));
  }

  /** `1 + log(2 scale)`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.ops.mul(2, this.scale)), 1);
  }

  /** `½ - ½ sign(x - loc) expm1(-|x - loc| / scale)`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const d = ops.sub(value, this.loc);
    return ops.sub(0.5, ops.mul(ops.mul(0.5, ops.sign(d)), ops.expm1(ops.neg(ops.div(ops.abs(d), this.scale)))));
  }

  /** `loc - scale sign(q - ½) log(1 - 2|q - ½|)`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    const t = ops.sub(quantile, 0.5);
    return ops.sub(this.loc, ops.mul(ops.mul(this.scale, ops.sign(t)), ops.log1p(ops.mul(-2, ops.abs(t)))));
  }

}
