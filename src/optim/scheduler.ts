/**
 * Learning-rate schedulers (Pyro's `PyroLRScheduler` over torch's
 * `lr_scheduler`s), written functionally: a schedule is a pure function of
 * the epoch count and the base learning rate; the scheduler is the stateful
 * facade holding the epoch count and the wrapped {@link PyroOptim}.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import type { OptimFactory } from "./module.js";
import { OptimizerArgumentError, PyroOptim, type OptimArgs, type Optimizer, type OptimizerRule, type ParamState } from "./optimizer.js";

/** Hyperparameters with a learning rate: what a scheduler can schedule. */
export interface LRHyper {
  /** The (base) learning rate. */
  readonly lr: number;
}

/**
 * A learning-rate schedule: the learning rate at `epoch` (0, 1, 2, ...) of a
 * param whose base learning rate is `baseLr`. Most schedules are
 * `baseLr · f(epoch)`; cosine annealing towards `etaMin` is not a pure
 * multiplier, hence the base rate as an argument.
 *
 * @example
 * ```ts
 * const halving: LRSchedule = (epoch, baseLr) => baseLr * 0.5 ** epoch;
 * ```
 */
export type LRSchedule = (epoch: number, baseLr: number) => number;

/** The optimizer a scheduler wraps: Pyro's `{"optimizer": ..., "optim_args": ...}`. */
export interface SchedulerOptimArgs<H extends LRHyper> {
  /** The optimizer factory (`optim.Adam`) or rule whose learning rate is scheduled. */
  readonly optimizer: OptimFactory<H> | OptimizerRule<H>;
  /** Its hyperparameters (or a function of the param name giving them); `lr` is the base rate. */
  readonly optimArgs?: OptimArgs<H>;
}

/** Makes the wrapped optimizer of scheduler `name`, checking what the user passed. */
function wrappedOptim<H extends LRHyper>(name: string, args: SchedulerOptimArgs<H>): PyroOptim<H> {
  if (typeof args !== "object" || args === null) {
    throw new OptimizerArgumentError(name, "args", "an object { optimizer, optimArgs, ... }", args);
  }
  const { optimizer, optimArgs = {} } = args;
  if (typeof optimizer === "function") {
    const made: unknown = optimizer(optimArgs);
    if (made instanceof PyroOptim) return made as PyroOptim<H>;
  } else if (typeof optimizer === "object" && optimizer !== null && typeof optimizer.update === "function") {
    return new PyroOptim(optimizer, optimArgs);
  }
  throw new OptimizerArgumentError(name, "optimizer", "an optimizer factory such as optim.Adam", optimizer);
}

/**
 * An optimizer whose learning rate follows a schedule over epochs (Pyro's
 * `PyroLRScheduler`). Give it to SVI as the optimizer and call `step()` (no
 * arguments) once per epoch, as in Pyro; SVI calls `step(ops, params)`.
 *
 * Unlike Pyro, which makes one torch scheduler per param when the param first
 * appears (so a late param starts its schedule at epoch 0), the epoch count
 * here is shared: every param uses the learning rate of the current epoch.
 *
 * @example
 * ```ts
 * const scheduler = optim.ExponentialLR({ optimizer: optim.Adam, optimArgs: { lr: 0.01 }, gamma: 0.9 });
 * const svi = new infer.SVI(model, guide, scheduler, new infer.TraceELBO());
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const batch of batches) svi.step(batch);
 *   scheduler.step();
 * }
 * ```
 */
export class PyroLRScheduler<H extends LRHyper> implements Optimizer {
  private epochs = 0;
  /** The wrapped optimizer (its `lr` is the base learning rate). */
  readonly optim: PyroOptim<H>;

  /** Makes scheduler `name` of the optimizer in `args` following `schedule`. */
  constructor(
    /** The scheduler's name ("ExponentialLR"), for messages. */
    readonly name: string,
    args: SchedulerOptimArgs<H>,
    /** The schedule. */
    readonly schedule: LRSchedule,
  ) {
    this.optim = wrappedOptim(name, args);
  }

  /** The number of `step()` calls so far (torch's `last_epoch`). */
  get epoch(): number {
    return this.epochs;
  }

  /** Advances the schedule by one epoch (Pyro's `scheduler.step()`). */
  step(): void;
  /** New values of the given params after one optimizer step at the current epoch's learning rate. */
  step(ops: Ops, params: ReadonlyMap<string, { value: Tensor; grad: Tensor }>): Map<string, Tensor>;
  step(ops?: Ops, params?: ReadonlyMap<string, { value: Tensor; grad: Tensor }>): Map<string, Tensor> | undefined {
    if (ops === undefined && params === undefined) {
      this.epochs += 1;
      return undefined;
    }
    if (ops === undefined || params === undefined) {
      throw new OptimizerArgumentError(this.name, "step", "called as step() or step(ops, params)", "one argument");
    }
    const epoch = this.epochs;
    return this.optim.stepWith(ops, params, (h) => ({ ...h, lr: this.lrAt(epoch, h.lr) }));
  }

  /** The learning rate of param `paramName` at the current epoch (torch's `get_last_lr`). */
  getLastLr(paramName = ""): number {
    return this.lrAt(this.epochs, this.optim.hyperparameters(paramName).lr);
  }

  private lrAt(epoch: number, baseLr: number): number {
    const lr = this.schedule(epoch, baseLr);
    if (!(typeof lr === "number" && Number.isFinite(lr) && lr >= 0)) {
      throw new OptimizerArgumentError(this.name, "schedule", `a finite learning rate ≥ 0 at epoch ${epoch}`, lr);
    }
    return lr;
  }

  /** The optimizer state of param `name`. */
  getState(name: string): ParamState | undefined {
    return this.optim.getState(name);
  }

  /** Forgets all per-param optimizer state (the epoch count is kept). */
  reset(ops: Ops): void {
    this.optim.reset(ops);
  }
}
