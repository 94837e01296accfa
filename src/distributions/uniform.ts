/**
 * The continuous uniform distribution `Uniform(low, high)`.
 *
 * @module
 */
import { uniform, type RandomKey } from "../tensor/random/index.js";
import { sizeOf } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints, GreaterThan, Interval } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { asTensor } from "./util.js";
import { tensorLabel } from "./validation.js";

/**
 * The uniform distribution on `[low, high)`; reparameterized
 * (`low + u (high - low)`).
 *
 * @example
 * ```ts
 * dist.Uniform(0, 4).logProb(1); // -log 4
 * ```
 */
export class Uniform extends Distribution {
  /** The lower bound (inclusive). */
  readonly low: Tensor;
  /** The upper bound (exclusive); must exceed `low`. */
  readonly high: Tensor;
  private supportCache: Constraint | undefined;

  /** Makes `Uniform(low, high)`; `high` must exceed `low` elementwise. */
  constructor(ctx: DistContext, low: Param, high: Param) {
    const lowT = asTensor(ctx.ops, low);
    const { params, batchShape } = broadcastParams(ctx, "Uniform", {
      low: { value: lowT, constraint: constraints.real },
      high: { value: high, constraint: new GreaterThan(lowT, { labels: ["low"] }) },
    });
    super(ctx, batchShape, []);
    this.low = params.low;
    this.high = params.high;
  }

  /** `interval(low, high)`, printed with the bounds' values when they are few. */
  get support(): Constraint {
    if (this.supportCache === undefined) {
      const labels = [tensorLabel(this.ops, this.low), tensorLabel(this.ops, this.high)];
      this.supportCache = new Interval(this.low, this.high, { labels });
    }
    return this.supportCache;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `-log(high - low)` on `[low, high)`, `-∞` outside. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const inside = ops.logicalAnd(ops.le(this.low, x), ops.gt(this.high, x));
    return ops.where(inside, ops.neg(ops.log(this.width)), -Infinity);
  }

  /** `low + u (high - low)` for `u ~ Uniform[0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const u = ops.fromFlat(uniform(key, sizeOf(shape)), shape);
    return ops.add(this.low, ops.mul(u, this.width));
  }

  /** `(low + high) / 2`. */
  override get mean(): Tensor {
    return this.ops.mul(0.5, this.ops.add(this.low, this.high));
  }

  /** `(high - low)² / 12`. */
  override get variance(): Tensor {
    return this.ops.div(this.ops.square(this.width), 12);
  }

  /** `log(high - low)`. */
  override entropy(): Tensor {
    return this.ops.log(this.width);
  }

  /** `(x - low) / (high - low)`, clamped to `[0, 1]`. */
  override cdf(value: TensorLike): Tensor {
    return this.ops.clamp(this.ops.div(this.ops.sub(value, this.low), this.width), 0, 1);
  }

  /** `low + q (high - low)`. */
  override icdf(quantile: TensorLike): Tensor {
    return this.ops.add(this.low, this.ops.mul(quantile, this.width));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Uniform {
    return expandParams(this, batchShape, (grow) => new Uniform(this.ctx, grow(this.low), grow(this.high)));
  }

  private get width(): Tensor {
    return this.ops.sub(this.high, this.low);
  }
}
