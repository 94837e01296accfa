/**
 * Student's t distribution `StudentT(df, loc = 0, scale = 1)`.
 *
 * @module
 */
import { split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { rsampleStandardGamma, standardNormalTensor } from "./sampling.js";

/**
 * Student's t with `df` degrees of freedom, location `loc` and scale `scale`
 * (Pyro's argument order). Reparameterized as torch does:
 * `loc + scale X / √(Z / df)` with `X ~ Normal(0, 1)` and `Z ~ Chi2(df)`
 * drawn by the implicitly reparameterized gamma sampler.
 *
 * @example
 * ```ts
 * dist.StudentT(3, 0, 1).variance; // 3
 * ```
 */
export class StudentT extends Distribution {
  /** The degrees of freedom. */
  readonly df: Tensor;
  /** The location. */
  readonly loc: Tensor;
  /** The scale. */
  readonly scale: Tensor;

  /** Makes `StudentT(df, loc, scale)`; `df` and `scale` must be positive. */
  constructor(ctx: DistContext, df: Param, loc: Param = 0, scale: Param = 1) {
    const { params, batchShape } = broadcastParams(ctx, "StudentT", {
      df: { value: df, constraint: constraints.positive },
      loc: { value: loc, constraint: constraints.real },
      scale: { value: scale, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.df = params.df;
    this.loc = params.loc;
    this.scale = params.scale;
  }

  /** `real`. */
  get support(): Constraint {
    return constraints.real;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /**
   * `-½ (ν + 1) log(1 + y² / ν) - log scale - ½ log ν - ½ log π - log Γ(ν/2) + log Γ((ν+1)/2)`
   * with `y = (x - loc) / scale`.
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const nu = this.df;
    const y = ops.div(ops.sub(this.validateSample(value), this.loc), this.scale);
    const z = ops.add(ops.add(ops.log(this.scale), ops.mul(0.5, ops.log(nu))), 0.5 * Math.log(Math.PI));
    const norm = ops.sub(ops.add(z, ops.lgamma(ops.mul(0.5, nu))), ops.lgamma(ops.mul(0.5, ops.add(nu, 1))));
    return ops.sub(ops.mul(ops.mul(-0.5, ops.add(nu, 1)), ops.log1p(ops.div(ops.square(y), nu))), norm);
  }

  /** `loc + scale X √(ν / Z)`, `Z = 2 Gamma(ν/2, 1)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const [kx, kz] = split(key, 2) as [RandomKey, RandomKey];
    const shape = this.shape(sampleShape);
    const x = standardNormalTensor(ops, kx, shape);
    const z = ops.mul(2, rsampleStandardGamma(ops, kz, ops.expand(ops.mul(0.5, this.df), shape)));
    return ops.add(this.loc, ops.mul(this.scale, ops.mul(x, ops.sqrt(ops.div(this.df, z)))));
  }

  /** `loc` for `df > 1`, else NaN. */
  override get mean(): Tensor {
    return this.ops.where(this.ops.gt(this.df, 1), this.loc, NaN);
  }

  /** `scale² ν / (ν - 2)` for `ν > 2`, `∞` for `1 < ν <= 2`, else NaN. */
  override get variance(): Tensor {
    const { ops } = this;
    const nu = this.df;
    const v = ops.div(ops.mul(ops.square(this.scale), nu), ops.sub(nu, 2));
    return ops.where(ops.gt(nu, 2), v, ops.where(ops.gt(nu, 1), Infinity, NaN));
  }

  /** `log scale + ½ (ν + 1) (ψ((ν+1)/2) - ψ(ν/2)) + ½ log ν + log B(ν/2, ½)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const nu = this.df;
    const h = ops.mul(0.5, nu);
    const h1 = ops.mul(0.5, ops.add(nu, 1));
    const lbeta = ops.sub(ops.add(ops.lgamma(h), 0.5 * Math.log(Math.PI)), ops.lgamma(h1));
    const t = ops.mul(h1, ops.sub(ops.digamma(h1), ops.digamma(h)));
    return ops.add(ops.add(ops.log(this.scale), t), ops.add(ops.mul(0.5, ops.log(nu)), lbeta));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): StudentT {
    return expandParams(this, batchShape,
      (grow) => new StudentT(this.ctx, grow(this.df), grow(this.loc), grow(this.scale)));
  }
}
