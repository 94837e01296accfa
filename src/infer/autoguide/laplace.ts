/**
 * `AutoLaplaceApproximation`: a MAP point in unconstrained space, then a
 * Gaussian around it (Pyro's `AutoLaplaceApproximation`).
 *
 * As a guide it is a point mass `Delta(${prefix}.loc)` over the packed
 * unconstrained vector, each site being `Delta(T(u), −log|J_T(u)|)`; its
 * ELBO is `−U(loc)`, minus the potential energy of `latents.ts`, so SVI finds
 * the mode of the unconstrained posterior density. `laplaceApproximation`
 * then returns an `AutoMultivariateNormal` guide with that mean and the
 * covariance `H⁻¹`, `H` the Hessian of `U` at the mode — computed by central
 * differences of the float64 gradient of `makePotential` (step
 * `ε^{1/3} max(1, |q_i|)`, ε the backend's machine epsilon, which balances
 * the `O(h²)` truncation error against the gradient's rounding error over
 * `h`), symmetrized, and checked to be positive definite.
 *
 * @module
 */
import type { Distribution } from "../../distributions/distribution.js";
import { Delta } from "../../distributions/index.js";
import { finfo } from "../../distributions/util.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";
import { initialTrace, initToFeasible } from "../init.js";
import { latentLayout, makePotential } from "../latents.js";
import { AutoContinuousImpl, toContinuousGuide, type ContinuousGuide, type LocScale, type VectorParam } from "./continuous.js";
import { AutoGuideError, LaplaceHessianError } from "./errors.js";
import type { AutoGuideOptions } from "./guide.js";
import { centralDifferenceHessian, cholesky, inverseFromCholesky } from "./hessian.js";
import { AutoMultivariateNormalImpl } from "./multivariate-normal.js";
import { tensorOf } from "./prototype.js";

/** The guide behind `infer.autoguide.AutoLaplaceApproximation`. */
export class AutoLaplaceApproximationImpl<Args extends readonly unknown[]> extends AutoContinuousImpl<Args> {
  /** Makes the guide of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, options: AutoGuideOptions<Args> = {}) {
    super(runtime, model, "AutoLaplaceApproximation", options);
  }

  /** `loc`. */
  protected params(): Readonly<Record<string, VectorParam>> {
    return { loc: { name: `${this.prefix}.loc`, init: () => tensorOf(this.runtime.ops, this.initLoc) } };
  }

  /** `Delta(loc)` over the packed vector. */
  protected posteriorFrom(v: Readonly<Record<string, Tensor>>): Distribution {
    return new Delta(this.runtime.distCtx, v.loc!, { eventDim: 1 });
  }

  /** `loc` and zero spread: every quantile is the point. */
  protected locScaleFrom(v: Readonly<Record<string, Tensor>>): LocScale {
    return { loc: v.loc!, scale: this.runtime.ops.zerosLike(v.loc!) };
  }

  /** The Laplace approximation at the current `loc` (see the module doc). */
  laplaceApproximation<S>(args: Args): ContinuousGuide<Args, S> {
    const rt = this.runtime;
    const { ops } = rt;
    const p = this.prototype(args);
    const fixed = ops.tidy(() => {
      const q = Float64Array.from(ops.toFlat(this.currentValues().loc!));
      const layout = latentLayout(rt, initialTrace(rt, this.model, args, initToFeasible), this.kind);
      const same = layout.size === q.length && layout.sites.every((s, i) => s.name === p.sites[i]?.name);
      if (!same) throw new AutoGuideError(this.kind, "the model's latent sites changed since the guide was set up");
      const potential = makePotential(rt, this.model, args, layout);
      const eps = Math.cbrt(finfo(ops.dtype).eps);
      const grad = (x: Float64Array): Float64Array => {
        const g = potential.valueAndGrad(x).grad;
        if (!g.every(Number.isFinite)) throw new LaplaceHessianError("the gradient near the MAP point is not finite");
        return g;
      };
      const n = q.length;
      const h = centralDifferenceHessian(grad, q, (i) => eps * Math.max(1, Math.abs(q[i]!)));
      const ch = cholesky(h, n);
      if (!ch.ok) throw new LaplaceHessianError(`pivot ${ch.index} of ${n} is ${ch.pivot}`);
      const cov = inverseFromCholesky(ch.lower, n);
      const lc = cholesky(cov, n);
      if (!lc.ok) throw new LaplaceHessianError(`its inverse is numerically singular (pivot ${lc.index} is ${lc.pivot})`);
      return { loc: { data: q, shape: [n] }, scaleTril: { data: lc.lower, shape: [n, n] } };
    });
    const gaussian = new AutoMultivariateNormalImpl(rt, this.model, {}, fixed);
    gaussian.adoptPrototype(p);
    return toContinuousGuide<Args, S>(gaussian);
  }
}
