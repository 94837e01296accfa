/**
 * pyroapi for TypeScript: write a model once as a typed value, run it on any
 * backend.
 *
 * ```ts
 * import { pyro, dist, infer, optim, ops, pyroBackend } from "pyroapi";
 *
 * const model = pyro.model(function* (data: Tensor) {
 *   const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
 *   yield* pyro.plate("data", 100, function* () {
 *     yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
 *   });
 * });
 * ```
 *
 * @module
 */
import "./dispatch/standard-backends.js";

export * from "./errors.js";

export {
  pyro,
  dist,
  distributions,
  handlers,
  infer,
  optim,
  ops,
  modules,
  pyroBackend,
  registerBackend,
  registeredBackends,
  ask,
  DEFAULT_BACKEND,
  DEFAULT_RNG_SEED,
  type BackendSpec,
  type ModuleSpec,
  type Env,
} from "./dispatch/index.js";
export { makeStandardBackend, type StandardBackend } from "./backends/standard.js";
export type { Backend, Modules, ModuleName } from "./backends/backend.js";
export type { PyroModule } from "./backends/pyro-module.js";
export type { OpsModule } from "./backends/ops-module.js";
export type { HandlersModule } from "./handlers/module.js";
export type { InferModule, SVIConstructor, GuideSitesCheck } from "./infer/module.js";
export type { OptimModule } from "./optim/module.js";
export type { DistributionsModule } from "./distributions/module.js";
export * as P from "./program/instances.js";
export {
  type Program,
  type Model,
  type AnyModel,
  type Sites,
  type NoSites,
  type JoinSites,
  type Site,
  type ModelSites,
  type ArgsOf,
  type ReturnOf,
  type OnlyKnownSites,
  runProgram,
} from "./program/index.js";
export type { Tensor, TensorLike, Shape, NestedArray } from "./tensor/types.js";
export type { Ops } from "./tensor/ops.js";
export { Trace } from "./handlers/trace-record.js";
export type { Message, Handler, CondIndepFrame, InferConfig } from "./handlers/message.js";
export { ParamStore } from "./params/param-store.js";
export { NonlocalExit } from "./handlers/escape.js";
export type { AutoGuide, AutoGuideOptions } from "./infer/autoguide/guide.js";
export type { ContinuousGuide } from "./infer/autoguide/continuous.js";
export type { LaplaceGuide, AutoguideNamespace } from "./infer/autoguide/module.js";
export { type Predictive, type PredictiveOptions, type PredictiveSamples } from "./infer/predictive.js";
export { type EnumerateOptions } from "./handlers/enumerate.js";
export type { MarkovOptions, MarkovSteps } from "./primitives/markov.js";
export { type ConfigEnumerateOptions } from "./infer/enum/config-enumerate.js";
export type { InferDiscreteOptions } from "./infer/discrete.js";
export * as diagnostics from "./infer/mcmc/diagnostics.js";
export {
  type HMCOptions,
  type MCMCOptions,
  type MCMCConstructor,
  type KernelConstructor,
  type MCMCKernel,
  type MCMCRunner,
  type MCMCDiagnostics,
  type MCMCSummary,
  type SiteDiagnostics,
  type SummaryRow,
} from "./infer/mcmc/index.js";
export {
  initToFeasible,
  initToMean,
  initToMedian,
  initToSample,
  initToUniform,
  initToValue,
  type InitStrategy,
} from "./infer/init.js";
export * as codecs from "./codecs/index.js";
export * as optimCore from "./optim/index.js";
export { type ParamStoreState } from "./codecs/param-store.js";
export type { LoadOptions } from "./params/param-store.js";
export type { LRSchedule } from "./optim/scheduler.js";
export { PRNGKey, split, fold, type RandomKey } from "./tensor/random/key.js";
