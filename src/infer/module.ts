/**
 * The `infer` module of a standard backend.
 *
 * @module
 */
import type { Runtime } from "../handlers/runtime.js";
import type { Model, AnyModel } from "../program/gen.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { ELBO } from "./elbo/elbo.js";
import { makeAutoguideModule, type AutoguideModule } from "./autoguide/module.js";
import { makeElboModule, type ElboModule } from "./elbo/module.js";
import { makeEnumModule, type EnumModule } from "./enum/module.js";
import { makeMCMCModule, type MCMCModule } from "./mcmc/module.js";
import { SVI } from "./svi.js";

/**
 * `unknown` when every site of guide `G` is a site of model `S`; otherwise an
 * object type naming the guide's extra sites, so the compile error says what
 * is wrong.
 */
export type GuideSitesCheck<G, S> = string extends keyof S
  ? unknown
  : Exclude<keyof G, keyof S> extends never
    ? unknown
    : {
        /** Names the guide's sample sites that the model does not have (a compile error). */
        readonly "guide sites the model lacks": Exclude<keyof G, keyof S>;
      };

/** `new infer.SVI(model, guide, optim, loss)`; a guide with a site the model lacks does not compile. */
export interface SVIConstructor {
  /** Makes SVI of `model` with `guide`. */
  new <Args extends readonly unknown[], S, G>(
    model: Model<Args, unknown, S>,
    guide: Model<Args, unknown, G> & GuideSitesCheck<G, S>,
    optim: Optimizer,
    loss: ELBO,
  ): SVI<Args>;
}

/**
 * Inference algorithms (Pyro's `pyro.infer`). Members a backend lacks throw
 * `NotImplementedError` when accessed through the generic module.
 *
 * @example
 * ```ts
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 1e-2 }), new infer.TraceELBO());
 * ```
 */
export interface InferModule extends ElboModule, MCMCModule, AutoguideModule, EnumModule {
  /** Stochastic variational inference. */
  readonly SVI: SVIConstructor;
}

/** The infer module bound to `runtime`. */
export function makeInferModule(runtime: Runtime): Partial<InferModule> {
  class BoundSVI<Args extends readonly unknown[]> extends SVI<Args> {
    constructor(
      model: AnyModel<Args>,
      guide: AnyModel<Args>,
      optim: Optimizer,
      loss: ELBO,
    ) {
      super(runtime, model, guide, optim, loss);
    }
  }
  return {
    SVI: BoundSVI as unknown as SVIConstructor,
    ...makeElboModule(),
    ...makeMCMCModule(runtime),
    ...makeAutoguideModule(runtime),
    ...makeEnumModule(runtime),
  };
}
