/**
 * The Gumbel distribution `Gumbel(loc, scale)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { DistContext } from "./context.js";
import type { Param } from "./distribution.js";
import { LocScaleDistribution } from "./loc-scale.js";
import { openUniformTensor } from "./sampling.js";

/** The Euler–Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * The Gumbel (type-I extreme value) distribution: density
 * `exp(-(z + e^(-z))) / scale`, `z = (x - loc) / scale`. Reparameterized:
 * `loc - scale log(-log u)`.
 *
 * @example
 * ```ts
 * dist.Gumbel(0, 1).cdf(0); // 1/e
 * ```
 */
export class Gumbel extends LocScaleDistribution {
  /** Makes `Gumbel(loc, scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, loc: Param, scale: Param) {
    super(ctx, "Gumbel", loc, scale);
  }

  /** The same family with other (already checked) parameters. */
  protected withParams(loc: Tensor, scale: Tensor): Gumbel {
    return new Gumbel(this.ctx, loc, scale);
  }

  /** `-(z + e^(-z)) - log scale`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const z = this.standardize(value);
    return ops.neg(ops.add(ops.add(z, ops.exp(ops.neg(z))), ops.log(this.scale)));
  }

  /** `icdf(u)` for `u ~ Uniform(0, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.icdf(openUniformTensor(this.ops, key, this.shape(sampleShape)));
  }

  /** `loc + γ scale`. */
  override get mean(): Tensor {
    return this.ops.add(this.loc, this.ops.mul(EULER_GAMMA, this.scale));
  }

  /** `π² scale² / 6`. */
  override get variance(): Tensor {
    return this.ops.mul(Math.PI ** 2 / 6, this.ops.square(this.scale));
  }

  /** `log scale + 1 + γ`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.log(this.scale), 1 + EULER_GAMMA);
  }

  /** `exp(-exp(-z))`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const z = ops.div(ops.sub(value, this.loc), this.scale);
    return ops.exp(ops.neg(ops.exp(ops.neg(z))));
  }

  /** `loc - scale log(-log q)`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    return ops.sub(this.loc, ops.mul(this.scale, ops.log(ops.neg(ops.log(quantile)))));
  }

}
