/**
 * Creating and reading arrays: `tensor`, `fromFlat`, `zeros`, `ones`, `full`,
 * `arange`, `eye`, and `shape`, `item`, `toArray`, `toFlat`.
 *
 * @module
 */
import type { NestedArray, Shape } from "../types.js";
import { alloc } from "./alloc.js";
import { flatData, fresh, NDArray, sizeOf, toNested } from "./array.js";
import { checkShape, fail, fmt, nd, type NDLike } from "./convert.js";

/** An array from an {@link NDArray} (returned as is), number, boolean or nested array. */
export function tensor(x: NDLike): NDArray {
  return nd(x, "tensor", "x");
}

/** An array of `shape` holding a copy of the row-major `data`. */
export function fromFlat(data: ArrayLike<number>, shape: Shape): NDArray {
  const s = checkShape(shape, "fromFlat");
  const n = sizeOf(s);
  if (data === null || typeof data !== "object" || typeof data.length !== "number") {
    fail("fromFlat", "argument data must be an array-like of numbers");
  }
  if (data.length !== n) fail("fromFlat", `argument data has ${data.length} elements but shape ${fmt(s)} needs ${n}`);
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v !== "number") fail("fromFlat", `argument data[${i}] is not a number`);
    out[i] = v;
  }
  return fresh(out, s);
}

/** An array of `shape` filled with `value`. */
export function full(shape: Shape, value: number): NDArray {
  const s = checkShape(shape, "full");
  if (typeof value !== "number") fail("full", `argument value must be a number, got ${typeof value}`);
  const out = alloc(sizeOf(s));
  if (value !== 0) out.fill(value);
  return fresh(out, s);
}

/** Zeros of `shape`. */
export function zeros(shape: Shape): NDArray {
  const s = checkShape(shape, "zeros");
  return fresh(alloc(sizeOf(s)), s);
}

/** Ones of `shape`. */
export function ones(shape: Shape): NDArray {
  return full(shape, 1);
}

/** Zeros of `x`'s shape. */
export function zerosLike(x: NDLike): NDArray {
  const a = nd(x, "zerosLike", "x");
  return fresh(alloc(a.size), a.shape);
}

/** Ones of `x`'s shape. */
export function onesLike(x: NDLike): NDArray {
  const a = nd(x, "onesLike", "x");
  return fresh(alloc(a.size).fill(1), a.shape);
}

/** `[start, start + step, …)` below `stop`; `arange(n)` is `0 … n-1`. */
export function arange(start: number, stop?: number, step = 1): NDArray {
  let lo = start;
  let hi = stop;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step)) {
    fail("arange", `arguments must be finite numbers, got start ${start}, stop ${stop}, step ${step}`);
  }
  if (step === 0) fail("arange", "argument step must not be 0");
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const plain = lo === 0 && step === 1 && n <= RANGE_CACHE_MAX;
  if (plain) {
    const hit = rangeCache.get(n);
    if (hit !== undefined) return hit;
  }
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  const y = fresh(out, [n]);
  if (plain) {
    if (rangeCache.size >= RANGE_CACHE_SIZE) rangeCache.clear();
    rangeCache.set(n, y);
  }
  return y;
}

/**
 * Recent `arange(n)` results, returned again for the same `n`. Arrays are
 * immutable, so sharing one is safe, and an unsubsampled plate asks for its
 * indices on every run (0 … 2999 for a 3000-row data set, every SVI step).
 */
const rangeCache = new Map<number, NDArray>();
/** How many results `rangeCache` holds, and the largest `n` it keeps (bounding it to 8 MiB). */
const RANGE_CACHE_SIZE = 16;
const RANGE_CACHE_MAX = 65536;

/** The `n × n` identity matrix. */
export function eye(n: number): NDArray {
  if (!Number.isInteger(n) || n < 0) fail("eye", `argument n must be a non-negative whole number, got ${n}`);
  const out = alloc(n * n);
  for (let i = 0; i < n; i++) out[i * (n + 1)] = 1;
  return fresh(out, [n, n]);
}

/** Whether `x` is an {@link NDArray}. */
export function isTensor(x: unknown): x is NDArray {
  return x instanceof NDArray;
}

/** The shape of `x`. */
export function shape(x: NDLike): Shape {
  return nd(x, "shape", "x").shape;
}

/** The value of a one-element array. */
export function item(x: NDLike): number {
  const a = nd(x, "item", "x");
  if (a.size !== 1) fail("item", `argument x must have exactly one element, got shape ${fmt(a.shape)}`);
  return a.data[a.offset]!;
}

/** The values of `x` as nested arrays (a number for a scalar). */
export function toArray(x: NDLike): NestedArray {
  return toNested(nd(x, "toArray", "x"));
}

/** The values of `x` flattened row-major. Do not mutate the result: it may be `x`'s storage. */
export function toFlat(x: NDLike): Float64Array {
  return flatData(nd(x, "toFlat", "x"));
}
