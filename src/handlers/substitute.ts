/**
 * `substitute`: fixes the values of param and sample sites without observing them.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { Ops } from "../tensor/ops.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import { valueFor } from "./condition.js";
import type { Handler, Message } from "./message.js";
import type { Trace } from "./trace-record.js";
import { wrap } from "./wrap.js";

/** Options of {@link substitute}: fixed values, or a function choosing them. */
export interface SubstituteOptions {
  /** Values by site name (param or sample sites). */
  readonly data?: Trace | Readonly<Record<string, TensorLike>>;
  /** Computes a site's value, or `undefined` to leave it alone. */
  readonly substituteFn?: (msg: Message) => Tensor | undefined;
}

/** Sets the value of the sites the options cover. */
export class SubstituteHandler implements Handler {
  /** Makes the handler with values converted by `ops`. */
  constructor(
    private readonly ops: Ops,
    private readonly options: SubstituteOptions,
  ) {}

  /** Sets the substituted value of a param or sample site. */
  process(msg: Message): void {
    if (msg.type !== "param" && msg.type !== "sample") return;
    const { data, substituteFn } = this.options;
    const v = substituteFn !== undefined ? substituteFn(msg) : data !== undefined ? valueFor(data, msg.name) : undefined;
    if (v === undefined) return;
    msg.value = this.ops.tensor(v);
  }
}

/**
 * `model` with the given sites fixed to the given values (not observed: they
 * still count as latent sites).
 *
 * @example
 * ```ts
 * const fixed = handlers.substitute(model, { data: { loc: ops.tensor(3) } });
 * ```
 */
export function substitute<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: SubstituteOptions,
): Model<Args, R, S>;
/** Data-last `substitute`, for `pipe(model, handlers.substitute(options))`. */
export function substitute(
  options: SubstituteOptions,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function substitute(first?: unknown, second?: unknown): unknown {
  if (typeof first !== "function") return (model: AnyModel) => substituteModel(model, first as SubstituteOptions);
  return substituteModel(first as AnyModel, second as SubstituteOptions);
}

function substituteModel<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: SubstituteOptions): Model<Args, R, S> {
  return wrap("handlers.substitute", model, (ctx) => new SubstituteHandler(ctx.runtime.ops, options));
}
