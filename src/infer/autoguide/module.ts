/**
 * The autoguide and Predictive members of the `infer` module.
 *
 * Pyro's `pyro.infer.autoguide` is the namespace `infer.autoguide`; its
 * guides are factories (`infer.autoguide.AutoNormal(model, options)`, no
 * `new`, as Python calls the class): an autoguide is a model, i.e. a
 * function, so it is made by a function, like `handlers.trace(model)`.
 * `infer.Predictive` is a class, as `infer.SVI`:
 * `new infer.Predictive(model, options).call(...args)`.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel, Model } from "../../program/gen.js";
import {
  initToFeasible, initToMean, initToMedian, initToSample, initToUniform, initToValue, type InitStrategy,
} from "../init.js";
import { Predictive, type PredictiveOptions } from "../predictive.js";
import { toContinuousGuide, type ContinuousGuide } from "./continuous.js";
import { AutoDeltaImpl } from "./delta.js";
import { AutoDiagonalNormalImpl } from "./diagonal-normal.js";
import { toAutoGuide, type AutoGuide, type AutoGuideOptions } from "./guide.js";
import { AutoLaplaceApproximationImpl } from "./laplace.js";
import { AutoLowRankMultivariateNormalImpl, type AutoLowRankOptions } from "./low-rank.js";
import { AutoMultivariateNormalImpl } from "./multivariate-normal.js";
import { AutoNormalImpl } from "./normal.js";

/** A factory of autoguides with options `O`: `(model, options?) => guide`. */
export type AutoGuideFactory<G extends "point" | "normal" | "vector" | "laplace", O extends "base" | "lowRank" = "base"> = <
  Args extends readonly unknown[],
  R,
  S,
>(
  model: Model<Args, R, S>,
  options?: O extends "lowRank" ? AutoLowRankOptions<Args> : AutoGuideOptions<Args>,
) => G extends "vector" ? ContinuousGuide<Args, S> : G extends "laplace" ? LaplaceGuide<Args, S> : AutoGuide<Args, S>;

/** The guide `AutoLaplaceApproximation` makes: a MAP guide with `laplaceApproximation`. */
export interface LaplaceGuide<Args extends readonly unknown[], S> extends ContinuousGuide<Args, S> {
  /**
   * An `AutoMultivariateNormal` guide with the current MAP point as mean and
   * the inverse Hessian of the loss there as covariance (Pyro's
   * `laplace_approximation`).
   *
   * @throws LaplaceHessianError when the Hessian is not positive definite.
   */
  laplaceApproximation(...args: Args): ContinuousGuide<Args, S>;
}

/**
 * `infer.autoguide` (Pyro's `pyro.infer.autoguide`): guides made from a
 * model, and the init strategies they take as `initLocFn`.
 *
 * @example
 * ```ts
 * const guide = infer.autoguide.AutoNormal(model, { initScale: 0.05 });
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
 * ```
 */
export interface AutoguideNamespace {
  /** A point mass per latent site: MAP in the constrained space. @example `infer.autoguide.AutoDelta(model)` */
  readonly AutoDelta: AutoGuideFactory<"point">;
  /** A Normal per latent site in unconstrained space (mean field). @example `infer.autoguide.AutoNormal(model)` */
  readonly AutoNormal: AutoGuideFactory<"normal">;
  /** A diagonal Normal over all latents packed. @example `infer.autoguide.AutoDiagonalNormal(model)` */
  readonly AutoDiagonalNormal: AutoGuideFactory<"vector">;
  /** A full-covariance Normal over all latents packed. @example `infer.autoguide.AutoMultivariateNormal(model)` */
  readonly AutoMultivariateNormal: AutoGuideFactory<"vector">;
  /** A low-rank-plus-diagonal Normal over all latents packed. @example `infer.autoguide.AutoLowRankMultivariateNormal(model, { rank: 2 })` */
  readonly AutoLowRankMultivariateNormal: AutoGuideFactory<"vector", "lowRank">;
  /** A MAP point in unconstrained space, then `laplaceApproximation(...args)`. @example `infer.autoguide.AutoLaplaceApproximation(model)` */
  readonly AutoLaplaceApproximation: AutoGuideFactory<"laplace">;
  /** Init to the median of prior draws (the default). @example `infer.autoguide.initToMedian({ numSamples: 15 })` */
  readonly initToMedian: typeof initToMedian;
  /** Init to a prior draw. @example `{ initLocFn: infer.autoguide.initToSample }` */
  readonly initToSample: InitStrategy;
  /** Init to the prior mean. @example `{ initLocFn: infer.autoguide.initToMean }` */
  readonly initToMean: InitStrategy;
  /** Init to 0 in unconstrained space. @example `{ initLocFn: infer.autoguide.initToFeasible }` */
  readonly initToFeasible: InitStrategy;
  /** Init uniformly in `(-radius, radius)` unconstrained. @example `infer.autoguide.initToUniform({ radius: 2 })` */
  readonly initToUniform: typeof initToUniform;
  /** Init given sites to given values. @example `infer.autoguide.initToValue({ values: { loc: 0.5 } })` */
  readonly initToValue: typeof initToValue;
}

/** `new infer.Predictive(model, options)`. */
export interface PredictiveConstructor {
  /** Makes prior or posterior predictive sampling of `model`. */
  new <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: PredictiveOptions<Args, S>): Predictive<Args, S>;
}

/** Autoguides (`infer.autoguide.AutoNormal`, ...) and `infer.Predictive`. */
export interface AutoguideModule {
  /** The autoguides and init strategies (Pyro's `pyro.infer.autoguide`). */
  readonly autoguide: AutoguideNamespace;
  /** Prior and posterior predictive sampling (Pyro's `pyro.infer.Predictive`). */
  readonly Predictive: PredictiveConstructor;
}

/** The autoguide members bound to `runtime`. */
export function makeAutoguideModule(runtime: Runtime): Partial<AutoguideModule> {
  type AnyArgs = readonly unknown[];
  const autoguide: AutoguideNamespace = {
    AutoDelta: ((model: AnyModel, o?: AutoGuideOptions<AnyArgs>) =>
      toAutoGuide(new AutoDeltaImpl(runtime, model, o))) as AutoGuideFactory<"point">,
    AutoNormal: ((model: AnyModel, o?: AutoGuideOptions<AnyArgs>) =>
      toAutoGuide(new AutoNormalImpl(runtime, model, o))) as AutoGuideFactory<"normal">,
    AutoDiagonalNormal: ((model: AnyModel, o?: AutoGuideOptions<AnyArgs>) =>
      toContinuousGuide(new AutoDiagonalNormalImpl(runtime, model, o))) as AutoGuideFactory<"vector">,
    AutoMultivariateNormal: ((model: AnyModel, o?: AutoGuideOptions<AnyArgs>) =>
      toContinuousGuide(new AutoMultivariateNormalImpl(runtime, model, o))) as AutoGuideFactory<"vector">,
    AutoLowRankMultivariateNormal: ((model: AnyModel, o?: AutoLowRankOptions<AnyArgs>) =>
      toContinuousGuide(new AutoLowRankMultivariateNormalImpl(runtime, model, o))) as AutoGuideFactory<"vector", "lowRank">,
    AutoLaplaceApproximation: ((model: AnyModel, o?: AutoGuideOptions<AnyArgs>) => {
      const impl = new AutoLaplaceApproximationImpl(runtime, model, o);
      return toContinuousGuide(impl, { laplaceApproximation: (...args: AnyArgs) => impl.laplaceApproximation(args) });
    }) as AutoGuideFactory<"laplace">,
    initToMedian,
    initToSample,
    initToMean,
    initToFeasible,
    initToUniform,
    initToValue,
  };
  class BoundPredictive<Args extends readonly unknown[], S> extends Predictive<Args, S> {
    constructor(model: AnyModel<Args>, options: PredictiveOptions<Args, S>) {
      super(runtime, model, options);
    }
  }
  return { autoguide, Predictive: BoundPredictive as unknown as PredictiveConstructor };
}
