/**
 * MCMC: the HMC and NUTS kernels, the MCMC driver, and Pyro's diagnostics
 * (`pyro.ops.stats`): what the public surface may re-export.
 *
 * @module
 */
export type {
  HMCOptions,
  KernelConstructor,
  KernelSpec,
  MCMCConstructor,
  MCMCDiagnostics,
  MCMCKernel,
  MCMCOptions,
  MCMCRunner,
  MCMCSummary,
  SiteDiagnostics,
  SummaryRow,
} from "./api.js";
export type { ChainStats } from "./chain.js";
export {
  DiagnosticsInputError,
  autocorrelation,
  autocovariance,
  effectiveSampleSize,
  gelmanRubin,
  hpdi,
  quantiles,
  splitGelmanRubin,
} from "./diagnostics.js";
export { MCMCInitializationError } from "./initial-point.js";
export { HMC, MCMCOptionError, NUTS } from "./kernels.js";
export { MassMatrixError, type InverseMassMatrix } from "./mass-matrix.js";
export { MCMCNotRunError } from "./mcmc.js";
export { InferenceAbortedError } from "./abort.js";
export { MCMCWorkerError } from "./parallel.js";
export { summarize, type SiteDraws } from "./summary.js";
export type { Transition, TransitionInput, TransitionResult } from "./transition.js";
