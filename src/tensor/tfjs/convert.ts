/**
 * The tfjs boundary: op arguments (numbers, booleans, nested arrays, tfjs
 * tensors) become tfjs tensors here, and bad arguments fail here with a
 * message naming the op and the argument.
 *
 * Values are float32 in user land; masks are tfjs `bool` tensors. A tensor
 * made by a conversion is a temporary: the op that asked for it disposes it
 * (see {@link release}), so ops called outside `tidy` leak nothing.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { formatShape, sizeOf } from "../shape.js";
import type { NestedArray, Shape, TensorLike } from "../types.js";
import { TensorOpError } from "../errors.js";

/** An argument of a tfjs op: a tfjs tensor, number, boolean or nested array. */
export type Arg = TensorLike<tf.Tensor>;

/** The tfjs engine (tensor bookkeeping, tape, scopes). */
export const engine = tf.engine();

/** What `x` is, for error messages: `string`, `null`, `object (NDArray)`, ... */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `object (${name})` : "object";
}

function badArgument(op: string, arg: string, x: unknown): Error {
  return new TensorOpError(`ops.${op}: argument ${arg} must be a number, nested array or tfjs tensor, got ${describe(x)}`);
}

function disposed(op: string, arg: string): Error {
  return new TensorOpError(`ops.${op}: argument ${arg} is a disposed tensor`);
}

/** Row-major values with their shape. */
export interface FlatValues<D extends ArrayLike<number> = ArrayLike<number>> {
  /** The values, row-major. */
  readonly data: D;
  /** The shape of the values. */
  readonly shape: number[];
}

/** The shape of a nested array, read along its first elements. */
function nestedShape(x: readonly unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/**
 * The row-major values and shape of a nested array of numbers and booleans
 * (true → 1). For masks (`bool`), nonzero numbers become 1.
 *
 * @throws Error naming the op, the argument and the position of a ragged row
 *   or a non-numeric element.
 */
export function flatten(
  x: readonly NestedArray[],
  op: string,
  arg: string,
  dtype: "float32" | "bool" = "float32",
): FlatValues<Float32Array | Uint8Array> {
  const shape = nestedShape(x);
  const rank = shape.length;
  const n = sizeOf(shape);
  const data = dtype === "bool" ? new Uint8Array(n) : new Float32Array(n);
  const asMask = dtype === "bool";
  const at: number[] = [];
  let k = 0;
  const where = () => at.map((i) => `[${i}]`).join("");
  const walk = (v: readonly unknown[], depth: number): void => {
    if (v.length !== shape[depth]) {
      throw new TensorOpError(`ops.${op}: argument ${arg} is a ragged nested array: ${arg}${where()} has length ${v.length}, expected ${shape[depth]}`);
    }
    const leaf = depth === rank - 1;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (leaf) {
        if (typeof e === "number") data[k++] = asMask ? (e !== 0 ? 1 : 0) : e;
        else if (typeof e === "boolean") data[k++] = e ? 1 : 0;
        else {
          at.push(i);
          throw new TensorOpError(`ops.${op}: argument ${arg} must be a nested array of numbers, but ${arg}${where()} is ${describe(e)}`);
        }
      } else if (Array.isArray(e)) {
        at.push(i);
        walk(e, depth + 1);
        at.pop();
      } else {
        at.push(i);
        throw new TensorOpError(`ops.${op}: argument ${arg} is a ragged nested array: ${arg}${where()} is ${describe(e)}, expected an array`);
      }
    }
  };
  walk(x, 0);
  return { data, shape };
}

/** A float32 tensor that takes ownership of fresh row-major `data`. */
export function make(data: Float32Array, shape: Shape): tf.Tensor {
  return engine.makeTensor(data, shape as number[], "float32");
}

/**
 * `x` as a float32 tfjs tensor: a float32 tensor is returned as is; anything
 * else becomes a new tensor, which the caller must {@link release}.
 */
export function toTf(x: unknown, op: string, arg: string): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw disposed(op, arg);
    return x.dtype === "float32" ? x : tf.cast(x, "float32");
  }
  if (typeof x === "number") return tf.scalar(x, "float32");
  if (typeof x === "boolean") return tf.scalar(x ? 1 : 0, "float32");
  if (Array.isArray(x)) {
    const { data, shape } = flatten(x, op, arg);
    return make(data as Float32Array, shape);
  }
  // A flat typed array is a vector, as on the ndarray backend.
  if (x instanceof Float64Array || x instanceof Float32Array) return make(Float32Array.from(x), [x.length]);
  throw badArgument(op, arg, x);
}

/**
 * `x` as a tfjs `bool` mask: a bool tensor is returned as is; a numeric
 * tensor becomes `x != 0`; numbers, booleans and nested arrays become masks.
 * The caller must {@link release} the result.
 */
export function toMask(x: unknown, op: string, arg: string): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw disposed(op, arg);
    return x.dtype === "bool" ? x : tf.notEqual(x, 0);
  }
  if (typeof x === "number" || typeof x === "boolean") return tf.scalar(x !== 0 && x !== false, "bool");
  if (Array.isArray(x)) {
    const { data, shape } = flatten(x, op, arg, "bool");
    return engine.makeTensor(data, shape, "bool");
  }
  throw badArgument(op, arg, x);
}

/** Disposes `t` if it is a temporary that a conversion of `x` made. */
export function release(t: tf.Tensor, x: unknown): void {
  if (t !== x) t.dispose();
}

/** The shape of an argument, without making a tensor. */
export function shapeOf(x: unknown, op: string, arg: string): number[] {
  if (x instanceof tf.Tensor) return x.shape;
  if (typeof x === "number" || typeof x === "boolean") return [];
  if (Array.isArray(x)) return flatten(x, op, arg).shape;
  throw badArgument(op, arg, x);
}

/** The row-major values and shape of an argument, without making a tensor. Do not mutate. */
export function valuesOf(x: unknown, op: string, arg: string): FlatValues {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw disposed(op, arg);
    return { data: x.dataSync() as ArrayLike<number>, shape: x.shape };
  }
  if (typeof x === "number") return { data: [x], shape: [] };
  if (typeof x === "boolean") return { data: [x ? 1 : 0], shape: [] };
  if (Array.isArray(x)) return flatten(x, op, arg);
  throw badArgument(op, arg, x);
}

/**
 * Whole-number indices into an axis of length `n`, as int32 (negative
 * indices count from the end, as in numpy).
 *
 * @throws Error naming the op when an index is not a whole number or is out of range.
 */
export function indicesOf(data: ArrayLike<number>, n: number, op: string, arg: string): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const j = v < 0 ? v + n : v;
    if (!(j >= 0 && j < n && j === Math.floor(j))) {
      throw new TensorOpError(`ops.${op}: argument ${arg} must hold whole numbers in [-${n}, ${n}), got ${v}`);
    }
    out[i] = j;
  }
  return out;
}

/** Checks that `shape` is a list of non-negative whole numbers. */
export function checkShape(shape: unknown, op: string, arg = "shape"): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    const got = Array.isArray(shape) ? formatShape(shape as number[]) : describe(shape);
    throw new TensorOpError(`ops.${op}: argument ${arg} must be an array of non-negative whole numbers, got ${got}`);
  }
  return shape as number[];
}
