/**
 * The MCMC members of the `infer` module.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import type { KernelConstructor, MCMCConstructor, MCMCKernel, MCMCOptions } from "./api.js";
import { HMC, NUTS } from "./kernels.js";
import { MCMC } from "./mcmc.js";

/** MCMC in the `infer` module: kernels and the driver. */
export interface MCMCModule {
  /** The No-U-Turn sampler kernel. */
  readonly NUTS: KernelConstructor;
  /** The Hamiltonian Monte Carlo kernel. */
  readonly HMC: KernelConstructor;
  /** The MCMC driver: warmup, sampling, diagnostics, summary. */
  readonly MCMC: MCMCConstructor;
}

/** The MCMC members bound to `runtime`. */
export function makeMCMCModule(runtime: Runtime): Partial<MCMCModule> {
  class BoundMCMC<Args extends readonly unknown[]> extends MCMC<Args> {
    constructor(kernel: MCMCKernel<Args>, options: MCMCOptions) {
      super(runtime, kernel, options);
    }
  }
  return { NUTS, HMC, MCMC: BoundMCMC };
}
