/**
 * `SVI`: stochastic variational inference (Pyro's `infer.SVI`).
 *
 * Each `step` estimates the ELBO's gradient with respect to every param the
 * model and guide use (see `param-grads.ts`), lets the optimizer compute new
 * values, and stores them all at once — a step that fails (a NaN loss, a bad
 * gradient) leaves the param store and optimizer as they were.
 *
 * @module
 */
import { SVIRunOptionsC } from "../codecs/inference-options.js";
import { decodeOptions } from "../codecs/options.js";
import type { Runtime } from "../handlers/runtime.js";
import type { AnyModel } from "../program/gen.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { ELBO, ElboContext } from "./elbo/elbo.js";
import { checkFiniteGradients, checkFiniteUpdates, lossAndParamGrads } from "./param-grads.js";
import { describeValue } from "../primitives/validate.js";
import { throwIfAborted, yieldToEventLoop } from "./mcmc/abort.js";

/** Options of `svi.run` and `svi.runAsync`. */
export interface SVIRunOptions {
  /** The number of steps (an integer ≥ 1). */
  readonly numSteps: number;
  /** Stops the run between steps with `InferenceAbortedError`; the params keep the last completed step's values. */
  readonly signal?: AbortSignal;
  /** Called after each step with its index (from 0) and loss. */
  readonly onStep?: (step: number, loss: number) => void;
}

/** How long `runAsync` computes before yielding to the event loop, in milliseconds. */
const SLICE_MS = 10;

/** The error thrown when SVI is constructed with arguments of the wrong kind. */
export class SVIArgumentError extends Error {
  /** Makes the error for `argument`. */
  constructor(argument: string, expected: string, got: unknown) {
    super(`infer.SVI: ${argument} must be ${expected}, got ${describeValue(got)}`);
    this.name = "SVIArgumentError";
  }
}

/**
 * Stochastic variational inference of `model` with variational family `guide`.
 *
 * @example
 * ```ts
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
 * for (let i = 0; i < 1000; i++) svi.step(data);
 * const loc = pyro.getParam("loc");
 * ```
 */
export class SVI<Args extends readonly unknown[]> {
  private knownParams: string[] = [];

  /** Makes SVI on `runtime` (backends bind it; users call `new infer.SVI(model, guide, optim, loss)`). */
  constructor(
    private readonly runtime: Runtime,
    /** The model. */
    readonly model: AnyModel<Args>,
    /** The guide (variational distribution). */
    readonly guide: AnyModel<Args>,
    /** The optimizer. */
    readonly optim: Optimizer,
    /** The loss (an ELBO). */
    readonly loss: ELBO,
  ) {
    if (typeof model !== "function") throw new SVIArgumentError("model", "a model function", model);
    if (typeof guide !== "function") throw new SVIArgumentError("guide", "a model function", guide);
    if (typeof (optim as { step?: unknown })?.step !== "function") {
      throw new SVIArgumentError("optim", "an optimizer such as optim.Adam({ lr })", optim);
    }
    if (typeof (loss as { lossAndSurrogate?: unknown })?.lossAndSurrogate !== "function") {
      throw new SVIArgumentError("loss", "an ELBO such as new infer.TraceELBO()", loss);
    }
  }

  private context(run: ElboContext["run"], step?: unknown): ElboContext {
    return { ops: this.runtime.ops, run, validate: this.runtime.settings.validateArgs, step };
  }

  /** Takes one gradient step; returns the loss (−ELBO estimate) before the step. */
  step(...args: Args): number {
    return this.stepWithKey(this.runtime.nextKey(), args);
  }

  /** One step drawing its randomness from `key`. */
  private stepWithKey(key: ReturnType<Runtime["nextKey"]>, args: Args): number {
    const rt = this.runtime;
    const { ops } = rt;
    return ops.tidy(() => {
      const { loss, params } = lossAndParamGrads(
        rt,
        key,
        (run) => this.loss.lossAndSurrogate(this.context(run, key), this.model, this.guide, args),
        this.knownParams,
      );
      this.knownParams = [...params.keys()];
      if (params.size > 0) {
        checkFiniteGradients(rt, params);
        const updates = this.optim.step(ops, params);
        checkFiniteUpdates(rt, updates);
        rt.paramStore.setUnconstrained(updates);
      }
      return loss;
    });
  }

  /**
   * Takes `numSteps` steps and returns their losses. Options are validated
   * (`numSteps: 1.5` → `OptionsError: infer.SVI.run: option 'numSteps' must
   * be an integer ≥ 1, got number 1.5`); an aborted `signal` stops the run
   * between steps with `InferenceAbortedError`, the params keeping the last
   * completed step's values.
   *
   * @example
   * ```ts
   * const losses = svi.run({ numSteps: 1000 }, data);
   * ```
   */
  run(options: SVIRunOptions, ...args: Args): number[] {
    const o = decodeOptions("infer.SVI.run", SVIRunOptionsC, options) as SVIRunOptions;
    const losses: number[] = [];
    for (let i = 0; i < o.numSteps; i++) {
      throwIfAborted(o.signal, "infer.SVI.run", i);
      losses.push(this.step(...args));
      o.onStep?.(i, losses[i]!);
    }
    return losses;
  }

  /**
   * {@link SVI.run}, yielding to the event loop between steps (at least every
   * 10 ms), so timers, I/O and an `AbortSignal` can act during a long run.
   * The same losses and params as `run` for the same seed.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const losses = await svi.runAsync({ numSteps: 100_000, signal: controller.signal }, data);
   * ```
   */
  async runAsync(options: SVIRunOptions, ...args: Args): Promise<number[]> {
    const o = decodeOptions("infer.SVI.runAsync", SVIRunOptionsC, options) as SVIRunOptions;
    const losses: number[] = [];
    // Steps draw their keys from the runtime: take them all now, while any seed scope of the caller is active.
    const keys = Array.from({ length: o.numSteps }, () => this.runtime.nextKey());
    let until = performance.now() + SLICE_MS;
    for (let i = 0; i < o.numSteps; i++) {
      throwIfAborted(o.signal, "infer.SVI.runAsync", i);
      losses.push(this.stepWithKey(keys[i]!, args));
      o.onStep?.(i, losses[i]!);
      if (performance.now() >= until) {
        await yieldToEventLoop();
        until = performance.now() + SLICE_MS;
      }
    }
    return losses;
  }

  /** The loss (−ELBO estimate) at the current params, without a step. */
  evaluateLoss(...args: Args): number {
    const rt = this.runtime;
    return rt.ops.tidy(() =>
      this.loss.loss(this.context((p) => rt.run(p)), this.model, this.guide, args),
    );
  }
}
