/**
 * `NDArray`: the float64 n-dimensional array of the `ndarray` backend.
 *
 * An array is a strided view of a `Float64Array`: element `(i₀, …, iₖ)` lives
 * at `data[offset + Σ iⱼ·strides[j]]`. Reshaping contiguous data, transposing,
 * broadcasting (stride 0), slicing and (un)squeezing make views that share
 * `data`; everything else writes a fresh contiguous row-major result. Arrays
 * are immutable once made — no op writes into an existing array — so sharing
 * storage between views is always safe.
 *
 * Arrays are ordinary garbage-collected objects: nothing needs disposing.
 *
 * @module
 */
import type { NestedArray, Tensor } from "../types.js";
import { alloc } from "./alloc.js";

/**
 * A vector-Jacobian product: the cotangents of an op's inputs from the
 * cotangent `g` of its output. `need[i]` says whether input `i` wants one;
 * entries not needed may be `null`.
 */
export type Vjp = (g: NDArray, need: readonly boolean[]) => readonly (NDArray | null)[];

/** The autodiff record of an array computed from tracked inputs. */
export interface GradNode {
  /** The op that made the array (for error messages). */
  readonly op: string;
  /** The op's array inputs, in the order `vjp` returns their cotangents (emptied when the outermost `valueAndGrad` returns). */
  parents: readonly NDArray[];
  /** The op's vector-Jacobian product (dropped when the outermost `valueAndGrad` returns). */
  vjp: Vjp;
  /** The `valueAndGrad` call this node is an input leaf of (0: none). */
  readonly leafOf: number;
  /** Traversal bookkeeping: the last `valueAndGrad` call that visited this node. */
  visit: number;
  /** Traversal bookkeeping: whether the node leads to that call's leaves. */
  reach: boolean;
  /** Traversal bookkeeping: the node's position in that call's order. */
  slot: number;
  /**
   * Whether `vjp` returns only arrays it allocated itself, a different one per
   * input, shared with nothing (elementwise ops): the backward pass may then
   * accumulate further cotangents into them in place.
   */
  readonly freshGrads: boolean;
}

const EMPTY: readonly number[] = Object.freeze([]);
const UNIT: readonly number[] = Object.freeze([1]);

/**
 * A float64 n-dimensional array: a strided view of a `Float64Array`.
 *
 * Made by `ndarrayOps` (`ndarrayOps.tensor([[1, 2], [3, 4]])`);
 * read it with `ndarrayOps.toArray`, `item` or `toFlat`.
 *
 * @example
 * ```ts
 * const x = ndarrayOps.tensor([[1, 2, 3], [4, 5, 6]]);
 * x.shape;                                  // [2, 3]
 * ndarrayOps.toArray(ndarrayOps.transpose(x)); // [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export class NDArray implements Tensor {
  /** The storage (possibly shared with other views). */
  readonly data: Float64Array;
  /** The size of each dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The storage step of each dimension (0 along broadcast dimensions). */
  readonly strides: readonly number[];
  /** The storage index of the first element. */
  readonly offset: number;
  /** The number of elements. */
  readonly size: number;
  /** Whether the elements are `data[offset .. offset + size)` in row-major order. */
  readonly contiguous: boolean;
  /** @internal The autodiff record, present only while a gradient is being taken. */
  node: GradNode | undefined;

  /** @internal Use {@link fresh} or {@link view}. */
  constructor(
    data: Float64Array,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
    size: number,
    contiguous: boolean,
  ) {
    this.data = data;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.size = size;
    this.contiguous = contiguous;
    this.node = undefined;
  }

  /** A short description: `NDArray[2, 3]`. */
  toString(): string {
    return `NDArray[${this.shape.join(", ")}]`;
  }
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major (C-order) strides of a shape. */
export function stridesOf(shape: readonly number[]): readonly number[] {
  const r = shape.length;
  if (r === 0) return EMPTY;
  if (r === 1) return UNIT;
  const s = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Whether a strided layout visits its elements in row-major order without gaps. */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 1) continue;
    if (d === 0) return true;
    if (strides[i] !== acc) return false;
    acc *= d;
  }
  return true;
}

/** A new contiguous array owning `data` (which must hold exactly `sizeOf(shape)` elements). */
export function fresh(data: Float64Array, shape: readonly number[], strides?: readonly number[]): NDArray {
  return new NDArray(data, shape, strides ?? stridesOf(shape), 0, data.length, true);
}

/** A scalar array. */
export function scalar(v: number): NDArray {
  const d = new Float64Array(1);
  d[0] = v;
  return new NDArray(d, EMPTY, EMPTY, 0, 1, true);
}

/** A view of `x`'s storage with another layout. */
export function view(x: NDArray, shape: readonly number[], strides: readonly number[], offset: number): NDArray {
  return new NDArray(x.data, shape, strides, offset, sizeOf(shape), isContiguous(shape, strides));
}

/** Copies the elements of any layout into `out` (row-major), starting at `out[at]`. */
export function copyInto(x: NDArray, out: Float64Array, at: number): void {
  const { data, shape, strides, size } = x;
  if (size === 0) return;
  if (x.contiguous) {
    out.set(data.subarray(x.offset, x.offset + size), at);
    return;
  }
  const r = shape.length;
  const n = shape[r - 1]!;
  const s = strides[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let src = x.offset;
  let o = at;
  const end = at + size;
  while (o < end) {
    for (let j = 0, p = src; j < n; j++, p += s) out[o++] = data[p]!;
    // advance the odometer over all axes but the last
    for (let d = r - 2; d >= 0; d--) {
      src += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** `x` itself when contiguous, else a contiguous copy (no autodiff record). */
export function contiguous(x: NDArray): NDArray {
  if (x.contiguous) return x;
  const out = alloc(x.size);
  copyInto(x, out, 0);
  return fresh(out, x.shape);
}

/**
 * The elements of `x` as an exact-length row-major `Float64Array`: the storage
 * itself (or a `subarray` of it) when contiguous, else a copy. Do not mutate.
 */
export function flatData(x: NDArray): Float64Array {
  if (x.contiguous) {
    if (x.offset === 0 && x.data.length === x.size) return x.data;
    return x.data.subarray(x.offset, x.offset + x.size);
  }
  const out = alloc(x.size);
  copyInto(x, out, 0);
  return out;
}

/** The elements of `x` as nested JavaScript arrays (a number for a scalar). */
export function toNested(x: NDArray): NestedArray {
  const flat = flatData(x);
  const shape = x.shape;
  if (shape.length === 0) return flat[0]!;
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const n = shape[d]!;
    const out = new Array<NestedArray>(n);
    if (d === shape.length - 1) for (let i = 0; i < n; i++) out[i] = flat[pos++]!;
    else for (let i = 0; i < n; i++) out[i] = build(d + 1);
    return out;
  };
  return build(0);
}
