/**
 * torch's learning-rate schedules in closed form, and the scheduler
 * factories of the `optim` module (`optim.ExponentialLR({ optimizer, optimArgs, gamma })`).
 *
 * @module
 */
import { checkNumber, OptimizerArgumentError } from "./optimizer.js";
import { PyroLRScheduler, type LRHyper, type LRSchedule, type SchedulerOptimArgs } from "./scheduler.js";

/** `baseLr · γ^epoch` (torch's `ExponentialLR`). @example `exponentialSchedule(0.9)(2, 1) // 0.81` */
export function exponentialSchedule(gamma: number): LRSchedule {
  return (epoch, baseLr) => baseLr * gamma ** epoch;
}

/** `baseLr · γ^⌊epoch / stepSize⌋` (torch's `StepLR`). @example `stepSchedule(2, 0.1)(3, 1) // 0.1` */
export function stepSchedule(stepSize: number, gamma: number): LRSchedule {
  return (epoch, baseLr) => baseLr * gamma ** Math.floor(epoch / stepSize);
}

/**
 * `baseLr · γ^(number of milestones ≤ epoch)` (torch's `MultiStepLR`; a
 * repeated milestone counts twice).
 *
 * @example `multiStepSchedule([2, 5], 0.1)(5, 1) // 0.01`
 */
export function multiStepSchedule(milestones: readonly number[], gamma: number): LRSchedule {
  const sorted = [...milestones].sort((a, b) => a - b);
  return (epoch, baseLr) => baseLr * gamma ** sorted.filter((m) => m <= epoch).length;
}

/**
 * `etaMin + (baseLr - etaMin)(1 + cos(π·epoch/tMax))/2` (torch's
 * `CosineAnnealingLR` in closed form; past `tMax` it rises again, period 2·tMax).
 *
 * @example `cosineAnnealingSchedule(4, 0)(2, 1) // 0.5`
 */
export function cosineAnnealingSchedule(tMax: number, etaMin: number): LRSchedule {
  return (epoch, baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2;
}

/** `baseLr · lrLambda(epoch)` (torch's `LambdaLR`). @example `lambdaSchedule((e) => 1 / (1 + e))(3, 1) // 0.25` */
export function lambdaSchedule(lrLambda: (epoch: number) => number): LRSchedule {
  return (epoch, baseLr) => {
    const f = lrLambda(epoch);
    if (!(typeof f === "number" && Number.isFinite(f) && f >= 0)) {
      throw new OptimizerArgumentError("LambdaLR", "lrLambda", `a function returning a finite number ≥ 0 (epoch ${epoch})`, f);
    }
    return baseLr * f;
  };
}

/** Arguments of {@link ExponentialLR}. */
export interface ExponentialLRArgs {
  /** The factor applied every epoch. */
  readonly gamma: number;
}

/** Arguments of {@link StepLR}. */
export interface StepLRArgs {
  /** The number of epochs between decays (a positive integer). */
  readonly stepSize: number;
  /** The factor applied every `stepSize` epochs (default 0.1). */
  readonly gamma?: number;
}

/** Arguments of {@link MultiStepLR}. */
export interface MultiStepLRArgs {
  /** The epochs at which the rate is multiplied by `gamma` (integers ≥ 0). */
  readonly milestones: readonly number[];
  /** The factor applied at each milestone (default 0.1). */
  readonly gamma?: number;
}

/** Arguments of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLRArgs {
  /** The number of epochs from the base rate down to `etaMin` (a positive integer). */
  readonly tMax: number;
  /** The minimum learning rate (default 0). */
  readonly etaMin?: number;
}

/** Arguments of {@link LambdaLR}. */
export interface LambdaLRArgs {
  /** The multiplier of the base rate at each epoch. */
  readonly lrLambda: (epoch: number) => number;
}

/** A scheduler factory of the `optim` module, generic in the wrapped optimizer's hyperparameters. */
export type SchedulerFactory<A> = <H extends LRHyper>(args: SchedulerOptimArgs<H> & A) => PyroLRScheduler<H>;

/** Throws unless `value` is an integer ≥ `min`. */
function checkInteger(scheduler: string, argument: string, value: unknown, min: number): void {
  if (!(typeof value === "number" && Number.isInteger(value) && value >= min)) {
    throw new OptimizerArgumentError(scheduler, argument, `an integer ≥ ${min}`, value);
  }
}

/** The args object, or an error naming the scheduler. */
function argsOf<A>(scheduler: string, args: A): A {
  if (typeof args !== "object" || args === null) {
    throw new OptimizerArgumentError(scheduler, "args", "an object { optimizer, optimArgs, ... }", args);
  }
  return args;
}

/**
 * Multiplies the learning rate by `gamma` every epoch (Pyro's `ExponentialLR`).
 *
 * @example
 * ```ts
 * const scheduler = optim.ExponentialLR({ optimizer: optim.Adam, optimArgs: { lr: 0.01 }, gamma: 0.95 });
 * ```
 */
export const ExponentialLR: SchedulerFactory<ExponentialLRArgs> = (args) => {
  const { gamma } = argsOf("ExponentialLR", args);
  checkNumber("ExponentialLR", "gamma", gamma, 0, true);
  return new PyroLRScheduler("ExponentialLR", args, exponentialSchedule(gamma));
};

/**
 * Multiplies the learning rate by `gamma` every `stepSize` epochs (Pyro's `StepLR`).
 *
 * @example
 * ```ts
 * const scheduler = optim.StepLR({ optimizer: optim.SGD, optimArgs: { lr: 0.1 }, stepSize: 30, gamma: 0.1 });
 * ```
 */
export const StepLR: SchedulerFactory<StepLRArgs> = (args) => {
  const { stepSize, gamma = 0.1 } = argsOf("StepLR", args);
  checkInteger("StepLR", "stepSize", stepSize, 1);
  checkNumber("StepLR", "gamma", gamma, 0, true);
  return new PyroLRScheduler("StepLR", args, stepSchedule(stepSize, gamma));
};

/**
 * Multiplies the learning rate by `gamma` at each milestone epoch (Pyro's `MultiStepLR`).
 *
 * @example
 * ```ts
 * const scheduler = optim.MultiStepLR({ optimizer: optim.SGD, optimArgs: { lr: 0.1 }, milestones: [30, 80] });
 * ```
 */
export const MultiStepLR: SchedulerFactory<MultiStepLRArgs> = (args) => {
  const { milestones, gamma = 0.1 } = argsOf("MultiStepLR", args);
  if (!Array.isArray(milestones)) {
    throw new OptimizerArgumentError("MultiStepLR", "milestones", "an array of integers ≥ 0", milestones);
  }
  milestones.forEach((m, i) => checkInteger("MultiStepLR", `milestones[${i}]`, m, 0));
  checkNumber("MultiStepLR", "gamma", gamma, 0, true);
  return new PyroLRScheduler("MultiStepLR", args, multiStepSchedule(milestones, gamma));
};

/**
 * Cosine annealing from the base rate to `etaMin` over `tMax` epochs (Pyro's `CosineAnnealingLR`).
 *
 * @example
 * ```ts
 * const scheduler = optim.CosineAnnealingLR({ optimizer: optim.Adam, optimArgs: { lr: 0.01 }, tMax: 100 });
 * ```
 */
export const CosineAnnealingLR: SchedulerFactory<CosineAnnealingLRArgs> = (args) => {
  const { tMax, etaMin = 0 } = argsOf("CosineAnnealingLR", args);
  checkInteger("CosineAnnealingLR", "tMax", tMax, 1);
  checkNumber("CosineAnnealingLR", "etaMin", etaMin, 0);
  return new PyroLRScheduler("CosineAnnealingLR", args, cosineAnnealingSchedule(tMax, etaMin));
};

/**
 * The base rate times `lrLambda(epoch)` (Pyro's `LambdaLR`).
 *
 * @example
 * ```ts
 * const scheduler = optim.LambdaLR({ optimizer: optim.Adam, optimArgs: { lr: 0.01 }, lrLambda: (e) => 0.95 ** e });
 * ```
 */
export const LambdaLR: SchedulerFactory<LambdaLRArgs> = (args) => {
  const { lrLambda } = argsOf("LambdaLR", args);
  if (typeof lrLambda !== "function") {
    throw new OptimizerArgumentError("LambdaLR", "lrLambda", "a function of the epoch", lrLambda);
  }
  return new PyroLRScheduler("LambdaLR", args, lambdaSchedule(lrLambda));
};
