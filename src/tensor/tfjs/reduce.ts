/**
 * tfjs reductions and scans: `sum`, `mean`, `prod`, `max`, `min`, `all`,
 * `any`, `argmax`, `cumsum`. The second argument is an axis or
 * `{ axis, keepdims }`; axes may be negative.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { normalizeAxis } from "../shape.js";
import { reduceOptions, type Axis, type ReduceArg } from "../types.js";
import { release, toMask, toTf, type Arg } from "./convert.js";
import { TensorOpError } from "../errors.js";

/** Non-negative axes for a possibly negative `axis` of a rank-`rank` tensor (undefined: all). */
export function normalizeAxes(axis: Axis | undefined, rank: number, op: string): number[] | undefined {
  if (axis === undefined) return undefined;
  try {
    return typeof axis === "number" ? [normalizeAxis(axis, rank)] : axis.map((a) => normalizeAxis(a, rank));
  } catch (e) {
    throw new TensorOpError(`ops.${op}: ${(e as Error).message}`);
  }
}

/** A reduction over float32 (or, with `mask`, bool) values. */
function reduction(
  op: string,
  f: (x: tf.Tensor, axes: number[] | undefined, keepdims: boolean) => tf.Tensor,
  mask = false,
): (x: Arg, arg?: ReduceArg) => tf.Tensor {
  return (x, arg) => {
    const { axis, keepdims } = reduceOptions(arg);
    const t = mask ? toMask(x, op, "x") : toTf(x, op, "x");
    try {
      return f(t, normalizeAxes(axis, t.rank, op), keepdims === true);
    } finally {
      release(t, x);
    }
  };
}

/** The reductions of the tfjs core (`mean` natively too). */
export type ReduceOps = Pick<
  CoreOps<tf.Tensor>,
  "sum" | "mean" | "prod" | "max" | "min" | "all" | "any" | "argmax" | "cumsum"
>;

/** The reductions of the tfjs core. */
export const reduceOps: ReduceOps = {
  sum: reduction("sum", tf.sum),
  mean: reduction("mean", tf.mean),
  prod: reduction("prod", tf.prod),
  max: reduction("max", tf.max),
  min: reduction("min", tf.min),
  // tf.all of an empty mask is false; numpy's (and logic's) answer is true: ¬any(¬x).
  all: reduction("all", (t, axes, keep) => tf.tidy(() => tf.logicalNot(tf.any(tf.logicalNot(t), axes, keep))), true),
  any: reduction("any", tf.any, true),

  argmax: (x, axis = -1) => {
    const t = toTf(x, "argmax", "x");
    try {
      const ax = normalizeAxes(axis, t.rank, "argmax")![0]!;
      return tf.tidy(() => tf.cast(tf.argMax(t, ax), "float32"));
    } finally {
      release(t, x);
    }
  },

  // Default axis -1 (as argmax); the Ops contract leaves it open.
  cumsum: (x, axis = -1, options = {}) => {
    const t = toTf(x, "cumsum", "x");
    try {
      const ax = normalizeAxes(axis, t.rank, "cumsum")![0]!;
      return tf.cumsum(t, ax, options.exclusive === true, options.reverse === true);
    } finally {
      release(t, x);
    }
  },
};
