/**
 * The `optim` module of a standard backend.
 *
 * @module
 */
import { Adagrad, type AdagradArgs } from "./adagrad.js";
import { Adam, ClippedAdam, type AdamArgs, type ClippedAdamArgs } from "./adam.js";
import { AdamW, type AdamWArgs } from "./adamw.js";
import { PyroOptim, type OptimArgs, type OptimizerRule } from "./optimizer.js";
import { RMSProp, type RMSPropArgs } from "./rmsprop.js";
import {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  MultiStepLR,
  StepLR,
  type CosineAnnealingLRArgs,
  type ExponentialLRArgs,
  type LambdaLRArgs,
  type MultiStepLRArgs,
  type SchedulerFactory,
  type StepLRArgs,
} from "./schedules.js";
import { SGD, type SGDArgs } from "./sgd.js";

/** A factory of {@link PyroOptim} for one rule: `optim.Adam({ lr: 0.01 })`. */
export type OptimFactory<H> = (args?: OptimArgs<H>) => PyroOptim<H>;

/** The factory of {@link PyroOptim}s for `rule`. */
export function optimFactory<H>(rule: OptimizerRule<H>): OptimFactory<H> {
  return (args = {}) => new PyroOptim(rule, args);
}

/**
 * Optimizers and learning-rate schedulers (Pyro's `pyro.optim`).
 *
 * @example
 * ```ts
 * const adam = optim.Adam({ lr: 1e-3 });
 * const scheduler = optim.StepLR({ optimizer: optim.SGD, optimArgs: { lr: 0.1 }, stepSize: 10 });
 * ```
 */
export interface OptimModule {
  /** Adam (optionally AMSGrad). */
  readonly Adam: OptimFactory<AdamArgs>;
  /** Adam with decoupled weight decay. */
  readonly AdamW: OptimFactory<AdamWArgs>;
  /** Adam with gradient clipping and learning-rate decay. */
  readonly ClippedAdam: OptimFactory<ClippedAdamArgs>;
  /** SGD with momentum. */
  readonly SGD: OptimFactory<SGDArgs>;
  /** RMSProp (optionally centered, with momentum). */
  readonly RMSProp: OptimFactory<RMSPropArgs>;
  /** {@link OptimModule.RMSProp} under torch's and Pyro's spelling. */
  readonly RMSprop: OptimFactory<RMSPropArgs>;
  /** Adagrad. */
  readonly Adagrad: OptimFactory<AdagradArgs>;
  /** Learning rate × gamma every epoch. */
  readonly ExponentialLR: SchedulerFactory<ExponentialLRArgs>;
  /** Learning rate × gamma every `stepSize` epochs. */
  readonly StepLR: SchedulerFactory<StepLRArgs>;
  /** Learning rate × gamma at each milestone epoch. */
  readonly MultiStepLR: SchedulerFactory<MultiStepLRArgs>;
  /** Cosine annealing of the learning rate down to `etaMin`. */
  readonly CosineAnnealingLR: SchedulerFactory<CosineAnnealingLRArgs>;
  /** Learning rate × a function of the epoch. */
  readonly LambdaLR: SchedulerFactory<LambdaLRArgs>;
}

/** The optim module of the standard backends. */
export function makeOptimModule(): OptimModule {
  const rmsprop = optimFactory(RMSProp);
  return {
    Adam: optimFactory(Adam),
    AdamW: optimFactory(AdamW),
    ClippedAdam: optimFactory(ClippedAdam),
    SGD: optimFactory(SGD),
    RMSProp: rmsprop,
    RMSprop: rmsprop,
    Adagrad: optimFactory(Adagrad),
    ExponentialLR,
    StepLR,
    MultiStepLR,
    CosineAnnealingLR,
    LambdaLR,
  };
}
