/**
 * `pyro.param`: a learnable parameter, read from the backend's param store.
 *
 * @module
 */
import type { Constraint } from "../distributions/constraint.js";
import { suspend, type Program } from "../program/program.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import type { ParamEffect } from "./effects.js";
import { checkCount, checkSiteName } from "./validate.js";

/** Options of {@link param}. */
export interface ParamOptions {
  /** The set the param's values lie in (default `constraints.real`). */
  readonly constraint?: Constraint;
  /** How many rightmost dims are one event; plates subsample the others. */
  readonly eventDim?: number;
}

/**
 * The param named `name`: its stored value, or `init` stored first when the
 * param store lacks it. Without `init` the param must exist already.
 *
 * @example
 * ```ts
 * const loc = yield* pyro.param("loc", ops.tensor(0));
 * const scale = yield* pyro.param("scale", 1, { constraint: dist.constraints.positive });
 * ```
 */
export function param(
  name: string,
  init?: TensorLike | (() => TensorLike),
  options: ParamOptions = {},
): Program<Tensor, never> {
  checkSiteName("pyro.param", name);
  if (options.eventDim !== undefined) checkCount("pyro.param", name, "eventDim", options.eventDim);
  const effect: ParamEffect = {
    type: "param",
    name,
    init,
    constraint: options.constraint,
    eventDim: options.eventDim,
  };
  return suspend(effect);
}
