/**
 * The elementwise and reduction members of the lazy ops.
 *
 * Elementwise ops broadcast by name over named inputs and by position over
 * shapes (`align.ts`). Reductions act on positional axes only — a term's
 * named inputs are reduced with the named-term API (`reduce`), never by an
 * `axis` — so a reduction over "all axes" keeps the named inputs.
 *
 * @module
 */
import { normalizeAxis } from "../shape.js";
import { reduceOptions, type ReduceArg, type TensorLike } from "../types.js";
import type { CumsumOptions, Ops } from "../ops.js";
import { broadcastOp } from "./align.js";
import type { LazyEnv } from "./env.js";
import { apply, lift } from "./node.js";
import type { LazyTensor } from "./tensor.js";

type X = TensorLike<LazyTensor>;
type Unary = (x: X) => LazyTensor;
type Binary = (a: X, b: X) => LazyTensor;
type Reduce = (x: X, arg?: ReduceArg) => LazyTensor;

/** The unary elementwise members, by name. */
export const UNARY_OPS = [
  "neg", "exp", "log", "log1p", "expm1", "sqrt", "square", "reciprocal", "abs", "sign", "floor", "ceil", "round",
  "sigmoid", "softplus", "tanh", "sin", "cos", "tan", "atan", "lgamma", "digamma", "erf", "erfinv",
  "isFinite", "isNaN", "logicalNot", "toFloat", "stopGradient",
] as const;

/** The binary elementwise members, by name. */
export const BINARY_OPS = [
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr",
] as const;

/** The reductions taking a {@link ReduceArg}, by name. */
export const REDUCE_OPS = ["sum", "mean", "prod", "max", "min", "logsumexp", "all", "any"] as const;

/** The data-level reduce options of reducing positional `arg` of `t`: sorted data axes and `keepdims`. */
export function dataReduceArg(t: LazyTensor, arg: ReduceArg): { axis: number[]; keepdims: boolean } {
  const { axis, keepdims = false } = reduceOptions(arg);
  const r = t.shape.length;
  const k = t.inputs.length;
  const list = axis === undefined ? t.shape.map((_, i) => i) : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, r));
  return { axis: [...new Set(list)].sort((a, b) => a - b).map((a) => a + k), keepdims };
}

/** The elementwise and reduction members of the lazy ops of `env`. */
export function mathOps(env: LazyEnv): Partial<Ops<LazyTensor>> {
  const out: Record<string, unknown> = {};
  for (const op of UNARY_OPS) out[op] = ((x: X) => broadcastOp(env, op, [lift(env, x)])) satisfies Unary;
  for (const op of BINARY_OPS) out[op] = ((a: X, b: X) => broadcastOp(env, op, [lift(env, a), lift(env, b)])) satisfies Binary;
  for (const op of REDUCE_OPS) {
    out[op] = ((x: X, arg?: ReduceArg) => {
      const t = lift(env, x);
      const data = dataReduceArg(t, arg);
      return apply(env, op, [t], [data], t.inputs);
    }) satisfies Reduce;
  }
  const m: Partial<Ops<LazyTensor>> = out as Partial<Ops<LazyTensor>>;
  return {
    ...m,
    clamp: (x: X, lo: number, hi: number) => broadcastOp(env, "clamp", [lift(env, x)], [lo, hi]),
    where: (c: X, a: X, b: X) => broadcastOp(env, "where", [lift(env, c), lift(env, a), lift(env, b)]),
    argmax: (x: X, axis = -1) => {
      const t = lift(env, x);
      return apply(env, "argmax", [t], [normalizeAxis(axis, t.shape.length) + t.inputs.length], t.inputs);
    },
    cumsum: (x: X, axis = -1, options: CumsumOptions = {}) => {
      const t = lift(env, x);
      return apply(env, "cumsum", [t], [normalizeAxis(axis, t.shape.length) + t.inputs.length, options], t.inputs);
    },
    elementwise: (x: X, kernel: Parameters<Ops["elementwise"]>[1]) => {
      const t = lift(env, x);
      return apply(env, "elementwise", [t], [kernel], t.inputs);
    },
  };
}
