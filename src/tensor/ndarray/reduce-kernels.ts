/**
 * Reduction kernels and their driver.
 *
 * A reduction over a run of adjacent axes views the contiguous data as
 * `[outer, m, inner]` and reduces the middle axis: one call, no index
 * arithmetic, rows read in storage order. `inner = 1` (reducing trailing
 * axes, including a full reduction) is a tight per-row loop; `inner > 1`
 * (e.g. summing a batch axis) accumulates whole rows, which stays
 * cache-friendly. Several non-adjacent runs are reduced one after another.
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { contiguous, type NDArray } from "./array.js";

/**
 * Reduces `x[xo + (o·m + k)·inner + j]` over `k < m` into `out[o·inner + j]`
 * (`out` arrives zero-filled). Called with `m ≥ 1` except for `sum`, `prod`,
 * `all` and `any`, which define the empty case.
 */
export type ReduceKernel = (x: Float64Array, xo: number, out: Float64Array, outer: number, m: number, inner: number) => void;

/** Kernel: sum. */
export const sumR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  if (inner === 1) {
    for (let o = 0, p = xo; o < outer; o++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += x[p++]!;
      out[o] = s;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0, p = xo + o * m * inner; k < m; k++, p += inner) for (let j = 0; j < inner; j++) out[ob + j]! += x[p + j]!;
  }
};

/** Kernel: product (1 for an empty axis). */
export const prodR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  out.fill(1);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0, p = xo + o * m * inner; k < m; k++, p += inner) for (let j = 0; j < inner; j++) out[ob + j]! *= x[p + j]!;
  }
};

/** Kernel: maximum (NaN propagates). */
export const maxR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const base = xo + o * m * inner;
    for (let j = 0; j < inner; j++) {
      let acc = x[base + j]!;
      for (let k = 1, p = base + inner + j; k < m; k++, p += inner) {
        const v = x[p]!;
        if (v > acc || v !== v) acc = v;
      }
      out[ob + j] = acc;
    }
  }
};

/** Kernel: minimum (NaN propagates). */
export const minR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const base = xo + o * m * inner;
    for (let j = 0; j < inner; j++) {
      let acc = x[base + j]!;
      for (let k = 1, p = base + inner + j; k < m; k++, p += inner) {
        const v = x[p]!;
        if (v < acc || v !== v) acc = v;
      }
      out[ob + j] = acc;
    }
  }
};

/** Kernel: 1 if every element is nonzero (1 for an empty axis). */
export const allR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  out.fill(1);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0, p = xo + o * m * inner; k < m; k++, p += inner) for (let j = 0; j < inner; j++) if (x[p + j] === 0) out[ob + j] = 0;
  }
};

/** Kernel: 1 if some element is nonzero (0 for an empty axis). */
export const anyR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0, p = xo + o * m * inner; k < m; k++, p += inner) for (let j = 0; j < inner; j++) if (x[p + j] !== 0) out[ob + j] = 1;
  }
};

/** Kernel: index of the first maximum (a NaN counts as the maximum). */
export const argmaxR: ReduceKernel = (x, xo, out, outer, m, inner) => {
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const base = xo + o * m * inner;
    for (let j = 0; j < inner; j++) {
      let best = x[base + j]!;
      let at = 0;
      for (let k = 1, p = base + inner + j; k < m && best === best; k++, p += inner) {
        const v = x[p]!;
        if (v > best || v !== v) {
          best = v;
          at = k;
        }
      }
      out[ob + j] = at;
    }
  }
};

/**
 * Reduces `x` over `axes` (sorted, distinct, non-negative) with `k`; returns
 * the row-major values of the kept axes.
 */
export function reduceRaw(x: NDArray, axes: readonly number[], k: ReduceKernel): Float64Array {
  const shape = x.shape.slice();
  const c = contiguous(x);
  let data = c.data;
  let off = c.offset;
  // Runs of adjacent axes, reduced last run first so earlier axis numbers hold.
  let end = axes.length - 1;
  while (end >= 0) {
    let start = end;
    while (start > 0 && axes[start - 1] === axes[start]! - 1) start--;
    const a0 = axes[start]!;
    const a1 = axes[end]!;
    let outer = 1;
    let m = 1;
    let inner = 1;
    for (let d = 0; d < shape.length; d++) {
      if (d < a0) outer *= shape[d]!;
      else if (d <= a1) m *= shape[d]!;
      else inner *= shape[d]!;
    }
    const out = alloc(outer * inner);
    k(data, off, out, outer, m, inner);
    for (let d = a0; d <= a1; d++) shape[d] = 1;
    data = out;
    off = 0;
    end = start - 1;
  }
  if (off === 0 && data.length === sizeAfter(shape)) return data;
  return data.slice(off, off + sizeAfter(shape));
}

function sizeAfter(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
