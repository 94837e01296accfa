/**
 * The Weibull distribution `Weibull(scale, concentration)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { EULER_GAMMA } from "./gumbel.js";
import { broadcastParams, expandParams } from "./params.js";
import { openUniformTensor } from "./sampling.js";

/**
 * The Weibull distribution with scale `λ` and shape `k` (Pyro's argument
 * order: `scale, concentration`): density `(k/λ) (x/λ)^(k-1) e^(-(x/λ)^k)`.
 * Reparameterized: `λ E^(1/k)` for `E ~ Exponential(1)`.
 *
 * @example
 * ```ts
 * dist.Weibull(1, 1).mean; // 1 (the exponential distribution)
 * ```
 */
export class Weibull extends Distribution {
  /** The scale λ. */
  readonly scale: Tensor;
  /** The shape k. */
  readonly concentration: Tensor;

  /** Makes `Weibull(scale, concentration)`; both must be positive. */
  constructor(ctx: DistContext, scale: Param, concentration: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Weibull", {
      scale: { value: scale, constraint: constraints.positive },
      concentration: { value: concentration, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.scale = params.scale;
    this.concentration = params.concentration;
  }

  /** `positive`. */
  get support(): Constraint {
    return constraints.positive;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `log(k/λ) + (k - 1) log(x/λ) - (x/λ)^k`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.concentration;
    const logZ = ops.log(ops.div(this.validateSample(value), this.scale));
    const t = ops.sub(ops.mul(ops.sub(k, 1), logZ), ops.exp(ops.mul(k, logZ)));
    return ops.add(ops.log(ops.div(k, this.scale)), t);
  }

  /** `λ (-log u)^(1/k)` for `u ~ Uniform(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const e = ops.neg(ops.log(openUniformTensor(ops, key, this.shape(sampleShape))));
    return ops.mul(this.scale, ops.pow(e, ops.reciprocal(this.concentration)));
  }

  /** `λ Γ(1 + 1/k)`. */
  override get mean(): Tensor {
    const { ops } = this;
    return ops.mul(this.scale, ops.exp(ops.lgamma(ops.add(1, ops.reciprocal(this.concentration)))));
  }

  /** `λ² (Γ(1 + 2/k) - Γ(1 + 1/k)²)`. */
  override get variance(): Tensor {
    const { ops } = this;
    const g1 = ops.exp(ops.lgamma(ops.add(1, ops.reciprocal(this.concentration))));
    const g2 = ops.exp(ops.lgamma(ops.add(1, ops.div(2, this.concentration))));
    return ops.mul(ops.square(this.scale), ops.sub(g2, ops.square(g1)));
  }

  /** `γ (1 - 1/k) + log(λ/k) + 1`. */
  override entropy(): Tensor {
    const { ops } = this;
    const k = this.concentration;
    const t = ops.mul(EULER_GAMMA, ops.sub(1, ops.reciprocal(k)));
    return ops.add(ops.add(t, ops.log(ops.div(this.scale, k))), 1);
  }

  /** `1 - exp(-(x/λ)^k)`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    return ops.neg(ops.expm1(ops.neg(ops.pow(ops.div(value, this.scale), this.concentration))));
  }

  /** `λ (-log(1 - q))^(1/k)`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    return ops.mul(this.scale, ops.pow(ops.neg(ops.log1p(ops.neg(quantile))), ops.reciprocal(this.concentration)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Weibull {
    return expandParams(this, batchShape,
      (grow) => new Weibull(this.ctx, grow(this.scale), grow(this.concentration)));
  }
}
