/**
 * The discrete uniform distribution `DiscreteUniform(low = 0, high = 1)`
 * (NumPyro's; Pyro has none).
 *
 * @module
 */
import { uniform, type RandomKey } from "../tensor/random/index.js";
import { sizeOf } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { IntegerGreaterThanEq, IntegerInterval } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, DistributionCapabilityError, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { asTensor, flatNumbers } from "./util.js";
import { tensorLabel } from "./validation.js";

const integer = new IntegerGreaterThanEq(-Infinity, { name: "integer", labels: ["-∞"] });

/**
 * The uniform distribution on the integers `low, low + 1, ..., high`
 * (both inclusive), as NumPyro's `DiscreteUniform`.
 *
 * @example
 * ```ts
 * dist.DiscreteUniform(1, 6).logProb(3); // -log 6
 * ```
 */
export class DiscreteUniform extends Distribution {
  /** The smallest value. */
  readonly low: Tensor;
  /** The largest value (at least `low`). */
  readonly high: Tensor;
  private supportCache: Constraint | undefined;

  /** Makes `DiscreteUniform(low, high)`; both whole, `high >= low`. */
  constructor(ctx: DistContext, low: Param = 0, high: Param = 1) {
    const lowT = asTensor(ctx.ops, low);
    const { params, batchShape } = broadcastParams(ctx, "DiscreteUniform", {
      low: { value: lowT, constraint: integer },
      high: { value: high, constraint: new IntegerGreaterThanEq(lowT, { labels: ["low"] }) },
    });
    super(ctx, batchShape, []);
    this.low = params.low;
    this.high = params.high;
  }

  /** `integerInterval(low, high)`. */
  get support(): Constraint {
    this.supportCache ??= new IntegerInterval(this.low, this.high,
      { labels: [tensorLabel(this.ops, this.low), tensorLabel(this.ops, this.high)] });
    return this.supportCache;
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /** `-log(high - low + 1)` on the support, `-∞` off it. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const inside = ops.logicalAnd(ops.eq(ops.floor(x), x), ops.logicalAnd(ops.ge(x, this.low), ops.le(x, this.high)));
    return ops.where(inside, ops.neg(ops.log(this.count)), -Infinity);
  }

  /** `low + floor(u (high - low + 1))` for `u ~ Uniform[0, 1)`. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const u = ops.fromFlat(uniform(key, sizeOf(shape)), shape);
    return ops.minimum(ops.add(this.low, ops.floor(ops.mul(u, this.count))), this.high);
  }

  /** `(low + high) / 2`. */
  override get mean(): Tensor {
    return this.ops.mul(0.5, this.ops.add(this.low, this.high));
  }

  /** `((high - low + 1)² - 1) / 12`. */
  override get variance(): Tensor {
    return this.ops.div(this.ops.sub(this.ops.square(this.count), 1), 12);
  }

  /** `log(high - low + 1)`. */
  override entropy(): Tensor {
    return this.ops.log(this.count);
  }

  /** `(floor(x) - low + 1) / (high - low + 1)`, clamped to `[0, 1]`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    return ops.clamp(ops.div(ops.add(ops.sub(ops.floor(value), this.low), 1), this.count), 0, 1);
  }

  /** `low, ..., high` along a new leftmost dim; `low` and `high` must be the same for the whole batch (as NumPyro). */
  override enumerateSupport(expand = true): Tensor {
    const { ops } = this;
    const lows = flatNumbers(ops, this.low);
    const highs = flatNumbers(ops, this.high);
    const [lo, hi] = [lows[0] ?? 0, highs[0] ?? 0];
    if (lows.some((v) => v !== lo) || highs.some((v) => v !== hi)) {
      throw new DistributionCapabilityError(this.name, "enumerateSupport with an inhomogeneous low or high");
    }
    const n = hi - lo + 1;
    const values = ops.reshape(ops.arange(lo, hi + 1), [n, ...this.batchShape.map(() => 1)]);
    return expand ? ops.expand(values, [n, ...this.batchShape]) : values;
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): DiscreteUniform {
    return expandParams(this, batchShape, (grow) => new DiscreteUniform(this.ctx, grow(this.low), grow(this.high)));
  }

  /** `high - low + 1`. */
  private get count(): Tensor {
    return this.ops.add(this.ops.sub(this.high, this.low), 1);
  }
}
