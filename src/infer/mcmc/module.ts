/**
 * The MCMC members of the `infer` module.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import type { KernelConstructor, MCMCConstructor } from "./api.js";

/** MCMC in the `infer` module: kernels and the driver. */
export interface MCMCModule {
  /** The No-U-Turn sampler kernel. */
  readonly NUTS: KernelConstructor;
  /** The Hamiltonian Monte Carlo kernel. */
  readonly HMC: KernelConstructor;
  /** The MCMC driver: warmup, sampling, diagnostics, summary. */
  readonly MCMC: MCMCConstructor;
}

/** The MCMC members bound to `runtime` (those implemented so far). */
export function makeMCMCModule(_runtime: Runtime): Partial<MCMCModule> {
  return {};
}
