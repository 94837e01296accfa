/**
 * `condition`: turns sample sites into observations of given values.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { OnlyKnownSites } from "../program/sites.js";
import type { Ops } from "../tensor/ops.js";
import type { TensorLike } from "../tensor/types.js";
import type { Handler, Message } from "./message.js";
import { Trace } from "./trace-record.js";
import { wrap } from "./wrap.js";

/** Values for some of a model's sites: each a tensor, number or nested array. */
export type SiteValues<S> = { readonly [K in keyof S]?: TensorLike };

/** The value `data` gives site `name`, if any. */
export function valueFor(data: Trace | Readonly<Record<string, TensorLike>>, name: string): TensorLike | undefined {
  if (data instanceof Trace) return data.nodes.get(name)?.value ?? undefined;
  return Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
}

/** Observes the sites `data` has a value for. */
export class ConditionHandler implements Handler {
  /** Makes the handler observing `data`'s values, converted with `ops`. */
  constructor(
    private readonly ops: Ops,
    private readonly data: Trace | Readonly<Record<string, TensorLike>>,
  ) {}

  /** Sets the value and marks the site observed. */
  process(msg: Message): void {
    if (msg.type !== "sample") return;
    const v = valueFor(this.data, msg.name);
    if (v === undefined) return;
    msg.value = this.ops.tensor(v);
    msg.isObserved = true;
  }
}

/**
 * `model` with the sites in `data` observed at the given values. Site names
 * and value types are checked at compile time against the model's sites.
 *
 * @example
 * ```ts
 * const conditioned = handlers.condition(model, { obs: data });
 * ```
 */
export function condition<Args extends readonly unknown[], R, S, const D>(
  model: Model<Args, R, S>,
  // D is unconstrained and checked here, not in its bound: a bound mentioning
  // S breaks inference when the model argument is itself a generic call.
  data: D & SiteValues<S> & OnlyKnownSites<D, S>,
): Model<Args, R, S>;
/** `condition` on a recorded trace's values. */
export function condition<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, data: Trace): Model<Args, R, S>;
/** Data-last `condition`, for `pipe(model, handlers.condition(data))`. */
export function condition<const D extends Readonly<Record<string, TensorLike>>>(
  data: D,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S> & OnlyKnownSites<D, S>) => Model<Args, R, S>;
export function condition(modelOrData: unknown, data?: unknown): unknown {
  if (typeof modelOrData !== "function") {
    return (model: AnyModel) => conditionModel(model, modelOrData as Record<string, TensorLike>);
  }
  return conditionModel(modelOrData as AnyModel, data as Record<string, TensorLike>);
}

function conditionModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  data: Trace | Readonly<Record<string, TensorLike>>,
): Model<Args, R, S> {
  return wrap("handlers.condition", model, (ctx) => new ConditionHandler(ctx.runtime.ops, data));
}
