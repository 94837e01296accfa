/**
 * `AutoMultivariateNormal`: a full-covariance Normal over the packed
 * unconstrained latent vector (Pyro's `AutoMultivariateNormal`).
 *
 * Params: `${prefix}.loc` (`[latentDim]`, real, from the init strategy) and
 * `${prefix}.scaleTril` (`[latentDim, latentDim]`, constrained to
 * `lowerCholesky`, initially `initScale · I`) — Pyro 1.4–1.7's
 * parameterisation; Pyro ≥ 1.8 splits the factor into a positive `scale`
 * vector and a unit-lower-triangular `scale_tril`, which spans the same
 * family. A guide made by `AutoLaplaceApproximation.laplaceApproximation`
 * has fixed `loc` and `scaleTril` instead of params (Pyro's buffers).
 *
 * @module
 */
import { constraints } from "../../distributions/constraints.js";
import type { Distribution } from "../../distributions/distribution.js";
import { MultivariateNormal } from "../../distributions/index.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoContinuousImpl, type LocScale, type VectorParam } from "./continuous.js";
import { checkInitScale, type AutoGuideOptions } from "./guide.js";
import { tensorOf, type FlatValue } from "./prototype.js";

/** Fixed `loc` and `scaleTril` of a guide that has no params (the Laplace approximation's). */
export interface FixedGaussian {
  /** The mean, `[latentDim]`. */
  readonly loc: FlatValue;
  /** The lower Cholesky factor of the covariance, `[latentDim, latentDim]`. */
  readonly scaleTril: FlatValue;
}

/** The guide behind `infer.autoguide.AutoMultivariateNormal`. */
export class AutoMultivariateNormalImpl<Args extends readonly unknown[]> extends AutoContinuousImpl<Args> {
  private readonly initScale: number;

  /** Makes the guide of `model`; with `fixed`, a guide of that fixed Gaussian. */
  constructor(
    runtime: Runtime,
    model: AnyModel<Args>,
    options: AutoGuideOptions<Args> = {},
    private readonly fixed?: FixedGaussian,
  ) {
    super(runtime, model, "AutoMultivariateNormal", options);
    this.initScale = checkInitScale(this.kind, options.initScale ?? 0.1);
  }

  /** `loc` and `scaleTril` (params, or fixed values). */
  protected params(): Readonly<Record<string, VectorParam>> {
    const { ops } = this.runtime;
    if (this.fixed !== undefined) {
      return {
        loc: { name: `${this.prefix}.loc`, fixed: this.fixed.loc },
        scaleTril: { name: `${this.prefix}.scaleTril`, fixed: this.fixed.scaleTril },
      };
    }
    return {
      loc: { name: `${this.prefix}.loc`, init: () => tensorOf(ops, this.initLoc) },
      scaleTril: {
        name: `${this.prefix}.scaleTril`,
        init: () => ops.mul(ops.eye(this.latentDim), this.initScale),
        constraint: constraints.lowerCholesky,
      },
    };
  }

  /** `MultivariateNormal(loc, { scaleTril })`. */
  protected posteriorFrom(v: Readonly<Record<string, Tensor>>): Distribution {
    return new MultivariateNormal(this.runtime.distCtx, v.loc!, { scaleTril: v.scaleTril! });
  }

  /** `loc` and the row norms of `scaleTril` (the marginal standard deviations). */
  protected locScaleFrom(v: Readonly<Record<string, Tensor>>): LocScale {
    const { ops } = this.runtime;
    return { loc: v.loc!, scale: ops.sqrt(ops.sum(ops.square(v.scaleTril!), -1)) };
  }
}
