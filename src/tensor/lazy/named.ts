/**
 * The named-dimension API of lazy terms (funsor's `to_funsor`,
 * `Variable`, `reduce`): naming positional axes, making them positional
 * again, index variables, free real-valued variables, and reductions over
 * named inputs.
 *
 * Named inputs broadcast by name in every op (`ops.add(f, g)` of `f` over
 * `{z}` and `g` over `{z, data}` is over `{z, data}`), so plates and
 * enumerated variables need no positional bookkeeping once named.
 *
 * @example
 * ```ts
 * const { ops, env } = makeLazyOps(ndarrayOps);
 * const logp = toNamed(env, ops.tensor([[0, -1], [-2, -3], [-1, 0]]), ["z", "data"]); // {z: 3, data: 2}
 * const marginal = reduceNamed(env, logp, "logsumexp", ["z"]);                      // {data: 2}
 * ```
 *
 * @module
 */
import { tag } from "./align.js";
import type { LazyEnv } from "./env.js";
import { apply, constant, lift } from "./node.js";
import { LazyTensorError, opTerm, type LazyTensor, type NamedDim } from "./tensor.js";
import type { Shape, TensorLike } from "../types.js";

/** A reduction usable over named inputs. */
export type NamedReduction = "sum" | "logsumexp" | "max" | "min" | "prod" | "mean" | "all" | "any";

function checkFresh(t: LazyTensor, names: readonly string[], op: string): void {
  const seen = new Set(t.inputs.map((d) => d.name));
  for (const n of names) {
    if (seen.has(n)) throw new LazyTensorError(op, `the name '${n}' is used twice in ${t}`);
    seen.add(n);
  }
}

/**
 * `x` with its positional axes named: axis `i` becomes the named input
 * `names[i]` (a `null` entry keeps it positional). Size-1 axes named are
 * named inputs of size 1.
 */
export function toNamed(env: LazyEnv, x: TensorLike<LazyTensor>, names: readonly (string | null)[]): LazyTensor {
  const t = lift(env, x);
  if (names.length !== t.shape.length) {
    throw new LazyTensorError("toNamed", `got ${names.length} names for ${t.shape.length} positional axes of ${t}`);
  }
  const named = names.flatMap((n, i) => (n === null ? [] : [i]));
  checkFresh(t, named.map((i) => names[i]!), "toNamed");
  if (named.length === 0) return t;
  const k = t.inputs.length;
  const rest = t.shape.map((_, i) => i).filter((i) => names[i] === null);
  const perm = [...t.inputs.map((_, i) => i), ...named.map((i) => i + k), ...rest.map((i) => i + k)];
  const moved = perm.every((p, i) => p === i) ? t : apply(env, "transpose", [t], [perm]);
  const inputs: NamedDim[] = [...t.inputs, ...named.map((i) => ({ name: names[i]!, size: t.shape[i]! }))];
  return tag(env, moved, inputs, rest.map((i) => t.shape[i]!));
}

/**
 * `x` with the named inputs `names` turned into leading positional axes, in
 * that order (its other named inputs stay named). A name `x` lacks becomes
 * an axis of size 1.
 */
export function toPositional(env: LazyEnv, x: TensorLike<LazyTensor>, names: readonly string[]): LazyTensor {
  const t = lift(env, x);
  const k = t.inputs.length;
  const keep = t.inputs.map((d, i) => [d, i] as const).filter(([d]) => !names.includes(d.name));
  const present = names.map((n) => t.inputs.findIndex((d) => d.name === n));
  const perm = [...keep.map(([, i]) => i), ...present.filter((i) => i >= 0), ...t.shape.map((_, i) => i + k)];
  const moved = perm.every((p, i) => p === i) ? t : apply(env, "transpose", [t], [perm]);
  const shape = [...names.map((n, i) => (present[i]! >= 0 ? t.inputs[present[i]!]!.size : 1)), ...t.shape];
  return tag(env, moved, keep.map(([d]) => d), shape);
}

/** The index variable of a named dimension: the values `0 … size − 1` along the named input `name`. */
export function indexVariable(env: LazyEnv, name: string, size: number): LazyTensor {
  if (!Number.isInteger(size) || size < 1) throw new LazyTensorError("indexVariable", `size must be an integer ≥ 1, got ${String(size)}`);
  return constant(env, env.base.arange(size), [{ name, size }]);
}

/**
 * A free real-valued variable of positional shape `shape`: terms built from
 * it stay lazy until `evaluate(env, t, { [name]: value })` binds it.
 */
export function variable(env: LazyEnv, name: string, shape: Shape = []): LazyTensor {
  const t = opTerm("var", [], [name], shape.slice(), [], undefined);
  env.recorder?.onUntraceable(`the free variable '${name}' was made inside a traced computation`);
  return t;
}

/** The names of the free variables of `t`. */
export function freeVariables(t: LazyTensor): Set<string> {
  const out = new Set<string>();
  const seen = new Set<LazyTensor>();
  const stack = [t];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.op === "var") out.add(n.attrs[0] as string);
    stack.push(...n.args);
  }
  return out;
}

/** `x` reduced by `op` over its named inputs `names` (all of them by default). */
export function reduceNamed(env: LazyEnv, x: TensorLike<LazyTensor>, op: NamedReduction, names?: readonly string[]): LazyTensor {
  const t = lift(env, x);
  const drop = names ?? t.inputs.map((d) => d.name);
  const axes = t.inputs.flatMap((d, i) => (drop.includes(d.name) ? [i] : []));
  if (axes.length === 0) return t;
  return apply(env, op, [t], [{ axis: axes, keepdims: false }], t.inputs.filter((d) => !drop.includes(d.name)));
}

