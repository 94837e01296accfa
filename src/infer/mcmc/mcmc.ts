/**
 * `MCMC`: the driver (Pyro's `infer.MCMC`). `run` finds each chain's
 * initial point, runs the chains one after the other, and keeps their draws
 * in float64; `getSamples`, `diagnostics` and `summary` read them.
 *
 * Randomness: `run` takes one key from the runtime and folds in each chain's index;
 * each chain's initialization, warmup and sampling draw only from its own
 * key (model runs inside the potential use a per-chain key too), so a fixed
 * seed gives bit-identical samples and chains do not depend on each other.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import { fold, split, type RandomKey } from "../../tensor/random/index.js";
import type { Tensor } from "../../tensor/types.js";
import { makePotential, type LatentLayout } from "../latents.js";
import type { MCMCDiagnostics, MCMCKernel, MCMCOptions, MCMCRunner, MCMCSummary, SiteDiagnostics } from "./api.js";
import { keptCount, runChain, type ChainResult } from "./chain.js";
import { findInitialPoint, modelLayout } from "./initial-point.js";
import { MCMCOptionError } from "./kernels.js";
import { progressReporter } from "./progress.js";
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
interface ResolvedOptions {
  readonly numSamples: number;
  readonly warmupSteps: number;
  readonly numChains: number;
  readonly thinning: number;
  readonly progressBar: boolean;
  readonly initParams: MCMCOptions["initParams"];
}

function resolveOptions(options: MCMCOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw new MCMCOptionError("infer.MCMC", "options", "an object", options);
  const count = (key: keyof MCMCOptions, min: number, fallback?: number): number => {
    const v = options[key] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new MCMCOptionError("infer.MCMC", key, `an integer ≥ ${min}`, v);
    }
    return v;
  };
  const numSamples = count("numSamples", 1);
  const progressBar = options.progressBar ?? true;
  if (typeof progressBar !== "boolean") throw new MCMCOptionError("infer.MCMC", "progressBar", "a boolean", progressBar);
  const initParams = options.initParams;
  if (initParams !== undefined && (initParams === null || typeof initParams !== "object")) {
    throw new MCMCOptionError("infer.MCMC", "initParams", "an object of unconstrained values per site", initParams);
  }
  return {
    numSamples,
    warmupSteps: count("warmupSteps", 0, numSamples),
    numChains: count("numChains", 1, 1),
    thinning: count("thinning", 1, 1),
    progressBar,
    initParams,
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
  }

  /** Runs warmup and sampling of every chain with the model's arguments. */
  run(...args: Args): void {
    // One tidy scope around the run releases the prototype trace's tensors (which the layout's
    // transforms may use) once sampling is done; only float64 arrays leave it.
    this.result = this.runtime.ops.tidy(() => this.sample(args));
  }

  private sample(args: Args): RunResult {
    const rt = this.runtime;
    const { kernel, opts } = this;
    const algorithm = `infer.${kernel.name}`;
    // Chain c draws from fold(runKey, c): its draws do not depend on how many chains run.
    const runKey = rt.nextKey();
    const chainKeys = Array.from({ length: opts.numChains }, (_, c) => fold(runKey, c));
    const [layoutKey] = split(chainKeys[0]!, 4) as RandomKey[];
    const layout = rt.withKey(layoutKey!, () =>
      modelLayout(rt, algorithm, kernel.model, args, kernel.options.initStrategy, layoutKey!),
    );
    const potential = makePotential(rt, kernel.model, args, layout);
    const transition = kernel.transition();
    const progress = progressReporter(opts.progressBar, opts.numChains);
    const chains: ChainResult[] = [];
    for (let c = 0; c < opts.numChains; c++) {
      const [, initKey, sampleKey, modelKey] = split(chainKeys[c]!, 4) as RandomKey[];
      // Model runs inside the potential draw their (unused) keys from the chain's own key.
      const result = rt.withKey(modelKey!, () => {
        const initial = findInitialPoint(
          rt,
          {
            algorithm,
            model: kernel.model,
            args,
            layout,
            potential,
            strategy: kernel.options.initStrategy,
            initParams: opts.initParams,
            chain: c,
            numChains: opts.numChains,
          },
          initKey!,
        );
        progress?.start(c, opts.warmupSteps + opts.numSamples);
        try {
          return runChain(
            {
              potential: (q) => potential.valueAndGrad(q),
              initial,
              transition,
              warmupSteps: opts.warmupSteps,
              numSamples: opts.numSamples,
              thinning: opts.thinning,
              stepSize: kernel.options.stepSize,
              adaptStepSize: kernel.options.adaptStepSize,
              adaptMassMatrix: kernel.options.adaptMassMatrix,
              dense: kernel.options.fullMass,
              targetAcceptProb: kernel.options.targetAcceptProb,
            },
            sampleKey!,
            progress === undefined ? undefined : (info) => progress.update(c, info),
          );
        } finally {
          progress?.stop();
        }
      });
      chains.push(result);
    }
    return { sites: this.constrainDraws(layout, chains), chains };
  }

  /** The constrained draws of every site, `[numChains, numDraws, ...shape]`, via one batched transform per site. */
  private constrainDraws(layout: LatentLayout, chains: readonly ChainResult[]): Record<string, SiteDraws> {
    const { ops } = this.runtime;
    const numDraws = keptCount(this.opts.numSamples, this.opts.thinning);
    const total = chains.length * numDraws;
    const sites: Record<string, SiteDraws> = {};
    for (const s of layout.sites) {
      const u = new Float64Array(total * s.size);
      chains.forEach((ch, c) => {
        for (let i = 0; i < numDraws; i++) {
          const row = ch.samples.subarray(i * layout.size + s.offset, i * layout.size + s.offset + s.size);
          u.set(row, (c * numDraws + i) * s.size);
        }
      });
      const values = ops.tidy(() =>
        Float64Array.from(ops.toFlat(s.transform.forward(ops.fromFlat(u, [total, ...s.unconstrainedShape])))),
      );
      sites[s.name] = { shape: s.shape, numChains: chains.length, numDraws, values };
    }
    return sites;
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
