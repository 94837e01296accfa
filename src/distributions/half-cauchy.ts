/**
 * The half-Cauchy distribution `HalfCauchy(scale)`.
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
import { openUniformTensor } from "./sampling.js";
import { halfLogProb } from "./util.js";

/**
 * The distribution of `|X|` for `X ~ Cauchy(0, scale)`; reparameterized
 * through its inverse cdf. Its mean and variance are infinite.
 *
 * @example
 * ```ts
 * dist.HalfCauchy(1).cdf(1); // 0.5
 * ```
 */
export class HalfCauchy extends Distribution {
  /** The scale (the median). */
  readonly scale: Tensor;

  /** Makes `HalfCauchy(scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, scale: Param) {
    const { params, batchShape } = broadcastParams(ctx, "HalfCauchy", {
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

  /** `log 2 - log(π scale) - log(1 + (x / scale)²)` for `x >= 0`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const z = ops.div(x, this.scale);
    const lp = ops.neg(ops.add(ops.add(ops.log(this.scale), Math.log(Math.PI)), ops.log1p(ops.square(z))));
    return halfLogProb(ops, x, lp);
  }

  /** `icdf(u)` for `u ~ Uniform(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.icdf(openUniformTensor(this.ops, key, this.shape(sampleShape)));
  }

  /** `∞`. */
  override get mean(): Tensor {
    return this.ops.full(this.batchShape, Infinity);
  }

  /** `∞`. */
  override get variance(): Tensor {
    return this.ops.full(this.batchShape, Infinity);
  }

  /** `log(2π scale)`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.scale), Math.log(2 * Math.PI));
  }

  /** `(2/π) atan(x / scale)`. */
  override cdf(value: TensorLike): Tensor {
    return this.ops.mul(2 / Math.PI, this.ops.atan(this.ops.div(value, this.scale)));
  }

  /** `scale tan(π q / 2)`. */
  override icdf(quantile: TensorLike): Tensor {
    return this.ops.mul(this.scale, this.ops.tan(this.ops.mul(Math.PI / 2, quantile)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): HalfCauchy {
    return expandParams(this, batchShape, (grow) => new HalfCauchy(this.ctx, grow(this.scale)));
  }
}
