/**
 * The Pareto distribution `Pareto(scale, alpha)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints, GreaterThanEq } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { openUniformTensor } from "./sampling.js";
import { tensorLabel } from "./validation.js";

/**
 * The Pareto (type I) distribution with minimum `scale` and tail index
 * `alpha`: density `α scale^α / x^(α+1)` on `x >= scale`. Reparameterized:
 * `scale u^(-1/α)`.
 *
 * @example
 * ```ts
 * dist.Pareto(1, 3).mean; // 1.5
 * ```
 */
export class Pareto extends Distribution {
  /** The minimum value. */
  readonly scale: Tensor;
  /** The tail index α. */
  readonly alpha: Tensor;
  private supportCache: Constraint | undefined;

  /** Makes `Pareto(scale, alpha)`; both must be positive. */
  constructor(ctx: DistContext, scale: Param, alpha: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Pareto", {
      scale: { value: scale, constraint: constraints.positive },
      alpha: { value: alpha, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.scale = params.scale;
    this.alpha = params.alpha;
  }

  /** `greaterThanEq(scale)`. */
  get support(): Constraint {
    this.supportCache ??= new GreaterThanEq(this.scale, { labels: [tensorLabel(this.ops, this.scale)] });
    return this.supportCache;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `log α + α log scale - (α + 1) log x`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const a = this.alpha;
    const x = this.validateSample(value);
    return ops.sub(ops.add(ops.log(a), ops.mul(a, ops.log(this.scale))), ops.mul(ops.add(a, 1), ops.log(x)));
  }

  /** `scale exp(E / α)` with `E = -log u ~ Exponential(1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const e = ops.neg(ops.log(openUniformTensor(ops, key, this.shape(sampleShape))));
    return ops.mul(this.scale, ops.exp(ops.div(e, this.alpha)));
  }

  /** `α scale / (α - 1)` for `α > 1`, else `∞`. */
  override get mean(): Tensor {
    const { ops } = this;
    const a = this.alpha;
    return ops.where(ops.gt(a, 1), ops.div(ops.mul(a, this.scale), ops.sub(a, 1)), Infinity);
  }

  /** `scale² α / ((α - 1)² (α - 2))` for `α > 2`, else `∞`. */
  override get variance(): Tensor {
    const { ops } = this;
    const a = this.alpha;
    const v = ops.div(ops.mul(ops.square(this.scale), a), ops.mul(ops.square(ops.sub(a, 1)), ops.sub(a, 2)));
    return ops.where(ops.gt(a, 2), v, Infinity);
  }

  /** `log(scale / α) + 1/α + 1`. */
  override entropy(): Tensor {
    const { ops } = this;
    return ops.add(ops.add(ops.log(ops.div(this.scale, this.alpha)), ops.reciprocal(this.alpha)), 1);
  }

  /** `1 - (scale / x)^α` for `x >= scale`, 0 below. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const c = ops.neg(ops.expm1(ops.mul(this.alpha, ops.log(ops.div(this.scale, value)))));
    return ops.where(ops.ge(value, this.scale), c, 0);
  }

  /** `scale (1 - q)^(-1/α)`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    return ops.mul(this.scale, ops.exp(ops.neg(ops.div(ops.log1p(ops.neg(quantile)), this.alpha))));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Pareto {
    return expandParams(this, batchShape, (grow) => new Pareto(this.ctx, grow(this.scale), grow(this.alpha)));
  }
}
