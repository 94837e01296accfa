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

/** The runtimes MCMC modules were made for, by name: how a worker thread finds its backend's runtime. */
const runtimes = new Map<string, Runtime>();

/** The runtime named `name` that an MCMC module was made for (the first one of that name), if any. */
export function runtimeNamed(name: string): Runtime | undefined {
  return runtimes.get(name);
}

/** The MCMC members bound to `runtime`. */
export function makeMCMCModule(runtime: Runtime): Partial<MCMCModule> {
  if (!runtimes.has(runtime.name)) runtimes.set(runtime.name, runtime);
  class BoundMCMC<Args extends readonly unknown[]> extends MCMC<Args> {
    constructor(kernel: MCMCKernel<Args>, options: MCMCOptions) {
      super(runtime, kernel, options);
    }
  }
  return { NUTS, HMC, MCMC: BoundMCMC };
}
