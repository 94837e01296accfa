/**
 * Gradients of a loss with respect to the params a model and guide use.
 *
 * Params are created lazily by `pyro.param(name, init)` inside the programs,
 * so which params a loss depends on is only known after running it. This
 * module runs the loss with the param store's unconstrained tensors as the
 * differentiated inputs (a handler supplies `transformTo(constraint)(u)` at
 * each param site) and records every param name the run touches; when a run
 * meets params it did not differentiate (the first step), it runs again with
 * them included, with the same random key, so the result is as if they had
 * been inputs from the start.
 *
 * @module
 */
import { handlerScope } from "../handlers/interpreter.js";
import type { Handler, Message } from "../handlers/message.js";
import type { Runtime } from "../handlers/runtime.js";
import type { Runner } from "../handlers/trace.js";
import { scoped } from "../program/program.js";
import type { RandomKey } from "../tensor/random/key.js";
import type { Tensor } from "../tensor/types.js";

/** The error thrown when a param's gradient is NaN or infinite. */
export class NonFiniteGradientError extends Error {
  /** Makes the error for param `param`. */
  constructor(
    /** The param name. */
    readonly param: string,
  ) {
    super(`the gradient of param '${param}' is not finite (NaN or infinite); the param store was not changed`);
    this.name = "NonFiniteGradientError";
  }
}

/** Supplies differentiated param values and records the params a run reads. */
class ParamTracker implements Handler {
  readonly seen = new Set<string>();
  constructor(
    private readonly runtime: Runtime,
    private readonly inputs: ReadonlyMap<string, Tensor>,
  ) {}

  process(msg: Message): void {
    if (msg.type !== "param") return;
    this.seen.add(msg.name);
    if (msg.value !== null) return;
    const u = this.inputs.get(msg.name);
    if (u !== undefined) msg.value = this.runtime.paramStore.constrainedFrom(msg.name, u);
  }
}

/** The result of {@link lossAndParamGrads}. */
export interface LossAndGrads {
  /** The loss value. */
  readonly loss: number;
  /** Each used param's unconstrained value and gradient. */
  readonly params: Map<string, { value: Tensor; grad: Tensor }>;
}

/**
 * The loss and the gradients of `surrogate` with respect to the unconstrained
 * values of the params it uses. `lossFn` gets a runner that runs programs
 * with param tracking; it returns the loss number and the surrogate tensor.
 */
export function lossAndParamGrads(
  runtime: Runtime,
  key: RandomKey,
  lossFn: (run: Runner) => { loss: number; surrogate: Tensor },
  knownNames: readonly string[] = [],
): LossAndGrads {
  const { ops, paramStore } = runtime;
  let names = knownNames.filter((n) => paramStore.has(n));
  for (let attempt = 0; ; attempt++) {
    const us = names.map((n) => paramStore.getUnconstrained(n));
    let tracker: ParamTracker | undefined;
    let loss = NaN;
    const evaluate = (xs: readonly Tensor[]): Tensor => {
      const t = new ParamTracker(runtime, new Map(names.map((n, i) => [n, xs[i]!])));
      tracker = t;
      const run: Runner = (p) => runtime.run(scoped(handlerScope(() => t), () => p));
      const r = runtime.withKey(key, () => lossFn(run));
      loss = r.loss;
      return r.surrogate;
    };
    const grads = names.length === 0 ? (evaluate([]), []) : ops.valueAndGrad(evaluate, us).grads;
    const seen = tracker!.seen;
    const missing = [...seen].filter((n) => !names.includes(n));
    if (missing.length === 0 || attempt >= 2) {
      const params = new Map<string, { value: Tensor; grad: Tensor }>();
      names.forEach((n, i) => {
        if (seen.has(n)) params.set(n, { value: us[i]!, grad: grads[i]! });
      });
      return { loss, params };
    }
    names = [...names.filter((n) => seen.has(n)), ...missing];
  }
}

/** The error thrown when an optimizer step would store a NaN or infinite param value. */
export class NonFiniteParamError extends Error {
  /** Makes the error for param `param`. */
  constructor(
    /** The param name. */
    readonly param: string,
  ) {
    super(`the optimizer's update of param '${param}' is not finite (NaN or infinite); the param store was not changed`);
    this.name = "NonFiniteParamError";
  }
}

/** Whether every element of `x` is finite (read once as flat data). */
function allFinite(runtime: Runtime, x: Tensor): boolean {
  const data = runtime.ops.toFlat(x);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}

/** Throws {@link NonFiniteParamError} for the first updated value that is not finite. */
export function checkFiniteUpdates(runtime: Runtime, updates: ReadonlyMap<string, Tensor>): void {
  for (const [name, value] of updates) {
    if (!allFinite(runtime, value)) throw new NonFiniteParamError(name);
  }
}

/** Throws {@link NonFiniteGradientError} for the first param whose gradient is not finite. */
export function checkFiniteGradients(runtime: Runtime, params: ReadonlyMap<string, { grad: Tensor }>): void {
  for (const [name, { grad }] of params) {
    if (!allFinite(runtime, grad)) throw new NonFiniteGradientError(name);
  }
}
