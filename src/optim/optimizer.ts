/**
 * Optimizers as explicit state machines, and Pyro's stateful facade.
 *
 * The functional core of every optimizer is an {@link OptimizerRule}: `init`
 * makes a param's state, `update` maps (param, gradient, state) to the new
 * param and state. {@link PyroOptim} keeps one state per named param and is
 * what SVI uses, as `pyro.optim.Adam(...)` is in Pyro.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";

/** The state of one param: named tensors (moments) and numbers (step count). */
export interface ParamState {
  /** Tensors the rule keeps per param (e.g. Adam's moments). */
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** The number of updates applied so far. */
  readonly step: number;
}

/** The result of one update: the param's new value and state. */
export interface ParamUpdate {
  /** The updated param. */
  readonly param: Tensor;
  /** The param's new optimizer state. */
  readonly state: ParamState;
}

/** The functional core of an optimizer with hyperparameters `H`. */
export interface OptimizerRule<H> {
  /** The optimizer's name ("Adam"). */
  readonly name: string;
  /** The default hyperparameters. */
  readonly defaults: Readonly<H>;
  /** Checks hyperparameters; throws naming the bad one. */
  validate(h: Readonly<H>): void;
  /** The state of a new param. */
  init(ops: Ops, param: Tensor, h: Readonly<H>): ParamState;
  /** The updated param and state after one gradient step. */
  update(ops: Ops, param: Tensor, grad: Tensor, state: ParamState, h: Readonly<H>): ParamUpdate;
}

/** Hyperparameters for every param, or a function of the param name giving them (as in Pyro). */
export type OptimArgs<H> = Partial<H> | ((paramName: string) => Partial<H>);

/** The error thrown for an invalid optimizer hyperparameter. */
export class OptimizerArgumentError extends Error {
  /** Makes the error for `optimizer`'s `argument`. */
  constructor(
    /** The optimizer name. */
    readonly optimizer: string,
    /** The hyperparameter. */
    readonly argument: string,
    expected: string,
    got: unknown,
  ) {
    super(`optim.${optimizer}: ${argument} must be ${expected}, got ${String(got)}`);
    this.name = "OptimizerArgumentError";
  }
}

/** Throws unless `value` is a finite number ≥ `min` (or > `min` when `strict`). */
export function checkNumber(optimizer: string, argument: string, value: unknown, min: number, strict = false): void {
  const ok = typeof value === "number" && Number.isFinite(value) && (strict ? value > min : value >= min);
  if (!ok) throw new OptimizerArgumentError(optimizer, argument, `a finite number ${strict ? ">" : "≥"} ${min}`, value);
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(optimizer: string, argument: string, value: unknown): void {
  if (typeof value !== "boolean") throw new OptimizerArgumentError(optimizer, argument, "a boolean", value);
}

/** What SVI needs of an optimizer: new values for params given their gradients. */
export interface Optimizer {
  /** New values of the given params after one step; nothing is stored if it throws. */
  step(ops: Ops, params: ReadonlyMap<string, { value: Tensor; grad: Tensor }>): Map<string, Tensor>;
}

/**
 * A stateful optimizer over named params (Pyro's `PyroOptim`): SVI hands it
 * the params and gradients of a step and stores what it returns.
 *
 * @example
 * ```ts
 * const adam = optim.Adam({ lr: 0.01 });
 * const svi = new infer.SVI(model, guide, adam, new infer.TraceELBO());
 * ```
 */
export class PyroOptim<H = unknown> implements Optimizer {
  private readonly states = new Map<string, ParamState>();
  private readonly hypers = new Map<string, Readonly<H>>();

  /** Makes the facade of `rule` with hyperparameters `args`. */
  constructor(
    /** The functional core. */
    readonly rule: OptimizerRule<H>,
    /** The hyperparameters (or a function of the param name giving them). */
    readonly args: OptimArgs<H> = {},
  ) {
    if (typeof args !== "function") this.hyperparameters("");
  }

  /**
   * The hyperparameters of param `name` (the defaults merged with the given
   * args, validated on first use).
   */
  hyperparameters(name = ""): Readonly<H> {
    let h = this.hypers.get(name);
    if (h === undefined) {
      const given = typeof this.args === "function" ? this.args(name) : this.args;
      h = { ...this.rule.defaults, ...given };
      this.rule.validate(h);
      this.hypers.set(name, h);
    }
    return h;
  }

  /**
   * New values of the given params after one step. Nothing is stored until
   * every update is computed, so a failure leaves the optimizer unchanged.
   */
  step(ops: Ops, params: ReadonlyMap<string, { value: Tensor; grad: Tensor }>): Map<string, Tensor> {
    return this.stepWith(ops, params, (h) => h);
  }

  /**
   * {@link step} with each param's hyperparameters passed through `adjust`
   * first (a learning-rate scheduler scales `lr` this way); the adjusted
   * values are used for this step only.
   */
  stepWith(
    ops: Ops,
    params: ReadonlyMap<string, { value: Tensor; grad: Tensor }>,
    adjust: (h: Readonly<H>, paramName: string) => Readonly<H>,
  ): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const newStates = new Map<string, ParamState>();
    for (const [name, { value, grad }] of params) {
      const h = adjust(this.hyperparameters(name), name);
      const state = this.states.get(name) ?? this.rule.init(ops, value, h);
      const next = this.rule.update(ops, value, grad, state, h);
      out.set(name, next.param);
      newStates.set(name, next.state);
    }
    for (const [name, state] of newStates) {
      for (const t of Object.values(state.tensors)) ops.keep(t);
      const old = this.states.get(name);
      this.states.set(name, state);
      if (old !== undefined) ops.dispose(Object.values(old.tensors).filter((t) => !Object.values(state.tensors).includes(t)));
    }
    return out;
  }

  /** The state of param `name` (for inspection and checkpoints). */
  getState(name: string): ParamState | undefined {
    return this.states.get(name);
  }

  /** Forgets all per-param state. */
  reset(ops: Ops): void {
    for (const s of this.states.values()) ops.dispose(Object.values(s.tensors));
    this.states.clear();
  }
}
