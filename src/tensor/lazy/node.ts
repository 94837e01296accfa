/**
 * Making terms under the interpretation in force, and evaluating one
 * data-level op with the base ops.
 *
 * Every op node is *data level*: `op` is an {@link Ops} member applied to
 * the data of `args` (named inputs already aligned as leading axes) with the
 * static arguments `attrs`, exactly as the base ops would be called — so
 * evaluating a node is one base call, and the compiler can treat every node
 * as numpy semantics on static shapes.
 *
 * @module
 */
import type { Ops } from "../ops.js";
import type { Shape, Tensor, TensorLike } from "../types.js";
import { eager, type LazyEnv } from "./env.js";
import { inferDataShape } from "./shapes.js";
import { constTerm, LazyTensor, LazyTensorError, NO_INPUTS, opTerm, type NamedDim } from "./tensor.js";

type Backward = (dy: Tensor, y: Tensor, inputs: readonly Tensor[]) => readonly TensorLike[];
type AnyFn = (...a: unknown[]) => Tensor;

/** The base data of `x` (a known term's value, or `x` itself for numbers and arrays). */
export function baseValue(env: LazyEnv, x: TensorLike<LazyTensor>): TensorLike {
  if (!(x instanceof LazyTensor)) return x;
  const t = x.value === undefined ? evaluateNow(env, x) : x;
  if (t.value === undefined) throw new LazyTensorError("evaluate", `${x} has free variables and cannot be evaluated`);
  return t.value;
}

/** Hook set by `evaluate.ts` (breaks the import cycle node ↔ evaluate). */
let evaluateHook: ((env: LazyEnv, t: LazyTensor) => LazyTensor) | undefined;

/** @internal Registers the evaluator used to force lazy terms. */
export function setEvaluator(f: (env: LazyEnv, t: LazyTensor) => LazyTensor): void {
  evaluateHook = f;
}

function evaluateNow(env: LazyEnv, t: LazyTensor): LazyTensor {
  if (evaluateHook === undefined) throw new LazyTensorError("evaluate", "the evaluator is not loaded");
  return evaluateHook(env, t);
}

/**
 * A custom op's backward written against the lazy ops (as user code and
 * derived ops are) called by the base ops' autodiff with base tensors.
 */
function wrapBackward(env: LazyEnv, backward: Backward): Backward {
  return (dy, y, inputs) =>
    env.run(eager, () =>
      backward(constTerm(dy) as unknown as Tensor, constTerm(y) as unknown as Tensor, inputs.map((i) => constTerm(i) as unknown as Tensor))
        .map((g) => baseValue(env, g as TensorLike<LazyTensor>)),
    );
}

/** Calls `base[op]` on data `values` with static arguments `attrs` (the node's meaning). */
export function callBase(env: LazyEnv, op: string, values: readonly Tensor[], attrs: readonly unknown[]): Tensor {
  const base = env.base;
  if (op === "concat") return base.concat(values, attrs[0] as number);
  if (op === "custom") {
    return base.custom(values, attrs[0] as Parameters<Ops["custom"]>[1], wrapBackward(env, attrs[1] as Backward) as Parameters<Ops["custom"]>[2]);
  }
  const f = (base as unknown as Record<string, AnyFn>)[op];
  if (typeof f !== "function") throw new LazyTensorError(op, `the base ops (${base.name}) have no member ${op}`);
  if (attrs.length === 0) {
    // The common arities without spreading (the hot path of eager evaluation).
    if (values.length === 1) return f.call(base, values[0]);
    if (values.length === 2) return f.call(base, values[0], values[1]);
  } else if (attrs.length === 1 && values.length === 1) return f.call(base, values[0], attrs[0]);
  return f.call(base, ...values, ...attrs);
}

/**
 * A constant term of base data `value` (reported to the recorder when
 * tracing). `origin` `"flat"` marks data that came from a JavaScript array
 * (`fromFlat`) — where random draws enter a computation — as opposed to
 * literals, shapes and ranges.
 */
export function constant(env: LazyEnv, value: Tensor, inputs: readonly NamedDim[] = NO_INPUTS, origin?: "flat"): LazyTensor {
  const t = origin === undefined ? constTerm(value, inputs) : opTerm("const", [], [origin], value.shape.slice(inputs.length), inputs, value);
  env.recorder?.onNode(t);
  return t;
}

/** `x` as a term: itself, or a constant made from a number, boolean or nested array. */
export function lift(env: LazyEnv, x: TensorLike<LazyTensor>): LazyTensor {
  if (x instanceof LazyTensor) return x;
  return constant(env, env.base.tensor(x));
}

/**
 * The term of data-level `op` on `args`, under the interpretation in force:
 * a constant (eager), a node with a value (trace) or without (lazy, or when
 * an argument has a free variable). `inputs` are the result's named inputs
 * (its leading data axes).
 */
export function apply(
  env: LazyEnv,
  op: string,
  args: readonly LazyTensor[],
  attrs: readonly unknown[],
  inputs: readonly NamedDim[] = NO_INPUTS,
): LazyTensor {
  const interp = env.interpretation;
  let known = true;
  const values = new Array<Tensor>(args.length);
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) known = false;
    else values[i] = v;
  }
  if (interp.kind !== "lazy" && known) {
    const value = callBase(env, op, values, attrs);
    if (interp.kind !== "trace") return constTerm(value, inputs);
    const t = opTerm(op, args, attrs, value.shape.slice(inputs.length), inputs, value);
    interp.recorder.onNode(t);
    return t;
  }
  if (op === "custom") {
    if (!known) throw new LazyTensorError("custom", "a custom kernel needs known inputs (substitute the free variables first)");
    // A kernel's output shape is only known by running it: custom ops are always evaluated.
    const value = env.run(eager, () => callBase(env, op, values, attrs));
    return constTerm(value, inputs);
  }
  const shape: Shape = inferDataShape(env, op, args, attrs).slice(inputs.length);
  return opTerm(op, args, attrs, shape, inputs, undefined);
}

/**
 * A graph input: a term with `x`'s value (and autodiff history, in the base
 * ops) that a traced graph treats as a leaf named `name`, to be supplied
 * anew on each run of the compiled graph.
 */
export function inputTerm(env: LazyEnv, name: string, x: LazyTensor): LazyTensor {
  const t = opTerm("input", [], [name], x.shape, x.inputs, x.value);
  env.recorder?.onNode(t);
  return t;
}
