/**
 * The public shape of MCMC (`infer.NUTS`, `infer.HMC`, `infer.MCMC`), as in
 * Pyro. Backends that implement MCMC provide constructors of these types.
 *
 * @module
 */
import type { Model, AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";

/** Options of the HMC and NUTS kernels. */
export interface HMCOptions {
  /** Initial step size (adapted during warmup by default). */
  readonly stepSize?: number;
  /** Adapt the step size during warmup (dual averaging). */
  readonly adaptStepSize?: boolean;
  /** Adapt a mass matrix during warmup. */
  readonly adaptMassMatrix?: boolean;
  /** Use a dense (full) mass matrix instead of a diagonal one. */
  readonly fullMass?: boolean;
  /** The acceptance probability warmup aims for (default 0.8). */
  readonly targetAcceptProb?: number;
  /** HMC only: the integration length (step size × number of steps). */
  readonly trajectoryLength?: number;
  /** HMC only: the number of leapfrog steps. */
  readonly numSteps?: number;
  /** NUTS only: the maximum tree depth (default 10). */
  readonly maxTreeDepth?: number;
}

/** An MCMC kernel for a model with arguments `Args`. */
export interface MCMCKernel<Args extends readonly unknown[] = readonly unknown[]> {
  /** The model the kernel samples from. */
  readonly model: AnyModel<Args>;
}

/** `new infer.NUTS(model, options)` / `new infer.HMC(model, options)`. */
export interface KernelConstructor {
  /** Makes a kernel for `model`. */
  new <Args extends readonly unknown[]>(model: AnyModel<Args>, options?: HMCOptions): MCMCKernel<Args>;
}

/** Options of {@link MCMCConstructor}. */
export interface MCMCOptions {
  /** Samples kept per chain. */
  readonly numSamples: number;
  /** Warmup (adaptation) iterations per chain (default: numSamples). */
  readonly warmupSteps?: number;
  /** The number of chains (default 1). */
  readonly numChains?: number;
  /** Keep every `thinning`-th sample (default 1). */
  readonly thinning?: number;
}

/** A configured MCMC run. */
export interface MCMCRunner<Args extends readonly unknown[]> {
  /** Runs warmup and sampling with the model's arguments. */
  run(...args: Args): void;
  /** The samples of each latent site: `[numChains × numSamples, ...]`, or `[numChains, numSamples, ...]` grouped. */
  getSamples(groupByChain?: boolean): Record<string, Tensor>;
  /** Prints Pyro's summary table (mean, std, median, HPDI, n_eff, r_hat, divergences). */
  summary(prob?: number): void;
}

/** `new infer.MCMC(kernel, { numSamples, warmupSteps, numChains })`. */
export interface MCMCConstructor {
  /** Makes an MCMC run of `kernel`. */
  new <Args extends readonly unknown[]>(kernel: MCMCKernel<Args>, options: MCMCOptions): MCMCRunner<Args>;
}
