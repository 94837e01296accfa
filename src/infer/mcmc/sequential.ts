/**
 * Running chains in this thread: all at once (`runChainsSync`, what
 * `mcmc.run` and worker threads use) or in time slices that yield to the
 * event loop (`runChainsAsync`, what `mcmc.runAsync` uses). Both run the same
 * iterations with the same keys (see `run-plan.ts`), so their draws are
 * bit-identical.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import type { RandomKey } from "../../tensor/random/index.js";
import { throwIfAborted, yieldToEventLoop } from "./abort.js";
import type { MCMCKernel } from "./api.js";
import type { ChainResult, IterationInfo } from "./chain.js";
import { makePlan, PlanCache, PlannedChain, type ChainOptions, type RunPlan } from "./run-plan.js";

/** What a driver reports and obeys. */
export interface DriverHooks {
  /** The run's name in abort errors ("infer.MCMC.run"). */
  readonly what: string;
  /** Stops the run between iterations. */
  readonly signal?: AbortSignal | undefined;
  /** Iterations completed before this driver started (abort errors count from there). */
  readonly completedBefore?: number;
  /** Chain `chain` starts `total` iterations. */
  onStart?(chain: number, total: number): void;
  /** Chain `chain` finished an iteration. */
  onIteration?(chain: number, info: IterationInfo): void;
  /** Chain `chain` finished. */
  onStop?(chain: number): void;
}

/** What a chain driver needs. */
export interface ChainJob {
  /** The backend runtime. */
  readonly rt: Runtime;
  /** The kernel. */
  readonly kernel: MCMCKernel;
  /** The model's arguments. */
  readonly args: readonly unknown[];
  /** The run options. */
  readonly opts: ChainOptions;
  /** The run key. */
  readonly runKey: RandomKey;
  /** Which chains to run (indices into the run's chains). */
  readonly chains: readonly number[];
  /** What outlives one plan (the compiled potential); give one to share it between driver calls of one run. */
  readonly cache?: PlanCache;
}

/** Runs `job.chains` one after the other in one `tidy` scope; returns their results in order. */
export function runChainsSync(job: ChainJob, hooks: DriverHooks): ChainResult[] {
  const { rt, kernel, args, opts, runKey } = job;
  const results: ChainResult[] = [];
  let completed = hooks.completedBefore ?? 0;
  rt.ops.tidy(() => {
    const plan = makePlan(rt, kernel, args, runKey, job.cache);
    const transition = kernel.transition();
    for (const c of job.chains) {
      throwIfAborted(hooks.signal, hooks.what, completed);
      const chain = new PlannedChain(rt, kernel, args, opts, transition, c, runKey, () => plan);
      chain.start();
      hooks.onStart?.(c, chain.total);
      try {
        while (!chain.done) {
          throwIfAborted(hooks.signal, hooks.what, completed);
          const info = chain.step();
          completed++;
          hooks.onIteration?.(c, info);
        }
      } finally {
        hooks.onStop?.(c);
      }
      results.push(chain.result());
    }
  });
  return results;
}

/** How long a synchronous slice of `runChainsAsync` may run before yielding, in milliseconds. */
export const SLICE_MS = 10;

/**
 * Runs `job.chains` one after the other, yielding to the event loop at
 * least every {@link SLICE_MS} ms (between iterations). Each slice runs in
 * its own `tidy` scope with a freshly built plan, so no backend tensor lives
 * across an `await`.
 */
export async function runChainsAsync(job: ChainJob, hooks: DriverHooks, sliceMs = SLICE_MS): Promise<ChainResult[]> {
  const { rt, kernel, args, opts, runKey } = job;
  const results: ChainResult[] = [];
  const transition = kernel.transition();
  const cache = job.cache ?? new PlanCache();
  let completed = hooks.completedBefore ?? 0;
  for (const c of job.chains) {
    let plan: RunPlan | undefined;
    const chain = new PlannedChain(rt, kernel, args, opts, transition, c, runKey, () => plan!);
    try {
      while (!chain.started || !chain.done) {
        throwIfAborted(hooks.signal, hooks.what, completed);
        rt.ops.tidy(() => {
          plan = makePlan(rt, kernel, args, runKey, cache);
          if (!chain.started) {
            chain.start();
            hooks.onStart?.(c, chain.total);
          }
          const until = performance.now() + sliceMs;
          while (!chain.done) {
            const info = chain.step();
            completed++;
            hooks.onIteration?.(c, info);
            if (performance.now() >= until || hooks.signal?.aborted === true) break;
          }
        });
        plan = undefined;
        await yieldToEventLoop();
      }
    } finally {
      if (chain.started) hooks.onStop?.(c);
    }
    results.push(chain.result());
  }
  return results;
}
