/**
 * The inverse gamma distribution `InverseGamma(concentration, rate)`.
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

/**
 * The distribution of `1 / X` for `X ~ Gamma(concentration, rate)`: density
 * `β^α x^(-α-1) e^(-β/x) / Γ(α)` (so `rate` is the scale of `1/X`).
 * Reparameterized through the implicitly reparameterized gamma draw.
 *
 * @example
 * ```ts
 * dist.InverseGamma(3, 2).mean; // 1
 * ```
 */
export class InverseGamma extends Distribution {
  /** The shape α. */
  readonly concentration: Tensor;
  /** The rate β of the gamma variable (the scale of this one). */
  readonly rate: Tensor;

  /** Makes `InverseGamma(concentration, rate)`; both must be positive. */
  constructor(ctx: DistContext, concentration: Param, rate: Param) {
    const { params, batchShape } = broadcastParams(ctx, "InverseGamma", {
      concentration: { value: concentration, constraint: constraints.positive },
      rate: { value: rate, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.concentration = params.concentration;
    this.rate = params.rate;
  }

  /** `positive`. */
  get support(): Constraint {
    return constraints.positive;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `α log β - log Γ(α) - (α + 1) log x - β / x`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const a = this.concentration;
    const norm = ops.sub(ops.mul(a, ops.log(this.rate)), ops.lgamma(a));
    return ops.sub(ops.sub(norm, ops.mul(ops.add(a, 1), ops.log(x))), ops.div(this.rate, x));
  }

  /** `β / z` for an implicitly reparameterized standard gamma draw `z ~ Γ(α, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const z = rsampleStandardGamma(ops, key, ops.expand(this.concentration, this.shape(sampleShape)));
    return ops.div(this.rate, z);
  }

  /** `β / (α - 1)` for `α > 1`, else `∞`. */
  override get mean(): Tensor {
    const { ops } = this;
    const a = this.concentration;
    return ops.where(ops.gt(a, 1), ops.div(this.rate, ops.sub(a, 1)), Infinity);
  }

  /** `β² / ((α - 1)² (α - 2))` for `α > 2`, else `∞`. */
  override get variance(): Tensor {
    const { ops } = this;
    const a = this.concentration;
    const v = ops.div(ops.square(this.rate), ops.mul(ops.square(ops.sub(a, 1)), ops.sub(a, 2)));
    return ops.where(ops.gt(a, 2), v, Infinity);
  }

  /** `α + log β + log Γ(α) - (1 + α) ψ(α)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const a = this.concentration;
    const t = ops.add(ops.add(a, ops.log(this.rate)), ops.lgamma(a));
    return ops.sub(t, ops.mul(ops.add(1, a), ops.digamma(a)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): InverseGamma {
    return expandParams(this, batchShape,
      (grow) => new InverseGamma(this.ctx, grow(this.concentration), grow(this.rate)));
  }
}
