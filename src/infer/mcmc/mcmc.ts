/**
 * `MCMC`: the driver (Pyro's `infer.MCMC`). `run` finds each chain's
 * initial point, runs the chains — one after the other in this thread, or
 * on worker threads with `chainMethod: "parallel"` — and keeps their draws in
 * float64; `runAsync` does the same while yielding to the event loop;
 * `getSamples`, `diagnostics` and `summary` read the draws.
 *
 * Randomness: a run takes one key from the runtime; chain c draws only from
 * `fold(runKey, c)` (see `run-plan.ts`), so a fixed seed gives bit-identical
 * samples whichever way the chains run, and chains do not depend on each other.
 *
 * @module
 */
import { MCMCOptionsC, type ModuleRef } from "../../codecs/inference-options.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { RandomKey } from "../../tensor/random/index.js";
import type { Tensor } from "../../tensor/types.js";
import { checkJitBackend } from "../jit/potential.js";
import { throwIfAborted } from "./abort.js";
import type { MCMCDiagnostics, MCMCKernel, MCMCOptions, MCMCRunner, MCMCSummary, SiteDiagnostics } from "./api.js";
import type { ChainResult } from "./chain.js";
import { decodeMCMCOptions, MCMCOptionError } from "./kernels.js";
import { defaultWorkers, runParallelAsync, runParallelSync, type ParallelJob } from "./parallel.js";
import { progressReporter } from "./progress.js";
import { prewarm } from "./worker-pool.js";
import { algorithmOf, constrainDraws, describeLayout, makePlan, type ChainOptions } from "./run-plan.js";
import { runChainsAsync, runChainsSync, type ChainJob, type DriverHooks } from "./sequential.js";
import { siteDiagnostics, summarize, type SiteDraws } from "./summary.js";

/** The error thrown when samples or diagnostics are asked for before `run`. */
export class MCMCNotRunError extends Error {
  /** Makes the error for `method`. */
  constructor(method: string) {
    super(`infer.MCMC.${method}: no samples yet; call mcmc.run(...args) first`);
    this.name = "MCMCNotRunError";
  }
}

/** The validated options. */
interface ResolvedOptions extends ChainOptions {
  readonly progressBar: boolean;
  readonly parallel: boolean;
  readonly workerModule: ModuleRef | undefined;
  readonly numWorkers: number;
  readonly signal: AbortSignal | undefined;
}

function resolveOptions(options: MCMCOptions): ResolvedOptions {
  const o = decodeMCMCOptions("infer.MCMC", MCMCOptionsC, options);
  const parallel = o.chainMethod === "parallel";
  if (parallel && o.workerModule === undefined) {
    throw new MCMCOptionError(
      "infer.MCMC",
      "workerModule",
      'a reference { module: import.meta.url, export: "model" } to the exported model when chainMethod is "parallel" (worker threads cannot receive functions)',
      undefined,
    );
  }
  const numChains = o.numChains ?? 1;
  return {
    numSamples: o.numSamples,
    warmupSteps: o.warmupSteps ?? o.numSamples,
    numChains,
    thinning: o.thinning ?? 1,
    progressBar: o.progressBar ?? true,
    initParams: o.initParams as MCMCOptions["initParams"],
    parallel,
    workerModule: o.workerModule,
    numWorkers: o.numWorkers ?? defaultWorkers(numChains),
    signal: o.signal,
  };
}

/** A finished run. */
interface RunResult {
  readonly sites: Record<string, SiteDraws>;
  readonly chains: readonly ChainResult[];
}

/**
 * Markov chain Monte Carlo with an HMC-family kernel.
 *
 * @example
 * ```ts
 * const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: 1000, warmupSteps: 1000, numChains: 4 });
 * mcmc.run(J, sigma, y);
 * const { mu } = mcmc.getSamples();
 * mcmc.summary();
 *
 * // Chains on worker threads (the model is exported from this module):
 * const par = new infer.MCMC(new infer.NUTS(model), {
 *   numSamples: 1000, numChains: 4, chainMethod: "parallel",
 *   workerModule: { module: import.meta.url, export: "model" },
 * });
 * await par.runAsync(J, sigma, y);
 * ```
 */
export class MCMC<Args extends readonly unknown[]> implements MCMCRunner<Args> {
  private readonly opts: ResolvedOptions;
  private result: RunResult | undefined;

  /** Makes the run on `runtime` (backends bind it; users call `new infer.MCMC(kernel, options)`). */
  constructor(
    private readonly runtime: Runtime,
    /** The kernel. */
    readonly kernel: MCMCKernel<Args>,
    options: MCMCOptions,
  ) {
    const k = kernel as Partial<MCMCKernel<Args>> | null;
    if (k === null || typeof k !== "object" || typeof k.transition !== "function" || typeof k.model !== "function") {
      throw new MCMCOptionError("infer.MCMC", "kernel", "a kernel such as new infer.NUTS(model)", kernel);
    }
    this.opts = resolveOptions(options);
    if (kernel.options.jitCompile) checkJitBackend(runtime, algorithmOf(this.anyKernel));
    // Workers load the library while the caller prepares the run; later runs reuse them.
    if (this.opts.parallel) prewarm(this.opts.numWorkers);
  }

  /** Runs warmup and sampling of every chain with the model's arguments (blocking this thread). */
  run(...args: Args): void {
    const what = "infer.MCMC.run";
    throwIfAborted(this.opts.signal, what, 0);
    const runKey = this.runtime.nextKey();
    const hooks = this.hooks(what);
    const chains = this.opts.parallel ? runParallelSync(this.parallelJob(args, runKey), hooks) : runChainsSync(this.job(args, runKey), hooks);
    this.result = this.finish(args, runKey, chains);
  }

  /**
   * Runs warmup and sampling like {@link MCMC.run}, but yields to the event
   * loop between iterations (sequential chains) or waits for the worker
   * threads without blocking (parallel chains). The same draws as `run`.
   */
  async runAsync(...args: Args): Promise<void> {
    const what = "infer.MCMC.runAsync";
    throwIfAborted(this.opts.signal, what, 0);
    // Taken before the first await: the runtime's key is only meaningful synchronously (seed scopes restore it).
    const runKey = this.runtime.nextKey();
    const hooks = this.hooks(what);
    const chains = this.opts.parallel
      ? await runParallelAsync(this.parallelJob(args, runKey), hooks)
      : await runChainsAsync(this.job(args, runKey), hooks);
    this.result = this.finish(args, runKey, chains);
  }

  /** The kernel, for drivers that take any model's arguments. */
  private get anyKernel(): MCMCKernel {
    return this.kernel as unknown as MCMCKernel;
  }

  private job(args: Args, runKey: RandomKey): ChainJob {
    const chains = Array.from({ length: this.opts.numChains }, (_, c) => c);
    return { rt: this.runtime, kernel: this.anyKernel, args, opts: this.opts, runKey, chains };
  }

  private parallelJob(args: Args, runKey: RandomKey): ParallelJob {
    const rt = this.runtime;
    // The layout is built here first: a model error surfaces before any worker starts.
    let layout = "";
    rt.ops.tidy(() => {
      layout = describeLayout(makePlan(rt, this.anyKernel, args, runKey).layout);
    });
    const { chains: _, ...job } = this.job(args, runKey);
    return { ...job, ref: this.opts.workerModule!, numWorkers: this.opts.numWorkers, layout };
  }

  /** The progress bar and the abort signal, as driver hooks. */
  private hooks(what: string): DriverHooks {
    const progress = progressReporter(this.opts.progressBar, this.opts.numChains, this.opts.parallel);
    if (progress === undefined) return { what, signal: this.opts.signal };
    return {
      what,
      signal: this.opts.signal,
      onStart: (c, total) => progress.start(c, total),
      onIteration: (c, info) => progress.update(c, info),
      onStop: (c) => progress.stop(c),
    };
  }

  /** The constrained draws of every site, `[numChains, numDraws, ...shape]`. */
  private finish(args: Args, runKey: RandomKey, chains: readonly ChainResult[]): RunResult {
    const rt = this.runtime;
    let sites: Record<string, SiteDraws> = {};
    rt.ops.tidy(() => {
      sites = constrainDraws(rt, makePlan(rt, this.anyKernel, args, runKey).layout, chains, this.opts);
    });
    return { sites, chains };
  }

  private finished(method: string): RunResult {
    if (this.result === undefined) throw new MCMCNotRunError(method);
    return this.result;
  }

  /**
   * The constrained samples of each latent site, as tensors of the backend:
   * `[numChains · numDraws, ...siteShape]`, or `[numChains, numDraws, ...siteShape]` with `groupByChain`.
   */
  getSamples(groupByChain = false): Record<string, Tensor> {
    const { sites } = this.finished("getSamples");
    const { ops } = this.runtime;
    const out: Record<string, Tensor> = {};
    for (const [name, s] of Object.entries(sites)) {
      const lead = groupByChain ? [s.numChains, s.numDraws] : [s.numChains * s.numDraws];
      out[name] = ops.fromFlat(s.values, [...lead, ...s.shape]);
    }
    return out;
  }

  /** n_eff and split R-hat per site element, and each chain's statistics (divergences, acceptance, step size). */
  diagnostics(): MCMCDiagnostics {
    const { sites, chains } = this.finished("diagnostics");
    const siteStats: Record<string, SiteDiagnostics> = {};
    for (const [name, s] of Object.entries(sites)) siteStats[name] = siteDiagnostics(s);
    return { sites: siteStats, chains: chains.map((c) => c.stats) };
  }

  /** Prints Pyro's summary table with a `prob` HPDI (default 0.9) and returns it. */
  summary(prob = 0.9): MCMCSummary {
    const { sites, chains } = this.finished("summary");
    const divergences = chains.reduce((n, c) => n + c.stats.divergences.length, 0);
    const s = summarize(sites, prob, divergences);
    console.log(s.text);
    return s;
  }
}
