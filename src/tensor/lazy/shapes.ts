/**
 * Shape inference for lazy nodes: the data shape a data-level op would
 * produce, without evaluating it (numpy rules, as the base ops apply them).
 *
 * Ops without a rule here are inferred by running the base op on zeros of
 * the arguments' shapes (exact, and cheap for the rare ops that need it).
 *
 * @module
 */
import { broadcastShapes, normalizeAxis } from "../shape.js";
import { reduceOptions, type ReduceArg, type Shape, type Tensor } from "../types.js";
import type { LazyEnv } from "./env.js";
import { callBase } from "./node.js";
import { dataShape, LazyTensorError, type LazyTensor } from "./tensor.js";

const SAME = new Set([
  "neg", "exp", "log", "log1p", "expm1", "sqrt", "square", "reciprocal", "abs", "sign", "floor", "ceil", "round",
  "sigmoid", "softplus", "tanh", "sin", "cos", "tan", "atan", "lgamma", "digamma", "erf", "erfinv", "clamp",
  "isFinite", "isNaN", "logicalNot", "toFloat", "stopGradient", "elementwise", "cumsum", "cholesky",
]);
const BROADCAST = new Set([
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "where",
]);
const REDUCE = new Set(["sum", "mean", "prod", "max", "min", "logsumexp", "all", "any"]);

/** The shape of reducing `shape` with `arg` (numpy `axis`/`keepdims`). */
export function reducedShape(shape: Shape, arg: ReduceArg): number[] {
  const { axis, keepdims = false } = reduceOptions(arg);
  const r = shape.length;
  const axes = axis === undefined ? shape.map((_, i) => i) : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, r));
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** `shape` with one `-1` entry resolved against `size` elements. */
export function resolveReshape(size: number, shape: Shape): number[] {
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  return shape.map((d) => (d === -1 ? size / known : d));
}

function matmulShape(a: Shape, b: Shape): number[] {
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  let out = [...batch, a2[a2.length - 2]!, b2[b2.length - 1]!];
  if (a.length === 1) out = [...out.slice(0, -2), out[out.length - 1]!];
  if (b.length === 1) out = out.slice(0, -1);
  return out;
}

/** The data shape `op(args, attrs)` produces. */
export function inferDataShape(env: LazyEnv, op: string, args: readonly LazyTensor[], attrs: readonly unknown[]): number[] {
  const s = args.map(dataShape);
  if (SAME.has(op)) return s[0]!;
  if (BROADCAST.has(op)) return broadcastShapes(...s);
  if (REDUCE.has(op)) return reducedShape(s[0]!, attrs[0] as ReduceArg);
  const x = s[0]!;
  switch (op) {
    case "reshape":
      return resolveReshape(x.reduce((a, b) => a * b, 1), attrs[0] as Shape);
    case "expand":
      return (attrs[0] as Shape).slice();
    case "transpose": {
      const perm = (attrs[0] as readonly number[] | undefined) ?? x.map((_, i) => x.length - 1 - i);
      return perm.map((p) => x[p]!);
    }
    case "argmax": {
      const axis = normalizeAxis((attrs[0] as number | undefined) ?? -1, x.length);
      return x.filter((_, i) => i !== axis);
    }
    case "concat": {
      const axis = normalizeAxis((attrs[0] as number | undefined) ?? 0, x.length);
      const out = x.slice();
      out[axis] = s.reduce((a, sh) => a + sh[axis]!, 0);
      return out;
    }
    case "slice": {
      const begin = attrs[0] as readonly number[];
      const size = attrs[1] as readonly number[];
      return x.map((d, i) => (size[i] === -1 || size[i] === undefined ? d - (begin[i] ?? 0) : size[i]!));
    }
    case "pad":
      return x.map((d, i) => d + (attrs[0] as readonly (readonly [number, number])[])[i]![0] + (attrs[0] as readonly (readonly [number, number])[])[i]![1]);
    case "take": {
      const axis = normalizeAxis(attrs[0] as number, x.length);
      return [...x.slice(0, axis), ...s[1]!, ...x.slice(axis + 1)];
    }
    case "index":
      return [...s[1]!, ...x.slice(1)];
    case "takeAlongAxis": {
      const axis = normalizeAxis(attrs[0] as number, x.length);
      const off = (sh: Shape) => sh.map((d, k) => (k === axis ? 1 : d));
      const out = broadcastShapes(off(x), off(s[1]!));
      out[axis] = s[1]![axis]!;
      return out;
    }
    case "oneHot":
      return [...x, attrs[0] as number];
    case "matmul":
      return matmulShape(x, s[1]!);
    default:
      return zerosShape(env, op, s, attrs);
  }
}

/** The shape of `op` run by the base ops on zeros of `shapes`. */
function zerosShape(env: LazyEnv, op: string, shapes: readonly Shape[], attrs: readonly unknown[]): number[] {
  const zeros: Tensor[] = shapes.map((sh) => env.base.zeros(sh));
  try {
    return callBase(env, op, zeros, attrs).shape.slice();
  } catch (e) {
    throw new LazyTensorError(op, `cannot infer the shape of a lazy ${op} node (${e instanceof Error ? e.message : String(e)}); evaluate its arguments first`);
  }
}
