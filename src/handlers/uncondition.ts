/**
 * `uncondition`: samples observed sites instead (Pyro's `poutine.uncondition`).
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { Handler, Message } from "./message.js";
import { isSubsampleSite } from "./subsample-dist.js";
import { wrap } from "./wrap.js";

/**
 * Turns each observed sample site into a latent one, keeping the observation
 * in `infer.obs` and marking `infer.wasObserved` (Pyro's `was_observed`).
 *
 * A plate's explicitly given subsample indices are recorded as an observed
 * site here, but Pyro records no site for them at all, so they are left alone.
 */
export class UnconditionHandler implements Handler {
  /** Clears the observation so the default behaviour draws a value. */
  process(msg: Message): void {
    if (msg.type !== "sample" || !msg.isObserved || isSubsampleSite(msg)) return;
    msg.infer = { ...msg.infer, wasObserved: true, obs: msg.value };
    msg.isObserved = false;
    msg.value = null;
    msg.done = false;
  }
}

/**
 * `model` with every observed sample site sampled from its distribution
 * instead (e.g. to draw fake data from a conditioned model, or for
 * `Predictive`). The observed value stays available as `infer.obs`.
 *
 * @example
 * ```ts
 * const generative = handlers.uncondition(handlers.condition(model, { obs: data }));
 * const fake = handlers.trace(generative).getTrace().get("obs")!.value;
 * ```
 */
export function uncondition<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>): Model<Args, R, S>;
/** Data-last `uncondition`, for `pipe(model, handlers.uncondition())`. */
export function uncondition(): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function uncondition(model?: unknown): unknown {
  if (model === undefined) return (m: AnyModel) => unconditionModel(m);
  return unconditionModel(model as AnyModel);
}

function unconditionModel<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>): Model<Args, R, S> {
  return wrap("handlers.uncondition", model, () => new UnconditionHandler());
}
