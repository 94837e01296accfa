/**
 * tfjs shape ops: `reshape`, `expand`, `squeeze`, `unsqueeze`, `transpose`,
 * `concat`, `stack`, `unstack`, `slice`, `pad`. Axes may be negative.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { formatShape, normalizeAxis } from "../shape.js";
import type { Shape } from "../types.js";
import { checkShape, release, toTf, type Arg } from "./convert.js";
import { TensorOpError } from "../errors.js";

/** `axis` normalised against `rank`, or an error naming the op. */
function axisOf(axis: number, rank: number, op: string): number {
  try {
    return normalizeAxis(axis, rank);
  } catch (e) {
    throw new TensorOpError(`ops.${op}: ${(e as Error).message}`);
  }
}

/** Runs `f` on `x` as a float32 tensor, releasing a converted temporary. */
function on<R>(x: Arg, op: string, f: (t: tf.Tensor) => R): R {
  const t = toTf(x, op, "x");
  try {
    return f(t);
  } finally {
    release(t, x);
  }
}

/** Runs `f` on every element of `xs` as float32 tensors, releasing converted temporaries. */
function onAll<R>(xs: readonly Arg[], op: string, f: (ts: tf.Tensor[]) => R): R {
  if (!Array.isArray(xs) || xs.length === 0) throw new TensorOpError(`ops.${op}: argument xs must be a non-empty array of tensors`);
  const ts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < xs.length; i++) ts.push(toTf(xs[i], op, `xs[${i}]`));
    return f(ts);
  } finally {
    ts.forEach((t, i) => release(t, xs[i]));
  }
}

/** The target of `expand`: `shape` with -1 entries taken from `x`'s shape (right-aligned). */
function expandTarget(xShape: Shape, shape: Shape): number[] {
  const offset = shape.length - xShape.length;
  const target = shape.map((d, i) => (d === -1 && i >= offset ? xShape[i - offset]! : d));
  const ok =
    offset >= 0 &&
    target.every((d) => Number.isInteger(d) && d >= 0) &&
    xShape.every((d, i) => d === 1 || d === target[offset + i]);
  if (!ok) throw new TensorOpError(`ops.expand: cannot broadcast shape ${formatShape(xShape)} to ${formatShape(shape)}`);
  return target;
}

/** The shape members of the tfjs core. */
export type ShapeOps = Pick<
  CoreOps<tf.Tensor>,
  "reshape" | "expand" | "squeeze" | "unsqueeze" | "transpose" | "concat" | "stack" | "unstack" | "slice" | "pad"
>;

/** The shape members of the tfjs core. */
export const shapeOps: ShapeOps = {
  reshape: (x, shape) => on(x, "reshape", (t) => tf.reshape(t, shape as number[])),

  expand: (x, shape) =>
    on(x, "expand", (t) => {
      const target = expandTarget(t.shape, shape);
      return tf.broadcastTo(t, target);
    }),

  squeeze: (x, axis) =>
    on(x, "squeeze", (t) => {
      if (axis === undefined) return tf.squeeze(t);
      const axes = (typeof axis === "number" ? [axis] : axis).map((a) => axisOf(a, t.rank, "squeeze"));
      for (const a of axes) {
        if (t.shape[a] !== 1) throw new TensorOpError(`ops.squeeze: axis ${a} of shape ${formatShape(t.shape)} is not of size 1`);
      }
      return tf.squeeze(t, axes);
    }),

  unsqueeze: (x, axis) => on(x, "unsqueeze", (t) => tf.expandDims(t, axisOf(axis, t.rank + 1, "unsqueeze"))),

  transpose: (x, perm) =>
    on(x, "transpose", (t) => {
      if (perm === undefined) return tf.transpose(t);
      const p = perm.map((a) => axisOf(a, t.rank, "transpose"));
      if (p.length !== t.rank || new Set(p).size !== p.length) {
        throw new TensorOpError(`ops.transpose: argument perm ${formatShape(perm)} is not a permutation of the ${t.rank} axes`);
      }
      return tf.transpose(t, p);
    }),

  concat: (xs, axis = 0) => onAll(xs, "concat", (ts) => tf.concat(ts, axisOf(axis, ts[0]!.rank, "concat"))),

  stack: (xs, axis = 0) => onAll(xs, "stack", (ts) => tf.stack(ts, axisOf(axis, ts[0]!.rank + 1, "stack"))),

  unstack: (x, axis = 0) => on(x, "unstack", (t) => tf.unstack(t, axisOf(axis, t.rank, "unstack"))),

  slice: (x, begin, size) => on(x, "slice", (t) => tf.slice(t, begin as number[], size as number[])),

  pad: (x, paddings, value = 0) =>
    on(x, "pad", (t) => {
      if (paddings.length !== t.rank) {
        throw new TensorOpError(`ops.pad: argument paddings must have one [before, after] pair per axis (${t.rank}), got ${paddings.length}`);
      }
      for (const [b, a] of paddings) checkShape([b, a], "pad", "paddings");
      return tf.pad(t, paddings as [number, number][], value);
    }),
};
