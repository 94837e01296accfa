/**
 * The log-normal distribution `LogNormal(loc, scale)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { normalLogDensity } from "./normal.js";
import { broadcastParams, expandParams } from "./params.js";
import { standardNormalTensor } from "./sampling.js";
import { HALF_LOG_2PI } from "./util.js";

/**
 * The distribution of `exp(Y)` for `Y ~ Normal(loc, scale)` (Pyro builds it as
 * a transformed Normal; here it is a family of its own so that `expand` and
 * `name` stay `LogNormal`). Reparameterized.
 *
 * @example
 * ```ts
 * dist.LogNormal(0, 1).logProb(1); // Normal(0, 1).logProb(0)
 * ```
 */
export class LogNormal extends Distribution {
  /** The mean of `log x`. */
  readonly loc: Tensor;
  /** The standard deviation of `log x`. */
  readonly scale: Tensor;

  /** Makes `LogNormal(loc, scale)`; `scale` must be positive. */
  constructor(ctx: DistContext, loc: Param, scale: Param) {
    const { params, batchShape } = broadcastParams(ctx, "LogNormal", {
      loc: { value: loc, constraint: constraints.real },
      scale: { value: scale, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.loc = params.loc;
    this.scale = params.scale;
  }

  /** `positive`. */
  get support(): Constraint {
    return constraints.positive;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `log N(log x; loc, scale) - log x`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const logX = ops.log(this.validateSample(value));
    return ops.sub(normalLogDensity(ops, logX, this.loc, this.scale), logX);
  }

  /** `exp(loc + scale ε)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const eps = standardNormalTensor(ops, key, this.shape(sampleShape));
    return ops.exp(ops.add(this.loc, ops.mul(this.scale, eps)));
  }

  /** `exp(loc + scale² / 2)`. */
  override get mean(): Tensor {
    return this.ops.exp(this.ops.add(this.loc, this.ops.mul(0.5, this.ops.square(this.scale))));
  }

  /** `(exp(scale²) - 1) exp(2 loc + scale²)`. */
  override get variance(): Tensor {
    const { ops } = this;
    const s2 = ops.square(this.scale);
    return ops.mul(ops.expm1(s2), ops.exp(ops.add(ops.mul(2, this.loc), s2)));
  }

  /** `loc + ½ + ½ log(2π) + log scale`. */
  override entropy(): Tensor {
    return this.ops.add(this.ops.add(this.loc, this.ops.log(this.scale)), 0.5 + HALF_LOG_2PI);
  }

  /** `½ (1 + erf((log x - loc) / (scale √2)))`. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const z = ops.div(ops.sub(ops.log(value), this.loc), ops.mul(this.scale, Math.SQRT2));
    return ops.mul(0.5, ops.add(1, ops.erf(z)));
  }

  /** `exp(loc + scale √2 erfinv(2q - 1))`. */
  override icdf(quantile: TensorLike): Tensor {
    const { ops } = this;
    const z = ops.mul(ops.erfinv(ops.sub(ops.mul(2, quantile), 1)), Math.SQRT2);
    return ops.exp(ops.add(this.loc, ops.mul(this.scale, z)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): LogNormal {
    return expandParams(this, batchShape, (grow) => new LogNormal(this.ctx, grow(this.loc), grow(this.scale)));
  }
}
