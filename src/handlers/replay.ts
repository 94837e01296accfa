/**
 * `replay`: reuses the values of a recorded trace at the sites it has.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { Handler, Message } from "./message.js";
import type { Trace } from "./trace-record.js";
import { wrap } from "./wrap.js";

/** The error thrown when a replayed site is observed in the replayed trace. */
export class ReplayError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The site name. */
    readonly site: string,
  ) {
    super(`replay: site '${site}' must be sampled (not observed and not a param) in the replayed trace`);
    this.name = "ReplayError";
  }
}

/** Sets each unobserved sample site in the trace to the trace's value. */
export class ReplayHandler implements Handler {
  /** Makes the handler replaying `trace`. */
  constructor(private readonly trace: Trace) {}

  /** Takes the recorded value and inference configuration. */
  process(msg: Message): void {
    if (msg.type !== "sample" || msg.isObserved) return;
    const recorded = this.trace.nodes.get(msg.name);
    if (recorded === undefined) return;
    if (recorded.type !== "sample" || recorded.isObserved) throw new ReplayError(msg.name);
    msg.done = true;
    msg.value = recorded.value;
    msg.infer = recorded.infer;
  }
}

/**
 * `model` with its sample sites set to the values in `trace` (typically a
 * guide's trace, as ELBOs do).
 *
 * @example
 * ```ts
 * const guideTrace = handlers.trace(guide).getTrace(data);
 * const modelTrace = handlers.trace(handlers.replay(model, { trace: guideTrace })).getTrace(data);
 * ```
 */
export function replay<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: { readonly trace: Trace },
): Model<Args, R, S>;
/** Data-last `replay`, for `pipe(model, handlers.replay(options))`. */
export function replay(
  options: { readonly trace: Trace },
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function replay(first?: unknown, second?: unknown): unknown {
  if (typeof first !== "function") return (model: AnyModel) => replayModel(model, first as { readonly trace: Trace });
  return replayModel(first as AnyModel, second as { readonly trace: Trace });
}

function replayModel<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: { readonly trace: Trace }): Model<Args, R, S> {
  return wrap("handlers.replay", model, () => new ReplayHandler(options.trace));
}
