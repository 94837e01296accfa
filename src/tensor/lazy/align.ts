/**
 * Named-input alignment: how an op on terms with named inputs becomes a
 * data-level op.
 *
 * Named inputs broadcast by name: the result of an elementwise op has the
 * union of its arguments' inputs (in order of first appearance). Each
 * argument's data is laid out for that union — its input axes permuted into
 * the union's order, size 1 where it lacks a name, and size-1 positional
 * axes padded so the positional shapes right-align — and then the ordinary
 * (numpy-broadcasting) data op applies. Ops with no alignment rule are
 * applied once per configuration of the named inputs and stacked
 * ({@link perConfig}): exact for any op, at the cost of one call per
 * configuration.
 *
 * @module
 */
import type { Shape } from "../types.js";
import type { LazyEnv } from "./env.js";
import { apply } from "./node.js";
import { dataShape, LazyTensorError, NO_INPUTS, type LazyTensor, type NamedDim } from "./tensor.js";

/** The union of the named inputs of `ts`, in order of first appearance; throws if two disagree on a size. */
export function unionInputs(ts: readonly LazyTensor[]): NamedDim[] {
  const out: NamedDim[] = [];
  for (const t of ts) {
    for (const d of t.inputs) {
      const had = out.find((u) => u.name === d.name);
      if (had === undefined) out.push(d);
      else if (had.size !== d.size) {
        throw new LazyTensorError("align", `named input '${d.name}' has size ${had.size} in one term and ${d.size} in another`);
      }
    }
  }
  return out;
}

/** Whether any of `ts` has named inputs. */
export function anyNamed(ts: readonly LazyTensor[]): boolean {
  return ts.some((t) => t.inputs.length > 0);
}

/** Re-tags the data of `t` (data shape `[...sizes of inputs, ...shape]`) with named `inputs`. */
export function tag(env: LazyEnv, t: LazyTensor, inputs: readonly NamedDim[], shape: Shape): LazyTensor {
  return apply(env, "reshape", [t], [[...inputs.map((d) => d.size), ...shape]], inputs);
}

/**
 * The data of `t` laid out against the named inputs `union` (a superset of
 * its own) and a positional rank `rank` ≥ its own: `[union sizes (1 where
 * `t` lacks the name)..., 1 × (rank − rank of t), ...t.shape]`. A term
 * without named inputs is returned as is (numpy right-aligns it already).
 */
export function alignData(env: LazyEnv, t: LazyTensor, union: readonly NamedDim[], rank: number): LazyTensor {
  if (t.inputs.length === 0) return t;
  const order = union.filter((u) => t.inputs.some((d) => d.name === u.name)).map((u) => t.inputs.findIndex((d) => d.name === u.name));
  let x = t;
  if (order.some((p, k) => p !== k)) {
    const perm = [...order, ...t.shape.map((_, i) => t.inputs.length + i)];
    x = apply(env, "transpose", [x], [perm]);
  }
  const target = [
    ...union.map((u) => (t.inputs.some((d) => d.name === u.name) ? u.size : 1)),
    ...new Array<number>(rank - t.shape.length).fill(1),
    ...t.shape,
  ];
  const now = x === t ? dataShape(t) : x.shape;
  if (now.length === target.length && now.every((d, i) => d === target[i])) return x;
  return apply(env, "reshape", [x], [target]);
}

/**
 * `op` applied elementwise (with broadcasting) to `args`: by name over their
 * named inputs, by position over their shapes.
 */
export function broadcastOp(env: LazyEnv, op: string, args: readonly LazyTensor[], attrs: readonly unknown[] = []): LazyTensor {
  if (!anyNamed(args)) return apply(env, op, args, attrs);
  const union = unionInputs(args);
  const rank = Math.max(...args.map((a) => a.shape.length));
  return apply(env, op, args.map((a) => alignData(env, a, union, rank)), attrs, union);
}

/** The data of `t` with every named input present at its full size (for ops that need equal shapes). */
export function materialize(env: LazyEnv, t: LazyTensor, union: readonly NamedDim[], rank: number): LazyTensor {
  const aligned = alignData(env, t, union, rank);
  const full = [...union.map((u) => u.size), ...new Array<number>(rank - t.shape.length).fill(1), ...t.shape];
  const now = dataShape(aligned);
  if (now.length === full.length && now.every((d, i) => d === full[i])) return aligned;
  return apply(env, "expand", [aligned], [full]);
}

/** Row-major multi-index of `flat` in `sizes`. */
function unravel(flat: number, sizes: readonly number[]): number[] {
  const idx = new Array<number>(sizes.length);
  for (let i = sizes.length - 1; i >= 0; i--) {
    idx[i] = flat % sizes[i]!;
    flat = Math.floor(flat / sizes[i]!);
  }
  return idx;
}

/** `t` at one configuration of its named inputs (`at[name]`): a term with no named inputs. */
export function selectConfig(env: LazyEnv, t: LazyTensor, at: ReadonlyMap<string, number>): LazyTensor {
  if (t.inputs.length === 0) return t;
  const begin = [...t.inputs.map((d) => at.get(d.name)!), ...t.shape.map(() => 0)];
  const size = [...t.inputs.map(() => 1), ...t.shape.map(() => -1)];
  const sliced = apply(env, "slice", [t], [begin, size]);
  return apply(env, "reshape", [sliced], [t.shape]);
}

/**
 * `f` (an op on terms without named inputs) applied to `args` once per
 * configuration of their named inputs; the results are stacked and tagged
 * with the union of the inputs.
 */
export function perConfig(env: LazyEnv, args: readonly LazyTensor[], f: (plain: readonly LazyTensor[]) => LazyTensor): LazyTensor {
  const union = unionInputs(args);
  if (union.length === 0) return f(args);
  const sizes = union.map((d) => d.size);
  const total = sizes.reduce((a, b) => a * b, 1);
  const parts: LazyTensor[] = [];
  let shape: Shape | undefined;
  for (let c = 0; c < total; c++) {
    const idx = unravel(c, sizes);
    const at = new Map(union.map((d, i) => [d.name, idx[i]!]));
    const r = f(args.map((a) => selectConfig(env, a, at)));
    if (r.inputs.length > 0) throw new LazyTensorError("perConfig", "an op on plain terms returned named inputs");
    shape ??= r.shape;
    parts.push(apply(env, "reshape", [r], [[1, ...r.shape]]));
  }
  const stacked = parts.length === 1 ? parts[0]! : apply(env, "concat", parts, [0]);
  return apply(env, "reshape", [stacked], [[...sizes, ...shape!]], union);
}

export { NO_INPUTS };
