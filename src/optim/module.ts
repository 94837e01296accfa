/**
 * The `optim` module of a standard backend.
 *
 * @module
 */
import { Adam, ClippedAdam, type AdamArgs, type ClippedAdamArgs } from "./adam.js";
import { PyroOptim, type OptimArgs, type OptimizerRule } from "./optimizer.js";
import { SGD, type SGDArgs } from "./sgd.js";

/** A factory of {@link PyroOptim} for one rule: `optim.Adam({ lr: 0.01 })`. */
export type OptimFactory<H> = (args?: OptimArgs<H>) => PyroOptim<H>;

/** The factory of {@link PyroOptim}s for `rule`. */
export function optimFactory<H>(rule: OptimizerRule<H>): OptimFactory<H> {
  return (args = {}) => new PyroOptim(rule, args);
}

/**
 * Optimizers (Pyro's `pyro.optim`).
 *
 * @example
 * ```ts
 * const adam = optim.Adam({ lr: 1e-3 });
 * ```
 */
export interface OptimModule {
  /** Adam. */
  readonly Adam: OptimFactory<AdamArgs>;
  /** Adam with gradient clipping and learning-rate decay. */
  readonly ClippedAdam: OptimFactory<ClippedAdamArgs>;
  /** SGD with momentum. */
  readonly SGD: OptimFactory<SGDArgs>;
}

/** The optim module of the standard backends. */
export function makeOptimModule(): OptimModule {
  return { Adam: optimFactory(Adam), ClippedAdam: optimFactory(ClippedAdam), SGD: optimFactory(SGD) };
}
