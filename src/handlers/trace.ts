/**
 * `trace`: records every site of a run in a {@link Trace}.
 *
 * @module
 */
import type { Model } from "../program/gen.js";
import { scoped, type Program } from "../program/program.js";
import type { Sites } from "../program/sites.js";
import { handlerScope } from "./interpreter.js";
import type { Handler, Message } from "./message.js";
import { Trace } from "./trace-record.js";
import { checkModel } from "./wrap.js";

/** Something that runs programs: a backend's `pyro.run`. */
export type Runner = <A>(program: Program<A, Sites>) => A;

/** Records each site, as a copy of its message, after its value is known. */
export class TraceHandler implements Handler {
  /** The trace being recorded. */
  readonly trace = new Trace();

  /** Adds the finished site to the trace. */
  postprocess(msg: Message): void {
    if (msg.type === "subsample") return;
    // A shallow copy suffices: handlers replace `condIndepStack` and `infer`, they never mutate them.
    this.trace.addNode({ ...msg });
  }
}

/** Runs `program` with `run` under a fresh trace handler; returns the trace (with the result as `returnValue`). */
export function runTraced(run: Runner, program: Program<unknown, Sites>, args: readonly unknown[] = []): Trace {
  const handler = new TraceHandler();
  const value = run(scoped(handlerScope(() => handler), () => program));
  handler.trace.args = args;
  handler.trace.returnValue = value;
  return handler.trace;
}

/** A traced model: still a model, plus `getTrace`. */
export interface TracedModel<Args extends readonly unknown[], R, S> extends Model<Args, R, S> {
  /** Runs the model once and returns the trace of that run. */
  getTrace(...args: Args): Trace;
}

/** The `trace` combinator of a backend whose runner is `run`. */
export function traceWith(run: Runner) {
  /**
   * `model` with `getTrace(...args)`.
   *
   * @example
   * ```ts
   * const tr = handlers.trace(model).getTrace(data);
   * tr.nodes.get("x")?.value;
   * ```
   */
  return function trace<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>): TracedModel<Args, R, S> {
    checkModel("handlers.trace", model);
    const traced = ((...args: Args) =>
      scoped(handlerScope(() => new TraceHandler()), () => model(...args))) as TracedModel<Args, R, S>;
    traced.getTrace = (...args: Args): Trace => runTraced(run, model(...args), args);
    return traced;
  };
}
