/**
 * The exponential distribution `Exponential(rate)`.
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

/**
 * The exponential distribution with density `rate e^(-rate x)` on `x >= 0`;
 * reparameterized (`-log(u) / rate`).
 *
 * @example
 * ```ts
 * dist.Exponential(2).mean; // 0.5
 * ```
 */
export class Exponential extends Distribution {
  /** The rate (inverse mean). */
  readonly rate: Tensor;

  /** Makes `Exponential(rate)`; `rate` must be positive. */
  constructor(ctx: DistContext, rate: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Exponential", {
      rate: { value: rate, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.rate = params.rate;
  }

  /** `nonnegative`. */
  get support(): Constraint {
    return constraints.nonnegative;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `log rate - rate x`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    return ops.sub(ops.log(this.rate), ops.mul(this.rate, x));
  }

  /** `-log(u) / rate` for `u ~ Uniform(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const u = openUniformTensor(ops, key, this.shape(sampleShape));
    return ops.div(ops.neg(ops.log(u)), this.rate);
  }

  /** `1 / rate`. */
  override get mean(): Tensor {
    return this.ops.reciprocal(this.rate);
  }

  /** `1 / rate²`. */
  override get variance(): Tensor {
    return this.ops.reciprocal(this.ops.square(this.rate));
  }

  /** `1 / rate`. */
  override get stddev(): Tensor {
    return this.ops.reciprocal(this.rate);
  }

  /** `1 - log rate`. */
  override entropy(): Tensor {
    return this.ops.sub(1, this.ops.log(this.rate));
  }

  /** `1 - e^(-rate x)`. */
  override cdf(value: TensorLike): Tensor {
    return this.ops.neg(this.ops.expm1(this.ops.mul(this.ops.neg(this.rate), value)));
  }

  /** `-log(1 - q) / rate`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    return ops.div(ops.neg(ops.log1p(ops.neg(quantile))), this.rate);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Exponential {
    return expandParams(this, batchShape, (grow) => new Exponential(this.ctx, grow(this.rate)));
  }
}
