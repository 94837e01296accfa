/**
 * Reductions with numpy `axis` / `keepdims`: `sum`, `mean`, `prod`, `max`,
 * `min`, `logsumexp`, `all`, `any`, `argmax`, and `sumTo` (the adjoint of
 * broadcasting, used by every broadcasting op's gradient).
 *
 * @module
 */
import { reduceOptions, type ReduceArg } from "../types.js";
import { alloc } from "./alloc.js";
import { contiguous, fresh, NDArray, view } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { eqK, mulK, subK } from "./binary-kernels.js";
import { fail, fmt, nd, normAxis, sameShape, type NDLike } from "./convert.js";
import { mapBinary, mapUnary, type BinaryKernel } from "./iter.js";
import { allR, anyR, argmaxR, maxR, minR, prodR, reduceRaw, sumR, type ReduceKernel } from "./reduce-kernels.js";
import { expK } from "./unary-kernels.js";

/** A parsed reduction: sorted distinct axes, whether each axis is reduced, and the output shape. */
interface Reduction {
  readonly axes: readonly number[];
  readonly reduced: readonly boolean[];
  readonly keepdims: boolean;
  readonly shape: readonly number[];
  /** The number of elements reduced into each output element. */
  readonly count: number;
}

/** Parses the `axis` argument of a reduction of `x`. */
export function parseReduction(x: NDArray, arg: ReduceArg, op: string): Reduction {
  const { axis, keepdims = false } = reduceOptions(arg);
  const r = x.shape.length;
  const reduced = new Array<boolean>(r).fill(axis === undefined);
  if (axis !== undefined) {
    const list = typeof axis === "number" ? [axis] : axis;
    if (!Array.isArray(list)) fail(op, `argument axis must be a number or an array of numbers`);
    for (const a of list) {
      const k = normAxis(a, r, op);
      if (reduced[k]) fail(op, `axis ${a} is repeated in ${fmt(list)}`);
      reduced[k] = true;
    }
  }
  const axes: number[] = [];
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < r; d++) {
    if (reduced[d]) {
      axes.push(d);
      count *= x.shape[d]!;
      if (keepdims) shape.push(1);
    } else shape.push(x.shape[d]!);
  }
  return { axes, reduced, keepdims, shape, count };
}

/** `g` (shaped like a reduction's output) broadcast back to `shape` as a stride-0 view. */
export function unreduce(g: NDArray, red: Reduction, shape: readonly number[]): NDArray {
  const strides: number[] = [];
  let gi = 0;
  for (let d = 0; d < shape.length; d++) {
    if (red.reduced[d]) {
      strides.push(0);
      if (red.keepdims) gi++;
    } else strides.push(g.strides[gi++]!);
  }
  return view(g, shape, strides, g.offset);
}

function reduceWith(op: string, k: ReduceKernel, x: NDArray, red: Reduction): NDArray {
  if (red.count === 0 && (k === maxR || k === minR || k === argmaxR)) {
    fail(op, `cannot reduce an empty axis of an array of shape ${fmt(x.shape)}`);
  }
  return fresh(reduceRaw(x, red.axes, k), red.shape);
}

/** Sum over `axis` (all axes by default). */
export function sum(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "sum", "x");
  const red = parseReduction(x, arg, "sum");
  const y = reduceWith("sum", sumR, x, red);
  if (!tracked(x)) return y;
  return record(y, "sum", [x], (g) => [unreduce(g, red, x.shape)]);
}

/** Mean over `axis` (NaN for an empty axis). */
export function mean(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "mean", "x");
  const red = parseReduction(x, arg, "mean");
  const y = reduceWith("mean", sumR, x, red);
  const scale = 1 / red.count;
  const d = y.data;
  if (scale !== 1) for (let i = 0; i < d.length; i++) d[i]! *= scale;
  if (!tracked(x)) return y;
  return record(y, "mean", [x], (g) => [unreduce(mapBinary(mulK, g, nd(scale, "mean", "scale"), "mean"), red, x.shape)]);
}

/** Product over `axis`. The gradient is exact also where elements are 0. */
export function prod(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "prod", "x");
  const red = parseReduction(x, arg, "prod");
  const y = reduceWith("prod", prodR, x, red);
  if (!tracked(x)) return y;
  return record(y, "prod", [x], (g) => [prodGrad(x, red, g)]);
}

/** `g · Π_{j≠i} xⱼ` over each reduced group, by prefix and suffix products. */
function prodGrad(x: NDArray, red: Reduction, g: NDArray): NDArray {
  const r = x.shape.length;
  const kept: number[] = [];
  for (let d = 0; d < r; d++) if (!red.reduced[d]) kept.push(d);
  const perm = [...kept, ...red.axes];
  const xt = contiguous(view(x, perm.map((d) => x.shape[d]!), perm.map((d) => x.strides[d]!), x.offset));
  const gc = contiguous(g);
  const gk = gc.data;
  const goff = gc.offset;
  const m = red.count;
  const rows = m === 0 ? 0 : xt.size / m;
  const out = alloc(xt.size);
  const xd = xt.data;
  for (let row = 0; row < rows; row++) {
    const base = xt.offset + row * m;
    const ob = row * m;
    let acc = 1;
    for (let k = 0; k < m; k++) {
      out[ob + k] = acc;
      acc *= xd[base + k]!;
    }
    acc = g.size === 0 ? 0 : gk[goff + row]!;
    for (let k = m - 1; k >= 0; k--) {
      out[ob + k]! *= acc;
      acc *= xd[base + k]!;
    }
  }
  // Back from [kept…, reduced…] to x's axis order.
  const t = fresh(out, xt.shape);
  const inv = new Array<number>(r);
  for (let i = 0; i < r; i++) inv[perm[i]!] = i;
  return view(t, inv.map((i) => t.shape[i]!), inv.map((i) => t.strides[i]!), 0);
}

/** Shared body of `max` and `min`: the cotangent is split evenly among the extreme elements. */
function extreme(op: string, k: ReduceKernel, x0: NDLike, arg: ReduceArg): NDArray {
  const x = nd(x0, op, "x");
  const red = parseReduction(x, arg, op);
  const y = reduceWith(op, k, x, red);
  if (!tracked(x)) return y;
  return record(y, op, [x], (g) => {
    const mask = mapBinary(eqK, x, unreduce(y, red, x.shape), op);
    const counts = fresh(reduceRaw(mask, red.axes, sumR), red.shape);
    const share = mapBinary(divK0, g, counts, op);
    return [mapBinary(mulK, mask, unreduce(share, red, x.shape), op)];
  });
}

const divK0: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / b[bi]!;
};

/** Maximum over `axis`. */
export const max = (x: NDLike, arg?: ReduceArg): NDArray => extreme("max", maxR, x, arg);
/** Minimum over `axis`. */
export const min = (x: NDLike, arg?: ReduceArg): NDArray => extreme("min", minR, x, arg);

/** Whether all elements are nonzero, over `axis` (a 0/1 mask). */
export function all(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "all", "x");
  return reduceWith("all", allR, x, parseReduction(x, arg, "all"));
}

/** Whether any element is nonzero, over `axis` (a 0/1 mask). */
export function any(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "any", "x");
  return reduceWith("any", anyR, x, parseReduction(x, arg, "any"));
}

/** Index of the (first) maximum along `axis` (default -1), as whole floats. */
export function argmax(x0: NDLike, axis = -1): NDArray {
  const x = nd(x0, "argmax", "x");
  if (typeof axis !== "number") fail("argmax", "argument axis must be a single number");
  return reduceWith("argmax", argmaxR, x, parseReduction(x, axis, "argmax"));
}

const lseGradK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  // exp(x - y); a slice of only -∞ has y = -∞ and gradient 0.
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = b[bi] === -Infinity ? 0 : Math.exp(a[ai]! - b[bi]!);
};

/**
 * `log Σ exp(x)` over `axis`, shifted by the maximum for stability. A slice of
 * only `-∞` gives `-∞` (gradient 0).
 */
export function logsumexp(x0: NDLike, arg?: ReduceArg): NDArray {
  const x = nd(x0, "logsumexp", "x");
  const red = parseReduction(x, arg, "logsumexp");
  const n = red.count;
  const trailing = red.axes.length === 0 || red.axes[0] === x.shape.length - red.axes.length;
  let out: Float64Array;
  if (x.contiguous && trailing && n > 0) {
    // One pass per row for the max, one for the sum.
    const rows = x.size / n;
    const d = x.data;
    out = alloc(rows);
    for (let r = 0, p = x.offset; r < rows; r++, p += n) {
      let m = -Infinity;
      for (let k = 0; k < n; k++) if (d[p + k]! > m || d[p + k] !== d[p + k]) m = d[p + k]!;
      const shift = Number.isFinite(m) ? m : 0;
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(d[p + k]! - shift);
      out[r] = Math.log(s) + shift;
    }
  } else {
    const m = n === 0 ? alloc(sizeOfShape(red.shape)) : reduceRaw(x, red.axes, maxR);
    for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i])) m[i] = 0;
    const mk = fresh(m, red.shape);
    const e = mapUnary(expK, mapBinary(subK, x, unreduce(mk, red, x.shape), "logsumexp"));
    out = reduceRaw(e, red.axes, sumR);
    for (let i = 0; i < out.length; i++) out[i] = Math.log(out[i]!) + m[i]!;
  }
  const y = fresh(out, red.shape);
  if (!tracked(x)) return y;
  return record(y, "logsumexp", [x], (g) => [
    mapBinary(mulK, mapBinary(lseGradK, x, unreduce(y, red, x.shape), "logsumexp"), unreduce(g, red, x.shape), "logsumexp"),
  ]);
}

/**
 * `g` summed over the axes along which an array of `shape` was broadcast to
 * `g`'s shape (the adjoint of broadcasting).
 */
export function sumTo(g: NDArray, shape: readonly number[]): NDArray {
  const gs = g.shape;
  if (sameShape(gs, shape)) return g;
  const lead = gs.length - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < gs.length; d++) if (d < lead || (shape[d - lead] === 1 && gs[d] !== 1)) axes.push(d);
  const out = reduceRaw(g, axes, sumR);
  if (out.length !== sizeOfShape(shape)) fail("sumTo", `cannot sum shape ${fmt(gs)} down to ${fmt(shape)}`);
  return fresh(out, shape);
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
