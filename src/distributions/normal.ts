/**
 * The normal distribution `Normal(loc, scale)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Ops } from "../tensor/ops.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { DistContext } from "./context.js";
import type { Param } from "./distribution.js";
import { LocScaleDistribution } from "./loc-scale.js";
import { standardNormalTensor } from "./sampling.js";
import { HALF_LOG_2PI } from "./util.js";

/** `log N(x; loc, scale) = -(x - loc)² / (2 scale²) - log scale - log √(2π)` (shared with HalfNormal). */
export function normalLogDensity(ops: Ops, x: TensorLike, loc: TensorLike, scale: TensorLike): Tensor {
  const z = ops.div(ops.sub(x, loc), scale);
  return ops.sub(ops.mul(-0.5, ops.square(z)), ops.add(ops.log(scale), HALF_LOG_2PI));
}

/**
 * The normal (Gaussian) distribution with mean `loc` and standard deviation
 * `scale`; reparameterized (`rsample = loc + scale ε`).
 *
 * @example
 * ```ts
 * const d = dist.Normal(0, 1);
 * d.logProb(0.5); // -0.5 * 0.25 - 0.5 log(2π)
 * ```
 */
export class Normal extends LocScaleDistribution {
  /** Makes `Normal(loc, scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, loc: Param, scale: Param) {
    super(ctx, "Normal", loc, scale);
  }

  /** The same family with other (already checked) parameters. */
  protected withParams(loc: Tensor, scale: Tensor): Normal {
    return new Normal(this.ctx, loc, scale);
  }

  /** `-(x - loc)² / (2 scale²) - log scale - log √(2π)`. */
  logProb(value: TensorLike): Tensor {
    return normalLogDensity(this.ops, this.validateSample(value), this.loc, this.scale);
  }

  /** `loc + scale ε` with `ε ~ Normal(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const eps = standardNormalTensor(this.ops, key, this.shape(sampleShape));
    return this.ops.add(this.loc, this.ops.mul(this.scale, eps));
  }

  /** `loc`. */
  override get mean(): Tensor {
    return this.loc;
  }

  /** `scale²`. */
  override get variance(): Tensor {
    return this.ops.square(this.scale);
  }

  /** `scale`. */
  override get stddev(): Tensor {
    return this.scale;
  }

  /** `½ + ½ log(2π) + log scale`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.scale), 0.5 + HALF_LOG_2PI);
  }

  /** `½ (1 + erf((x - loc) / (scale √2)))`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const z = ops.div(ops.sub(value, this.loc), ops.mul(this.scale, Math.SQRT2));
    return ops.mul(0.5, ops.add(1, ops.erf(z)));
  }

  /** `loc + scale √2 erfinv(2q - 1)`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    const z = ops.mul(ops.erfinv(ops.sub(ops.mul(2, quantile), 1)), Math.SQRT2);
    return ops.add(this.loc, ops.mul(this.scale, z));
  }

}
