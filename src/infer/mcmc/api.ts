/**
 * The public shape of MCMC (`infer.NUTS`, `infer.HMC`, `infer.MCMC`), as in
 * Pyro. Backends that implement MCMC provide constructors of these types.
 *
 * @module
 */
import type { ModuleRef } from "../../codecs/inference-options.js";
import type { AnyModel } from "../../program/gen.js";
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { InitStrategy } from "../init.js";
import type { ChainStats } from "./chain.js";
import type { Transition } from "./transition.js";

/** Options of the HMC and NUTS kernels. */
export interface HMCOptions {
  /** Initial step size (default 1; adapted during warmup by default). */
  readonly stepSize?: number;
  /** Adapt the step size during warmup by dual averaging (default true). */
  readonly adaptStepSize?: boolean;
  /** Adapt a mass matrix during warmup, in Stan's windows (default true). */
  readonly adaptMassMatrix?: boolean;
  /** Use a dense (full) mass matrix instead of a diagonal one (default false). */
  readonly fullMass?: boolean;
  /** The acceptance probability warmup aims for (default 0.8). */
  readonly targetAcceptProb?: number;
  /** HMC only: the integration time (step size × number of steps; default 2π). */
  readonly trajectoryLength?: number;
  /** HMC only: a fixed number of leapfrog steps (takes precedence over `trajectoryLength`). */
  readonly numSteps?: number;
  /** NUTS only: the maximum tree depth (default 10, at most 2^10 − 1 leapfrog steps per iteration). */
  readonly maxTreeDepth?: number;
  /**
   * How latent sites are initialized (default `initToUniform()`, as Pyro's
   * HMC: uniform in (−2, 2) in unconstrained space). Draws whose potential
   * energy or gradient is not finite are retried (up to 100 times).
   */
  readonly initStrategy?: InitStrategy;
  /**
   * Compile the potential energy and its gradient (Pyro's `jit_compile`):
   * traced once into a term graph and generated as one JavaScript function
   * over `Float64Array`s, re-traced when a value it read changes. Needs a
   * backend with lazy ops (`funsor`); others throw `NotImplementedError`.
   * Default false.
   */
  readonly jitCompile?: boolean;
}

/** A built-in kernel as plain data: what a worker thread needs to rebuild it around a model. */
export interface KernelSpec {
  /** Which kernel. */
  readonly kind: "HMC" | "NUTS";
  /** The options given (without `initStrategy`, which is a function). */
  readonly options: HMCOptions;
  /** Whether an `initStrategy` was given (a worker cannot rebuild it from a model reference). */
  readonly customInitStrategy: boolean;
}

/** An MCMC kernel for a model with arguments `Args`. */
export interface MCMCKernel<Args extends readonly unknown[] = readonly unknown[]> {
  /** The model the kernel samples from. */
  readonly model: AnyModel<Args>;
  /** The kernel's name ("HMC" or "NUTS"), for messages. */
  readonly name: string;
  /** The resolved options. */
  readonly options: Readonly<Required<Omit<HMCOptions, "numSteps" | "trajectoryLength" | "maxTreeDepth">>>;
  /** The kernel's transition (a pure function of its inputs). */
  transition(): Transition;
  /** The kernel as plain data (built-in kernels), so worker threads can rebuild it around a model reference. */
  spec?(): KernelSpec;
}

/** `new infer.NUTS(model, options)` / `new infer.HMC(model, options)`. */
export interface KernelConstructor {
  /** Makes a kernel for `model`. */
  new <Args extends readonly unknown[]>(model: AnyModel<Args>, options?: HMCOptions): MCMCKernel<Args>;
}

/** Options of {@link MCMCConstructor}. */
export interface MCMCOptions {
  /** Sampling iterations per chain. */
  readonly numSamples: number;
  /** Warmup (adaptation) iterations per chain (default: numSamples, as Pyro). */
  readonly warmupSteps?: number;
  /** The number of chains (default 1). */
  readonly numChains?: number;
  /**
   * How chains run: `"sequential"` (the default: one after the other, in
   * this thread) or `"parallel"` (on `worker_threads`, which needs
   * `workerModule`). Both give bit-identical samples for one seed.
   */
  readonly chainMethod?: "sequential" | "parallel";
  /**
   * Where worker threads find the model: an export of an ES module, e.g.
   * `{ module: import.meta.url, export: "model" }` (workers cannot receive
   * functions). The export is the kernel's model, or a kernel (needed when
   * the kernel has a custom `initStrategy`). The module must not run
   * inference when imported (keep models in their own module, or guard with
   * `isMainThread`).
   */
  readonly workerModule?: ModuleRef;
  /** Parallel only: the number of worker threads (default: min(numChains, available cores)). */
  readonly numWorkers?: number;
  /**
   * Stops the run when aborted: `run` and `runAsync` throw
   * `InferenceAbortedError` and keep the previous run's samples (if any).
   * Checked between iterations; a synchronous `run` only sees an abort
   * that happens during the run from code it calls (use `runAsync` so
   * timers and I/O can abort it).
   */
  readonly signal?: AbortSignal;
  /** Keep every `thinning`-th sampling iteration (default 1): ⌈numSamples / thinning⌉ draws per chain. */
  readonly thinning?: number;
  /** Show a progress bar when stderr is a TTY (default true); nothing is printed otherwise. */
  readonly progressBar?: boolean;
  /**
   * Initial values in UNCONSTRAINED space (as Pyro's `initial_params`), per
   * latent site: the site's unconstrained shape (all chains), or with a
   * leading `numChains` dimension. Sites left out use the kernel's
   * `initStrategy`.
   */
  readonly initParams?: Readonly<Record<string, TensorLike>>;
}

/** Per-site diagnostics, one number per element of the site (row-major). */
export interface SiteDiagnostics {
  /** The site's value shape. */
  readonly shape: Shape;
  /** The effective sample size over all chains. */
  readonly nEff: Float64Array;
  /** Split Gelman–Rubin R-hat (NaN with fewer than 4 draws per chain). */
  readonly rHat: Float64Array;
}

/** The diagnostics of an MCMC run. */
export interface MCMCDiagnostics {
  /** Per latent site. */
  readonly sites: Readonly<Record<string, SiteDiagnostics>>;
  /** Per chain: divergent sampling iterations, mean acceptance probability, final step size, … */
  readonly chains: readonly ChainStats[];
}

/** One row of the summary table (one element of a site). */
export interface SummaryRow {
  /** `name` for a scalar site, `name[i,j]` for an element of a tensor site. */
  readonly label: string;
  /** The sample mean. */
  readonly mean: number;
  /** The sample standard deviation (n − 1). */
  readonly std: number;
  /** The median (the lower middle draw for an even count, as torch). */
  readonly median: number;
  /** The HPDI's lower bound. */
  readonly hpdiLow: number;
  /** The HPDI's upper bound. */
  readonly hpdiHigh: number;
  /** The effective sample size. */
  readonly nEff: number;
  /** Split R-hat. */
  readonly rHat: number;
}

/** The summary of an MCMC run, as printed by `summary()`. */
export interface MCMCSummary {
  /** The column headers: "mean", "std", "median", the HPDI bounds (e.g. "5.0%", "95.0%"), "n_eff", "r_hat". */
  readonly columns: readonly string[];
  /** One row per element of each latent site. */
  readonly rows: readonly SummaryRow[];
  /** Divergent transitions after warmup, over all chains. */
  readonly divergences: number;
  /** The printed text. */
  readonly text: string;
}

/** A configured MCMC run. */
export interface MCMCRunner<Args extends readonly unknown[]> {
  /** Runs warmup and sampling with the model's arguments. */
  run(...args: Args): void;
  /**
   * Runs warmup and sampling like `run`, yielding to the event loop between
   * iterations (sequential chains) or while worker threads sample (parallel
   * chains); the same samples as `run` for the same seed.
   */
  runAsync(...args: Args): Promise<void>;
  /** The constrained samples of each latent site: `[numChains × numDraws, ...]`, or `[numChains, numDraws, ...]` grouped. */
  getSamples(groupByChain?: boolean): Record<string, Tensor>;
  /** n_eff and r_hat per site, and per-chain statistics. */
  diagnostics(): MCMCDiagnostics;
  /** Prints Pyro's summary table (mean, std, median, HPDI, n_eff, r_hat, divergences) and returns it. */
  summary(prob?: number): MCMCSummary;
}

/** `new infer.MCMC(kernel, { numSamples, warmupSteps, numChains })`. */
export interface MCMCConstructor {
  /** Makes an MCMC run of `kernel`. */
  new <Args extends readonly unknown[]>(kernel: MCMCKernel<Args>, options: MCMCOptions): MCMCRunner<Args>;
}
