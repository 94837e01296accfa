/**
 * Building handler combinators: wrap a model so that each of its runs
 * happens inside a handler.
 *
 * @module
 */
import type { Model } from "../program/gen.js";
import { scoped } from "../program/program.js";
import { describeValue } from "../primitives/validate.js";
import { handlerScope, type RunContext } from "./interpreter.js";
import type { Handler } from "./message.js";

/** The error thrown when a handler combinator is given something that is not a model. */
export class NotAModelError extends Error {
  /** Makes the error for `combinator` given `value`. */
  constructor(combinator: string, value: unknown) {
    super(`${combinator}: expected a model (a function returning a program, e.g. from pyro.model), got ${describeValue(value)}`);
    this.name = "NotAModelError";
  }
}

/** Throws unless `model` is a function. */
export function checkModel(combinator: string, model: unknown): void {
  if (typeof model !== "function") throw new NotAModelError(combinator, model);
}

/**
 * `model` with every run inside the handler that `make` returns (a fresh
 * handler per run).
 */
export function wrap<Args extends readonly unknown[], R, S>(
  combinator: string,
  model: Model<Args, R, S>,
  make: (ctx: RunContext) => Handler,
): Model<Args, R, S> {
  checkModel(combinator, model);
  const scope = handlerScope(make);
  return (...args: Args) => scoped(scope, () => model(...args));
}
