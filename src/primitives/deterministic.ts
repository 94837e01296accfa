/**
 * `pyro.deterministic`, `pyro.factor` and `pyro.subsample`: the derived primitives.
 *
 * @module
 */
import { suspend, type Program } from "../program/program.js";
import type { Site } from "../program/sites.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import type { DeterministicEffect, FactorEffect, SubsampleEffect } from "./effects.js";
import { checkCount, checkSiteName } from "./validate.js";

/**
 * Records `value` in the trace as site `name` (an observed `Delta` site), so
 * that `Predictive` and traces report it.
 *
 * @example
 * ```ts
 * const mu = yield* pyro.deterministic("mu", ops.add(a, ops.mul(b, x)));
 * ```
 */
export function deterministic<N extends string>(
  name: N,
  value: TensorLike,
  options: { readonly eventDim?: number } = {},
): Program<Tensor, Site<N, Tensor>> {
  checkSiteName("pyro.deterministic", name);
  const eventDim = checkCount("pyro.deterministic", name, "eventDim", options.eventDim ?? 0);
  const effect: DeterministicEffect = { type: "deterministic", name, value, eventDim };
  return suspend(effect);
}

/**
 * Adds `logFactor` to the model's log joint (an observed `Unit` site).
 *
 * @example
 * ```ts
 * yield* pyro.factor("prior_penalty", ops.neg(ops.square(x)));
 * ```
 */
export function factor(
  name: string,
  logFactor: TensorLike,
  options: { readonly hasRsample?: boolean } = {},
): Program<void, never> {
  checkSiteName("pyro.factor", name);
  const effect: FactorEffect = { type: "factor", name, logFactor, hasRsample: options.hasRsample };
  return suspend(effect);
}

/**
 * `data` indexed by the subsample indices of the enclosing plates: the part
 * of a full data set that belongs to the current mini-batch.
 *
 * @example
 * ```ts
 * yield* pyro.plate("data", 10000, { subsampleSize: 100 }, function* () {
 *   const batch = yield* pyro.subsample(fullData, { eventDim: 0 });
 *   yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: batch });
 * });
 * ```
 */
export function subsample(data: Tensor, options: { readonly eventDim: number }): Program<Tensor, never> {
  const eventDim = checkCount("pyro.subsample", "subsample", "eventDim", options.eventDim);
  const effect: SubsampleEffect = { type: "subsample", name: "subsample", data, eventDim };
  return suspend(effect);
}
