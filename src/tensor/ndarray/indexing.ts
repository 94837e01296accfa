/**
 * Gathering: `take` (numpy `take`) and `takeAlongAxis` (numpy
 * `take_along_axis`). Indices are whole floats in `[-n, n)` (negative ones
 * count from the end); anything else throws naming the op. The gradient
 * scatters the cotangent back, adding where an element was taken twice.
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { contiguous, flatData, fresh, sizeOf, stridesOf, type NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { broadcastShape, fail, fmt, nd, normAxis, type NDLike } from "./convert.js";
import { broadcastStrides } from "./iter.js";
import { sumTo } from "./reduce.js";

/** The indices of `idx` as non-negative integers below `n`. */
function indices(idx: NDArray, n: number, op: string): Int32Array {
  const d = flatData(idx);
  const out = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isInteger(v) || v < -n || v >= n) {
      fail(op, `argument idx must hold whole numbers in [-${n}, ${n}), got ${v}`);
    }
    out[i] = v < 0 ? v + n : v;
  }
  return out;
}

/**
 * Elements of `x` along `axis` at `idx`: the result has shape
 * `x.shape[:axis] ++ idx.shape ++ x.shape[axis+1:]`.
 */
export function take(x0: NDLike, idx0: NDLike, axis: number): NDArray {
  const x = nd(x0, "take", "x");
  const idx = nd(idx0, "take", "idx");
  if (x.shape.length === 0) fail("take", "argument x must have at least one axis, got a scalar");
  const ax = normAxis(axis, x.shape.length, "take");
  const m = x.shape[ax]!;
  const ix = indices(idx, m, "take");
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < ax; d++) outer *= x.shape[d]!;
  for (let d = ax + 1; d < x.shape.length; d++) inner *= x.shape[d]!;
  const k = ix.length;
  const c = contiguous(x);
  const xd = c.data;
  const out = alloc(outer * k * inner);
  for (let o = 0, p = 0; o < outer; o++) {
    const base = c.offset + o * m * inner;
    for (let j = 0; j < k; j++) {
      const src = base + ix[j]! * inner;
      for (let i = 0; i < inner; i++) out[p++] = xd[src + i]!;
    }
  }
  const shape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const y = fresh(out, shape);
  if (!tracked(x)) return y;
  return record(y, "take", [x], (g) => {
    const gd = flatData(g);
    const gx = alloc(x.size);
    for (let o = 0, p = 0; o < outer; o++) {
      const base = o * m * inner;
      for (let j = 0; j < k; j++) {
        const dst = base + ix[j]! * inner;
        for (let i = 0; i < inner; i++) gx[dst + i]! += gd[p++]!;
      }
    }
    return [fresh(gx, x.shape)];
  });
}

/**
 * numpy `take_along_axis`: `idx` has `x`'s rank, and the two broadcast on
 * every axis but `axis`; `out[…, j, …] = x[…, idx[…, j, …], …]`.
 */
export function takeAlongAxis(x0: NDLike, idx0: NDLike, axis: number): NDArray {
  const x = nd(x0, "takeAlongAxis", "x");
  const idx = nd(idx0, "takeAlongAxis", "idx");
  const r = x.shape.length;
  if (idx.shape.length !== r) {
    fail("takeAlongAxis", `argument idx must have the rank of x (${r}), got shape ${fmt(idx.shape)} for x of shape ${fmt(x.shape)}`);
  }
  if (r === 0) fail("takeAlongAxis", "argument x must have at least one axis, got a scalar");
  const ax = normAxis(axis, r, "takeAlongAxis");
  const m = x.shape[ax]!;
  // Broadcast every axis but `axis`; the result takes idx's extent there.
  const off = (s: readonly number[]) => s.map((d, k) => (k === ax ? 1 : d));
  const shape = broadcastShape(off(x.shape), off(idx.shape), "takeAlongAxis").slice();
  shape[ax] = idx.shape[ax]!;
  const xb = shape.map((d, k) => (k === ax ? m : d)); // x broadcast off the axis
  const xs = broadcastStrides(x, xb); // storage strides of x read as xb
  const xbs = stridesOf(xb); // strides of a contiguous xb (for the gradient)
  const ixs = stridesOf(idx.shape).map((s, k) => (idx.shape[k] === 1 ? 0 : s)); // into the flat indices
  const ix = indices(idx, m, "takeAlongAxis");
  const grad = tracked(x);
  const n = sizeOf(shape);
  const out = alloc(n);
  const pos = grad ? new Int32Array(n) : undefined; // where each output sits in a contiguous xb
  const counter = new Array<number>(r).fill(0);
  let xp = x.offset; // storage index, axis excluded
  let bp = 0; // contiguous-xb index, axis excluded
  let ip = 0; // flat index into ix
  const xd = x.data;
  for (let e = 0; e < n; e++) {
    const j = ix[ip]!;
    out[e] = xd[xp + j * xs[ax]!]!;
    if (pos !== undefined) pos[e] = bp + j * xbs[ax]!;
    for (let d = r - 1; d >= 0; d--) {
      const xsd = d === ax ? 0 : xs[d]!;
      const bsd = d === ax ? 0 : xbs[d]!;
      xp += xsd;
      bp += bsd;
      ip += ixs[d]!;
      if (++counter[d]! < shape[d]!) break;
      xp -= xsd * shape[d]!;
      bp -= bsd * shape[d]!;
      ip -= ixs[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
  const y = fresh(out, shape);
  if (pos === undefined) return y;
  return record(y, "takeAlongAxis", [x], (g) => {
    const gd = flatData(g);
    const gx = alloc(sizeOf(xb));
    for (let e = 0; e < n; e++) gx[pos[e]!]! += gd[e]!;
    return [sumTo(fresh(gx, xb), x.shape)];
  });
}
