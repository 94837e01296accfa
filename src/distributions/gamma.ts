/**
 * The gamma distribution `Gamma(concentration, rate)`.
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
import { rsampleStandardGamma } from "./sampling.js";
import { finfo, xlogy } from "./util.js";

/**
 * The gamma distribution with shape `concentration` (α) and `rate` (β):
 * density `β^α x^(α-1) e^(-βx) / Γ(α)`. Reparameterized by implicit
 * reparameterization of the standard gamma draw.
 *
 * @example
 * ```ts
 * dist.Gamma(2, 4).mean; // 0.5
 * ```
 */
export class Gamma extends Distribution {
  /** The shape α. */
  readonly concentration: Tensor;
  /** The rate β (inverse scale). */
  readonly rate: Tensor;

  /** Makes `Gamma(concentration, rate)`; both must be positive. */
  constructor(ctx: DistContext, concentration: Param, rate: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Gamma", {
      concentration: { value: concentration, constraint: constraints.positive },
      rate: { value: rate, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.concentration = params.concentration;
    this.rate = params.rate;
  }

  /** `nonnegative` (as torch: `x = 0` is a point of the support for α ≤ 1). */
  get support(): Constraint {
    return constraints.nonnegative;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `α log β + (α - 1) log x - β x - log Γ(α)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const a = this.concentration;
    const norm = ops.sub(ops.mul(a, ops.log(this.rate)), ops.lgamma(a));
    return ops.add(ops.sub(xlogy(ops, ops.sub(a, 1), x), ops.mul(this.rate, x)), norm);
  }

  /** `z / β` for an implicitly reparameterized standard gamma draw `z ~ Γ(α, 1)`, at least `tiny`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const z = rsampleStandardGamma(ops, key, ops.expand(this.concentration, this.shape(sampleShape)));
    return ops.maximum(ops.div(z, this.rate), finfo(ops.dtype).tiny);
  }

  /** `α / β`. */
  override get mean(): Tensor {
    return this.ops.div(this.concentration, this.rate);
  }

  /** `α / β²`. */
  override get variance(): Tensor {
    return this.ops.div(this.concentration, this.ops.square(this.rate));
  }

  /** `α - log β + log Γ(α) + (1 - α) ψ(α)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const a = this.concentration;
    const t = ops.add(ops.sub(a, ops.log(this.rate)), ops.lgamma(a));
    return ops.add(t, ops.mul(ops.sub(1, a), ops.digamma(a)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Gamma {
    return expandParams(this, batchShape,
      (grow) => new Gamma(this.ctx, grow(this.concentration), grow(this.rate)));
  }
}
