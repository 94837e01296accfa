/**
 * The boundary of the `ndarray` backend: turning op arguments (arrays,
 * numbers, booleans, nested arrays) into {@link NDArray}s, and validating
 * shapes and axes with errors that name the op and the argument.
 *
 * @module
 */
import type { NestedArray, TensorLike } from "../types.js";
import { fresh, NDArray, scalar, sizeOf } from "./array.js";
import { TensorOpError } from "../errors.js";

/** An argument of an `ndarray` op: an {@link NDArray}, number, boolean or nested array. */
export type NDLike = TensorLike<NDArray>;

/** Throws `TensorOpError("ndarray.<op>: <message>")`. */
export function fail(op: string, message: string): never {
  throw new TensorOpError(`ndarray.${op}: ${message}`);
}

/** Formats a shape as `[2, 3]`. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return `an object (${Object.prototype.toString.call(v)})`;
  return `${typeof v} ${String(v)}`;
}

/** Whether `v` looks like a tensor of some other backend (an object with a `shape`). */
function isForeignTensor(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v;
}

/** The shape of a nested array, read along its first elements. */
function nestedShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = (cur as readonly NestedArray[])[0]!;
  }
  return shape;
}

/** Parses a nested array into a fresh array, checking it is rectangular and numeric. */
function fromNested(v: readonly NestedArray[], op: string, arg: string): NDArray {
  const shape = nestedShape(v);
  const out = new Float64Array(sizeOf(shape));
  let pos = 0;
  const walk = (x: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof x === "number") out[pos++] = x;
      else if (typeof x === "boolean") out[pos++] = x ? 1 : 0;
      else fail(op, `argument ${arg} must be a rectangular nested array of numbers, but ${arg}${path} is ${describe(x)}`);
      return;
    }
    if (!Array.isArray(x)) {
      fail(op, `argument ${arg} is a ragged nested array: ${arg}${path} is ${describe(x)}, expected an array of length ${shape[depth]}`);
    }
    const xs = x as readonly NestedArray[];
    if (xs.length !== shape[depth]) {
      fail(op, `argument ${arg} is a ragged nested array: ${arg}${path} has length ${xs.length}, expected ${shape[depth]}`);
    }
    for (let i = 0; i < xs.length; i++) walk(xs[i]!, depth + 1, `${path}[${i}]`);
  };
  walk(v, 0, "");
  return fresh(out, shape);
}

/**
 * `x` as an {@link NDArray}: arrays pass through, numbers and booleans become
 * scalars, nested arrays are parsed; anything else (including a tensor of
 * another backend) throws naming `op` and `arg`.
 */
export function nd(x: unknown, op: string, arg: string): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return scalar(x);
  if (typeof x === "boolean") return scalar(x ? 1 : 0);
  if (Array.isArray(x)) return fromNested(x as readonly NestedArray[], op, arg);
  if (x instanceof Float64Array || x instanceof Float32Array) return fresh(Float64Array.from(x), [x.length]);
  if (isForeignTensor(x)) {
    fail(op, `argument ${arg} is a tensor of another backend, not an ndarray NDArray; convert it first (ndarrayOps.tensor(otherOps.toArray(t)))`);
  }
  return fail(op, `argument ${arg} must be an NDArray, a number, a boolean or a nested array of numbers, got ${describe(x)}`);
}

/** Checks that `shape` is an array of non-negative whole numbers and returns a private copy. */
export function checkShape(shape: unknown, op: string, arg = "shape"): number[] {
  if (!Array.isArray(shape)) return fail(op, `argument ${arg} must be an array of non-negative whole numbers, got ${describe(shape)}`);
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      fail(op, `argument ${arg} must be an array of non-negative whole numbers, got [${shape.map(String).join(", ")}]`);
    }
  }
  return (shape as number[]).slice();
}

/** A non-negative axis for a possibly negative `axis` of a rank-`rank` array. */
export function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    fail(op, `axis ${axis} is out of range for an array of rank ${rank}`);
  }
  return a;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The numpy broadcast of two shapes; throws naming the op when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[], op: string): readonly number[] {
  if (sameShape(a, b)) return a;
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = i < r - a.length ? 1 : a[i - (r - a.length)]!;
    const db = i < r - b.length ? 1 : b[i - (r - b.length)]!;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else fail(op, `shapes ${fmt(a)} and ${fmt(b)} do not broadcast`);
  }
  return out;
}

/** The numpy broadcast of two shapes, or `undefined` when they do not broadcast. */
export function tryBroadcast(a: readonly number[], b: readonly number[]): readonly number[] | undefined {
  try {
    return broadcastShape(a, b, "broadcast");
  } catch {
    return undefined;
  }
}
