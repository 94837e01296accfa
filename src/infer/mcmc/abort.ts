/**
 * Stopping long runs: {@link InferenceAbortedError}, what `mcmc.run`,
 * `mcmc.runAsync`, `svi.run` and `svi.runAsync` throw when their
 * `AbortSignal` fires, and the event-loop yield of the async runs.
 *
 * @module
 */

/**
 * The error a long run throws when its `AbortSignal` is aborted. Its `name`
 * is `"AbortError"` (as `fetch` and Node's APIs use), so generic abort
 * handling recognises it; `completed` says how far the run got. The run
 * leaves its state consistent: an MCMC keeps the previous run's samples, an
 * SVI run keeps the params of its last completed step.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1000);
 * try {
 *   await mcmc.runAsync(data); // MCMC made with { signal: controller.signal }
 * } catch (e) {
 *   if (e instanceof InferenceAbortedError) console.log(`stopped after ${e.completed} iterations`);
 * }
 * ```
 */
export class InferenceAbortedError extends Error {
  /** Makes the error for the run `what` ("infer.MCMC.run") after `completed` iterations. */
  constructor(
    /** The run that stopped ("infer.MCMC.run", "infer.SVI.runAsync"). */
    readonly what: string,
    /** Iterations (MCMC, over all chains) or steps (SVI) completed before the abort. */
    readonly completed: number,
    /** The signal's `reason`. */
    readonly reason: unknown,
  ) {
    super(`${what} was aborted after ${completed} completed ${what.includes("SVI") ? "steps" : "iterations"}${reasonText(reason)}`);
    this.name = "AbortError";
  }
}

function reasonText(reason: unknown): string {
  if (reason === undefined) return "";
  if (reason instanceof Error) return reason.name === "AbortError" ? "" : `: ${reason.message}`;
  return `: ${String(reason)}`;
}

/** Throws {@link InferenceAbortedError} if `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string, completed: number): void {
  if (signal?.aborted === true) throw new InferenceAbortedError(what, completed, signal.reason);
}

/** A promise that resolves after the event loop has run its due timers and I/O callbacks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
