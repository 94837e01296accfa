/**
 * The shape, indexing, linear-algebra and custom-kernel members of the lazy
 * ops. Each acts on positional axes; named inputs ride along as leading data
 * axes (axis arguments are shifted past them), are aligned by name where two
 * operands meet, or — for ops without such a rule — are handled one
 * configuration at a time ({@link perConfig}).
 *
 * `squeeze`, `unsqueeze` and `stack` are lowered to `reshape` and `concat`,
 * so the data-level graph has fewer kinds of node.
 *
 * @module
 */
import { normalizeAxis, sizeOf } from "../shape.js";
import type { Ops, TriangularSolveOptions } from "../ops.js";
import type { Shape, TensorLike } from "../types.js";
import { alignData, anyNamed, broadcastOp, materialize, perConfig, unionInputs } from "./align.js";
import type { LazyEnv } from "./env.js";
import { apply, lift } from "./node.js";
import { resolveReshape } from "./shapes.js";
import { LazyTensorError, type LazyTensor } from "./tensor.js";

type X = TensorLike<LazyTensor>;

/** The shape, indexing and linear-algebra members of the lazy ops of `env`. */
export function shapeOps(env: LazyEnv): Partial<Ops<LazyTensor>> {
  const lead = (t: LazyTensor): number[] => t.inputs.map((d) => d.size);
  const reshape = (x: X, shape: Shape): LazyTensor => {
    const t = lift(env, x);
    const target = resolveReshape(sizeOf(t.shape), shape);
    if (sizeOf(target) !== sizeOf(t.shape) || target.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new LazyTensorError("reshape", `cannot reshape [${t.shape.join(", ")}] to [${shape.join(", ")}]`);
    }
    return apply(env, "reshape", [t], [[...lead(t), ...target]], t.inputs);
  };
  const expand = (x: X, shape: Shape): LazyTensor => {
    const t = lift(env, x);
    if (t.inputs.length === 0) return apply(env, "expand", [t], [shape.slice()]);
    const padded = reshape(t, [...new Array<number>(shape.length - t.shape.length).fill(1), ...t.shape]);
    return apply(env, "expand", [padded], [[...lead(t), ...shape]], t.inputs);
  };
  const squeeze = (x: X, axis?: number | readonly number[]): LazyTensor => {
    const t = lift(env, x);
    const r = t.shape.length;
    const drop = axis === undefined
      ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, r));
    for (const a of drop) if (t.shape[a] !== 1) throw new LazyTensorError("squeeze", `axis ${a} of [${t.shape.join(", ")}] has size ${t.shape[a]}, not 1`);
    return reshape(t, t.shape.filter((_, i) => !drop.includes(i)));
  };
  const unsqueeze = (x: X, axis: number): LazyTensor => {
    const t = lift(env, x);
    const a = normalizeAxis(axis, t.shape.length + 1);
    return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
  };
  const concat = (xs: readonly X[], axis = 0): LazyTensor => {
    const ts = xs.map((x) => lift(env, x));
    if (ts.length === 0) throw new LazyTensorError("concat", "needs at least one tensor");
    const a = normalizeAxis(axis, ts[0]!.shape.length);
    if (!anyNamed(ts)) return apply(env, "concat", ts, [a]);
    const union = unionInputs(ts);
    const rank = ts[0]!.shape.length;
    return apply(env, "concat", ts.map((t) => materialize(env, t, union, rank)), [a + union.length], union);
  };
  const slice = (x: X, begin: readonly number[], size: readonly number[]): LazyTensor => {
    const t = lift(env, x);
    const b = t.shape.map((_, i) => begin[i] ?? 0);
    const s = t.shape.map((d, i) => (size[i] === undefined || size[i] === -1 ? d - b[i]! : size[i]!));
    return apply(env, "slice", [t], [[...t.inputs.map(() => 0), ...b], [...lead(t), ...s]], t.inputs);
  };
  const take = (x: X, idx: X, axis: number): LazyTensor => {
    const t = lift(env, x);
    const i = lift(env, idx);
    if (t.shape.length === 0) throw new LazyTensorError("take", "argument x must have at least one axis, got a scalar");
    const a = normalizeAxis(axis, t.shape.length);
    if (i.inputs.length === 0) return apply(env, "take", [t, i], [a + t.inputs.length], t.inputs);
    return perConfig(env, [t, i], ([pt, pi]) => apply(env, "take", [pt!, pi!], [a]));
  };
  const pairwise = (op: string, a: LazyTensor, b: LazyTensor, attrs: readonly unknown[], minRank: number): LazyTensor => {
    if (!anyNamed([a, b])) return apply(env, op, [a, b], attrs);
    if (a.shape.length >= minRank && b.shape.length >= minRank) {
      const union = unionInputs([a, b]);
      const rank = Math.max(a.shape.length, b.shape.length);
      return apply(env, op, [alignData(env, a, union, rank), alignData(env, b, union, rank)], attrs, union);
    }
    return perConfig(env, [a, b], ([pa, pb]) => apply(env, op, [pa!, pb!], attrs));
  };
  const batched = (op: string, x: X, minRank: number, attrs: readonly unknown[] = []): LazyTensor => {
    const t = lift(env, x);
    if (t.inputs.length === 0 || t.shape.length >= minRank) return apply(env, op, [t], attrs, t.inputs);
    return perConfig(env, [t], ([p]) => apply(env, op, [p!], attrs));
  };

  return {
    reshape,
    expand,
    squeeze,
    unsqueeze,
    transpose: (x: X, perm?: readonly number[]) => {
      const t = lift(env, x);
      const r = t.shape.length;
      const p = (perm ?? t.shape.map((_, i) => r - 1 - i)).map((a) => normalizeAxis(a, r));
      const k = t.inputs.length;
      return apply(env, "transpose", [t], [[...t.inputs.map((_, i) => i), ...p.map((a) => a + k)]], t.inputs);
    },
    concat,
    stack: (xs: readonly X[], axis = 0) => {
      const ts = xs.map((x) => lift(env, x));
      if (ts.length === 0) throw new LazyTensorError("stack", "needs at least one tensor");
      const a = normalizeAxis(axis, ts[0]!.shape.length + 1);
      return concat(ts.map((t) => unsqueeze(t, a)), a);
    },
    unstack: (x: X, axis = 0) => {
      const t = lift(env, x);
      const a = normalizeAxis(axis, t.shape.length);
      return Array.from({ length: t.shape[a]! }, (_, i) => {
        const begin = t.shape.map((_, k) => (k === a ? i : 0));
        const size = t.shape.map((d, k) => (k === a ? 1 : d));
        return squeeze(slice(t, begin, size), a);
      });
    },
    slice,
    pad: (x: X, paddings: readonly (readonly [number, number])[], value = 0) => {
      const t = lift(env, x);
      return apply(env, "pad", [t], [[...t.inputs.map((): [number, number] => [0, 0]), ...paddings], value], t.inputs);
    },
    take,
    index: (x: X, idx: X) => take(x, idx, 0),
    takeAlongAxis: (x: X, idx: X, axis: number) => {
      const t = lift(env, x);
      const i = lift(env, idx);
      const a = normalizeAxis(axis, t.shape.length);
      if (!anyNamed([t, i])) return apply(env, "takeAlongAxis", [t, i], [a]);
      const union = unionInputs([t, i]);
      return apply(env, "takeAlongAxis", [alignData(env, t, union, t.shape.length), alignData(env, i, union, t.shape.length)], [a + union.length], union);
    },
    oneHot: (idx: X, depth: number) => {
      const t = lift(env, idx);
      return apply(env, "oneHot", [t], [depth], t.inputs);
    },
    matmul: (a: X, b: X) => pairwise("matmul", lift(env, a), lift(env, b), [], 2),
    cholesky: (a: X) => batched("cholesky", a, 2),
    triangularSolve: (a: X, b: X, options?: TriangularSolveOptions) =>
      pairwise("triangularSolve", lift(env, a), lift(env, b), options === undefined ? [] : [options], 2),
    diagonal: (x: X) => batched("diagonal", x, 2),
    diagEmbed: (x: X) => batched("diagEmbed", x, 1),
    custom: (inputs, forward, backward) => {
      const ts = inputs.map((x) => lift(env, x));
      return perConfig(env, ts, (plain) => apply(env, "custom", plain, [forward, backward]));
    },
  };
}

/** Elementwise `op` on named terms (re-exported for the named-term API). */
export { broadcastOp };
