/**
 * What one MCMC run is made of, as pure functions of the run's key, so the
 * main thread and worker threads build exactly the same chains:
 *
 * - the run key `runKey` (one `nextKey()` of the runtime); chain c draws from
 *   `fold(runKey, c)`, split into (layout, init, sample, model) keys;
 * - the **plan**: the latent layout (from a prototype trace drawn with chain
 *   0's layout key) and the potential energy. The plan holds backend
 *   tensors, so it lives inside one `tidy` scope; async and parallel drivers
 *   rebuild it (it is deterministic) instead of keeping it across awaits;
 * - each chain's **start** (its initial point, found with its init key) and
 *   **iterations**: iteration i runs with the runtime key `fold(modelKey, i + 1)`
 *   (model runs inside the potential draw from it), the start with
 *   `fold(modelKey, 0)`.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import { fold, split, type RandomKey } from "../../tensor/random/index.js";
import { compiledPotential } from "../jit/potential.js";
import { makePotential, type LatentLayout, type Potential } from "../latents.js";
import type { MCMCKernel, MCMCOptions } from "./api.js";
import { ChainStepper, keptCount, type ChainResult, type IterationInfo } from "./chain.js";
import { findInitialPoint, modelLayout } from "./initial-point.js";
import type { SiteDraws } from "./summary.js";
import type { Transition } from "./transition.js";

/** The run options a chain needs (validated). */
export interface ChainOptions {
  /** Sampling iterations per chain. */
  readonly numSamples: number;
  /** Warmup iterations per chain. */
  readonly warmupSteps: number;
  /** The number of chains. */
  readonly numChains: number;
  /** Keep every `thinning`-th draw. */
  readonly thinning: number;
  /** User-given unconstrained initial values. */
  readonly initParams: MCMCOptions["initParams"];
}

/** The layout and potential of a run (valid inside the `tidy` scope it was made in). */
export interface RunPlan {
  /** The latent layout. */
  readonly layout: LatentLayout;
  /** The potential energy. */
  readonly potential: Potential;
}

/** A chain's keys: its initial point's draws, its iterations' draws, and the model runs' keys. */
export interface ChainKeys {
  /** The prototype trace's key (chain 0's is the layout key of the run). */
  readonly layout: RandomKey;
  /** The initial point's draws. */
  readonly init: RandomKey;
  /** The chain's iterations. */
  readonly sample: RandomKey;
  /** The runtime keys of model runs inside the potential. */
  readonly model: RandomKey;
}

/** Chain `c`'s keys from the run key. */
export function chainKeys(runKey: RandomKey, c: number): ChainKeys {
  const [layout, init, sample, model] = split(fold(runKey, c), 4) as RandomKey[];
  return { layout: layout!, init: init!, sample: sample!, model: model! };
}

/** `infer.NUTS` / `infer.HMC`, for messages. */
export function algorithmOf(kernel: MCMCKernel): string {
  return `infer.${kernel.name}`;
}

/**
 * What survives plan rebuilds within one run: the compiled potential
 * (`jitCompile`), so a driver that rebuilds the plan every time slice
 * compiles once per run. It holds no backend tensors.
 */
export class PlanCache {
  /** The run's compiled potential, once made. */
  compiled: Potential | undefined;
}

/**
 * The run's plan: the layout from chain 0's layout key, and the potential
 * (compiled when the kernel has `jitCompile`, kept in `cache`). Call inside `ops.tidy`.
 */
export function makePlan(rt: Runtime, kernel: MCMCKernel, args: readonly unknown[], runKey: RandomKey, cache = new PlanCache()): RunPlan {
  const layoutKey = chainKeys(runKey, 0).layout;
  const layout = rt.withKey(layoutKey, () =>
    modelLayout(rt, algorithmOf(kernel), kernel.model, args, kernel.options.initStrategy, layoutKey),
  );
  if (!kernel.options.jitCompile) return { layout, potential: makePotential(rt, kernel.model, args, layout) };
  cache.compiled ??= compiledPotential(rt, kernel.model, args, layout, algorithmOf(kernel));
  return { layout, potential: cache.compiled };
}

/** `name:size` of each latent site: what must agree between threads. */
export function describeLayout(layout: LatentLayout): string {
  return layout.sites.map((s) => `${s.name}:${s.size}`).join(", ");
}

/**
 * One chain of a run. Its potential reads the current plan through
 * `plan()`, so a driver may rebuild the plan between iterations.
 */
export class PlannedChain {
  /** The chain's keys. */
  readonly keys: ChainKeys;
  private stepper: ChainStepper | undefined;

  /** Chain `c` of the run with key `runKey`. */
  constructor(
    private readonly rt: Runtime,
    private readonly kernel: MCMCKernel,
    private readonly args: readonly unknown[],
    private readonly opts: ChainOptions,
    private readonly transition: Transition,
    /** The chain's index. */
    readonly chain: number,
    runKey: RandomKey,
    private readonly plan: () => RunPlan,
  ) {
    this.keys = chainKeys(runKey, chain);
  }

  /** Iterations completed. */
  get iteration(): number {
    return this.stepper?.iteration ?? 0;
  }

  /** Whether every iteration has run. */
  get done(): boolean {
    return this.stepper?.done ?? false;
  }

  /** The number of iterations (warmup + sampling). */
  get total(): number {
    return this.opts.warmupSteps + this.opts.numSamples;
  }

  /** Finds the initial point and prepares the chain (runs the model: call inside `ops.tidy`). */
  start(): void {
    const { rt, kernel, opts } = this;
    this.stepper = rt.withKey(fold(this.keys.model, 0), () => {
      const plan = this.plan();
      const initial = findInitialPoint(
        rt,
        {
          algorithm: algorithmOf(kernel),
          model: kernel.model,
          args: this.args,
          layout: plan.layout,
          potential: plan.potential,
          strategy: kernel.options.initStrategy,
          initParams: opts.initParams,
          chain: this.chain,
          numChains: opts.numChains,
        },
        this.keys.init,
      );
      return new ChainStepper(
        {
          potential: (q, gradOut) => this.plan().potential.valueAndGrad(q, gradOut),
          initial,
          transition: this.transition,
          warmupSteps: opts.warmupSteps,
          numSamples: opts.numSamples,
          thinning: opts.thinning,
          stepSize: kernel.options.stepSize,
          adaptStepSize: kernel.options.adaptStepSize,
          adaptMassMatrix: kernel.options.adaptMassMatrix,
          dense: kernel.options.fullMass,
          targetAcceptProb: kernel.options.targetAcceptProb,
        },
        this.keys.sample,
      );
    });
  }

  /** Whether {@link PlannedChain.start} has run. */
  get started(): boolean {
    return this.stepper !== undefined;
  }

  /** Runs the next iteration (call inside `ops.tidy`). */
  step(): IterationInfo {
    const s = this.stepper!;
    return this.rt.withKey(fold(this.keys.model, s.iteration + 1), () => s.step()!);
  }

  /** The chain's draws and statistics, once done. */
  result(): ChainResult {
    return this.stepper!.result();
  }
}

/** The constrained draws of every site via one batched transform per site (call inside `ops.tidy`). */
export function constrainDraws(
  rt: Runtime,
  layout: LatentLayout,
  chains: readonly ChainResult[],
  opts: Pick<ChainOptions, "numSamples" | "thinning">,
): Record<string, SiteDraws> {
  const { ops } = rt;
  const numDraws = keptCount(opts.numSamples, opts.thinning);
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
    let values = new Float64Array(0);
    ops.tidy(() => {
      values = Float64Array.from(ops.toFlat(s.transform.forward(ops.fromFlat(u, [total, ...s.unconstrainedShape]))));
    });
    sites[s.name] = { shape: s.shape, numChains: chains.length, numDraws, values };
  }
  return sites;
}
