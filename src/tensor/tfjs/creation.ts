/**
 * Making and reading tfjs tensors: `tensor`, `fromFlat`, `zeros`, `ones`,
 * `full`, `zerosLike`, `onesLike`, `arange`, `eye`; `shape`, `item`,
 * `toArray`, `toFlat`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { formatShape, sizeOf } from "../shape.js";
import type { NestedArray } from "../types.js";
import { checkShape, flatten, make, release, shapeOf, toTf, valuesOf } from "./convert.js";
import { TensorOpError } from "../errors.js";

/** A bool tensor's nested 0/1 array with booleans instead. */
function toBooleans(a: unknown): NestedArray {
  return Array.isArray(a) ? a.map(toBooleans) : a !== 0;
}

/** The creation and reading members of the tfjs core. */
export type CreationOps = Pick<
  CoreOps<tf.Tensor>,
  | "isTensor" | "tensor" | "fromFlat" | "zeros" | "ones" | "full" | "zerosLike" | "onesLike" | "arange" | "eye"
  | "shape" | "item" | "toArray" | "toFlat"
>;

/** The creation and reading members of the tfjs core (`full`, `zerosLike`, `onesLike` natively too). */
export const creationOps: CreationOps = {
  isTensor: (x: unknown): x is tf.Tensor => x instanceof tf.Tensor,

  // A tensor argument is copied (cheaply: tfjs shares the data) so the result can be disposed on its own.
  tensor: (x) => (x instanceof tf.Tensor ? tf.cast(x, "float32") : toTf(x, "tensor", "x")),

  fromFlat: (data, shape) => {
    checkShape(shape, "fromFlat");
    if (data.length !== sizeOf(shape)) {
      throw new TensorOpError(`ops.fromFlat: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} values)`);
    }
    return make(Float32Array.from(data), shape);
  },

  zeros: (shape) => tf.zeros(checkShape(shape, "zeros"), "float32"),
  ones: (shape) => tf.ones(checkShape(shape, "ones"), "float32"),
  full: (shape, value) => tf.fill(checkShape(shape, "full"), value, "float32"),
  zerosLike: (x) => tf.zeros(shapeOf(x, "zerosLike", "x"), "float32"),
  onesLike: (x) => tf.ones(shapeOf(x, "onesLike", "x"), "float32"),

  arange: (start, stop, step = 1) => {
    const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
    if (step === 0 || !Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step)) {
      throw new TensorOpError(`ops.arange: bad range (start ${lo}, stop ${hi}, step ${step})`);
    }
    return tf.range(lo, hi, step, "float32");
  },

  eye: (n) => {
    if (!Number.isInteger(n) || n < 0) throw new TensorOpError(`ops.eye: argument n must be a whole number >= 0, got ${n}`);
    return tf.eye(n, n, undefined, "float32");
  },

  shape: (x) => shapeOf(x, "shape", "x"),

  item: (x) => {
    const { data, shape } = valuesOf(x, "item", "x");
    if (data.length !== 1) throw new TensorOpError(`ops.item: argument x must have one element, got shape ${formatShape(shape)}`);
    return data[0]!;
  },

  toArray: (x) => {
    if (x instanceof tf.Tensor) {
      const a = x.arraySync() as NestedArray;
      return x.dtype === "bool" ? toBooleans(a) : a;
    }
    const t = toTf(x, "toArray", "x");
    try {
      return t.arraySync() as NestedArray;
    } finally {
      release(t, x);
    }
  },

  toFlat: (x) => {
    if (x instanceof tf.Tensor) {
      const d = x.dataSync();
      return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
    }
    if (typeof x === "number" || typeof x === "boolean") return Float32Array.of(Number(x));
    if (Array.isArray(x)) return flatten(x, "toFlat", "x").data as Float32Array;
    return toTf(x, "toFlat", "x").dataSync() as Float32Array; // throws the argument error
  },
};
