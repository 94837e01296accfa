/**
 * Shape ops: `reshape`, `expand`, `squeeze`, `unsqueeze`, `transpose`,
 * `slice` (all views of the same storage where the layout allows), and
 * `concat`, `stack`, `unstack`, `pad`. Gradients undo the layout change
 * (`expand` sums back over the broadcast axes; `slice` and `pad` are each
 * other's adjoints).
 *
 * @module
 */
import type { Shape } from "../types.js";
import { alloc } from "./alloc.js";
import { contiguous, fresh, NDArray, sizeOf, stridesOf, view } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { checkShape, fail, fmt, nd, normAxis, sameShape, type NDLike } from "./convert.js";
import { sumTo } from "./reduce.js";

/** `x` with another shape of the same size, as a view whenever the layout allows. */
export function reshapeRaw(x: NDArray, shape: readonly number[]): NDArray {
  if (x.contiguous) return view(x, shape, stridesOf(shape), x.offset);
  // Only size-1 axes added or removed: keep the strides of the other axes.
  const strides: number[] = [];
  let j = 0;
  const xs = x.shape;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) {
      strides.push(0);
      continue;
    }
    while (j < xs.length && xs[j] === 1) j++;
    if (j >= xs.length || xs[j] !== shape[d]) return view(contiguous(x), shape, stridesOf(shape), 0);
    strides.push(x.strides[j++]!);
  }
  while (j < xs.length && xs[j] === 1) j++;
  if (j !== xs.length) return view(contiguous(x), shape, stridesOf(shape), 0);
  return view(x, shape, strides, x.offset);
}

/** `x` with a new shape of the same size; one entry may be -1 (inferred). */
export function reshape(x0: NDLike, shape: Shape): NDArray {
  const x = nd(x0, "reshape", "x");
  if (!Array.isArray(shape)) fail("reshape", "argument shape must be an array");
  const s = shape.slice();
  const free = s.indexOf(-1);
  if (free >= 0) {
    s[free] = 1;
    const rest = sizeOf(checkShape(s, "reshape"));
    if (rest === 0 || x.size % rest !== 0) {
      fail("reshape", `cannot reshape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
    }
    s[free] = x.size / rest;
  }
  checkShape(s, "reshape");
  if (sizeOf(s) !== x.size) fail("reshape", `cannot reshape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
  if (sameShape(s, x.shape)) return x;
  const y = reshapeRaw(x, s);
  if (!tracked(x)) return y;
  return record(y, "reshape", [x], (g) => [reshapeRaw(g, x.shape)]);
}

/** `x` broadcast to `shape` (numpy `broadcast_to`), as a stride-0 view. */
export function expand(x0: NDLike, shape: Shape): NDArray {
  const x = nd(x0, "expand", "x");
  const s = checkShape(shape, "expand");
  const lead = s.length - x.shape.length;
  const bad = () => fail("expand", `cannot broadcast shape ${fmt(x.shape)} to ${fmt(s)}`);
  if (lead < 0) bad();
  const strides = new Array<number>(s.length);
  for (let d = 0; d < s.length; d++) {
    if (d < lead) strides[d] = 0;
    else if (x.shape[d - lead] === s[d]) strides[d] = x.strides[d - lead]!;
    else if (x.shape[d - lead] === 1) strides[d] = 0;
    else bad();
  }
  if (sameShape(s, x.shape)) return x;
  const y = view(x, s, strides, x.offset);
  if (!tracked(x)) return y;
  return record(y, "expand", [x], (g) => [sumTo(g, x.shape)]);
}

/** A view with different axes; its gradient reshapes back (only size-1 axes differ). */
function reaxis(op: string, x: NDArray, shape: number[], strides: number[]): NDArray {
  const y = view(x, shape, strides, x.offset);
  if (!tracked(x)) return y;
  return record(y, op, [x], (g) => [reshapeRaw(g, x.shape)]);
}

/** `x` without size-1 axes (only the given ones when `axis` is given). */
export function squeeze(x0: NDLike, axis?: number | readonly number[]): NDArray {
  const x = nd(x0, "squeeze", "x");
  const r = x.shape.length;
  const drop = new Array<boolean>(r).fill(false);
  if (axis === undefined) for (let d = 0; d < r; d++) drop[d] = x.shape[d] === 1;
  else {
    for (const a of typeof axis === "number" ? [axis] : axis) {
      const d = normAxis(a, r, "squeeze");
      if (x.shape[d] !== 1) fail("squeeze", `axis ${a} has size ${x.shape[d]}, not 1, in shape ${fmt(x.shape)}`);
      drop[d] = true;
    }
  }
  const shape: number[] = [];
  const strides: number[] = [];
  for (let d = 0; d < r; d++) if (!drop[d]) shape.push(x.shape[d]!), strides.push(x.strides[d]!);
  if (shape.length === r) return x;
  return reaxis("squeeze", x, shape, strides);
}

/** `x` with a new size-1 axis at `axis` (-1: last). */
export function unsqueeze(x0: NDLike, axis: number): NDArray {
  const x = nd(x0, "unsqueeze", "x");
  const d = normAxis(axis, x.shape.length + 1, "unsqueeze");
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, 0);
  return reaxis("unsqueeze", x, shape, strides);
}

/** `x` with its axes permuted (reversed by default), as a view. */
export function transpose(x0: NDLike, perm?: readonly number[]): NDArray {
  const x = nd(x0, "transpose", "x");
  const r = x.shape.length;
  const p = perm === undefined ? x.shape.map((_, i) => r - 1 - i) : perm.map((a) => normAxis(a, r, "transpose"));
  if (p.length !== r || new Set(p).size !== r) {
    fail("transpose", `argument perm ${fmt(perm ?? [])} is not a permutation of the ${r} axes of shape ${fmt(x.shape)}`);
  }
  const y = view(x, p.map((d) => x.shape[d]!), p.map((d) => x.strides[d]!), x.offset);
  if (!tracked(x)) return y;
  const inv = new Array<number>(r);
  for (let i = 0; i < r; i++) inv[p[i]!] = i;
  return record(y, "transpose", [x], (g) => [view(g, inv.map((d) => g.shape[d]!), inv.map((d) => g.strides[d]!), g.offset)]);
}

/** Checks `begin`/`size` of a slice of `x`, resolving size -1; returns the sizes. */
function sliceSizes(x: NDArray, begin: readonly number[], size: readonly number[]): number[] {
  const r = x.shape.length;
  if (!Array.isArray(begin) || !Array.isArray(size) || begin.length !== r || size.length !== r) {
    fail("slice", `arguments begin and size must have one entry per axis of shape ${fmt(x.shape)}, got ${fmt(begin)} and ${fmt(size)}`);
  }
  return size.map((s, d) => {
    const b = begin[d]!;
    const n = x.shape[d]!;
    const len = s === -1 ? n - b : s;
    if (!Number.isInteger(b) || !Number.isInteger(len) || b < 0 || len < 0 || b + len > n) {
      fail("slice", `begin ${fmt(begin)} with size ${fmt(size)} is out of bounds for shape ${fmt(x.shape)}`);
    }
    return len;
  });
}

/** The slice `[begin, begin + size)` of each axis, as a view. */
export function sliceRaw(x: NDArray, begin: readonly number[], sizes: readonly number[]): NDArray {
  let off = x.offset;
  for (let d = 0; d < begin.length; d++) off += begin[d]! * x.strides[d]!;
  return view(x, sizes, x.strides, off);
}

/** Writes the elements of `src` into `dst` at the layout `strides`, `offset` (shaped like `src`). */
function assign(src: NDArray, dst: Float64Array, strides: readonly number[], offset: number): void {
  const shape = src.shape;
  const r = shape.length;
  if (src.size === 0) return;
  if (r === 0) {
    dst[offset] = src.data[src.offset]!;
    return;
  }
  const n = shape[r - 1]!;
  const ss = src.strides[r - 1]!;
  const ds = strides[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let sp = src.offset;
  let dp = offset;
  const rows = src.size / n;
  const sd = src.data;
  for (let row = 0; row < rows; row++) {
    for (let j = 0, a = sp, b = dp; j < n; j++, a += ss, b += ds) dst[b] = sd[a]!;
    for (let d = r - 2; d >= 0; d--) {
      sp += src.strides[d]!;
      dp += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      sp -= src.strides[d]! * shape[d]!;
      dp -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** A contiguous slice; `size` -1 means to the end of the axis. */
export function slice(x0: NDLike, begin: readonly number[], size: readonly number[]): NDArray {
  const x = nd(x0, "slice", "x");
  const sizes = sliceSizes(x, begin, size);
  const y = sliceRaw(x, begin, sizes);
  if (!tracked(x)) return y;
  return record(y, "slice", [x], (g) => [padRaw(g, x.shape, begin, 0)]);
}

/** `x` placed at `begin` inside an array of `shape` filled with `value`. */
function padRaw(x: NDArray, shape: readonly number[], begin: readonly number[], value: number): NDArray {
  const out = alloc(sizeOf(shape));
  if (value !== 0) out.fill(value);
  const strides = stridesOf(shape);
  let off = 0;
  for (let d = 0; d < begin.length; d++) off += begin[d]! * strides[d]!;
  assign(x, out, strides, off);
  return fresh(out, shape, strides);
}

/** `x` padded with `value` (default 0): `paddings[i] = [before, after]` for axis `i`. */
export function pad(x0: NDLike, paddings: readonly (readonly [number, number])[], value = 0): NDArray {
  const x = nd(x0, "pad", "x");
  const r = x.shape.length;
  if (!Array.isArray(paddings) || paddings.length !== r) {
    fail("pad", `argument paddings must have one [before, after] pair per axis of shape ${fmt(x.shape)}`);
  }
  const begin: number[] = [];
  const shape: number[] = [];
  for (let d = 0; d < r; d++) {
    const p = paddings[d];
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      fail("pad", `paddings[${d}] must be a pair of non-negative whole numbers`);
    }
    begin.push(p[0]!);
    shape.push(p[0]! + x.shape[d]! + p[1]!);
  }
  const y = padRaw(x, shape, begin, value);
  if (!tracked(x)) return y;
  return record(y, "pad", [x], (g) => [sliceRaw(g, begin, x.shape)]);
}

/** Arrays joined along an existing axis (default 0). */
export function concat(xs0: readonly NDLike[], axis = 0): NDArray {
  if (!Array.isArray(xs0) || xs0.length === 0) fail("concat", "argument xs must be a non-empty array of arrays");
  const xs = xs0.map((x, i) => nd(x, "concat", `xs[${i}]`));
  const first = xs[0]!;
  const r = first.shape.length;
  if (r === 0) fail("concat", "cannot concatenate scalars (use stack)");
  const ax = normAxis(axis, r, "concat");
  const shape = first.shape.slice();
  shape[ax] = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = xs[i]!.shape;
    const ok = s.length === r && s.every((d, k) => k === ax || d === first.shape[k]);
    if (!ok) fail("concat", `xs[${i}] has shape ${fmt(s)}, which does not match ${fmt(first.shape)} off axis ${axis}`);
    shape[ax]! += s[ax]!;
  }
  const out = alloc(sizeOf(shape));
  const strides = stridesOf(shape);
  const starts: number[] = [];
  let at = 0;
  for (const x of xs) {
    starts.push(at);
    assign(x, out, strides, at * strides[ax]!);
    at += x.shape[ax]!;
  }
  const y = fresh(out, shape, strides);
  if (!xs.some((x) => tracked(x))) return y;
  return record(y, "concat", xs, (g, need) =>
    xs.map((x, i) => {
      if (!need[i]) return null;
      const begin = new Array<number>(r).fill(0);
      begin[ax] = starts[i]!;
      return sliceRaw(g, begin, x.shape);
    }),
  );
}

/** Arrays of one shape stacked along a new axis (default 0). */
export function stack(xs0: readonly NDLike[], axis = 0): NDArray {
  if (!Array.isArray(xs0) || xs0.length === 0) fail("stack", "argument xs must be a non-empty array of arrays");
  const xs = xs0.map((x, i) => nd(x, "stack", `xs[${i}]`));
  const s0 = xs[0]!.shape;
  xs.forEach((x, i) => {
    if (!sameShape(x.shape, s0)) fail("stack", `xs[${i}] has shape ${fmt(x.shape)}, but xs[0] has ${fmt(s0)}`);
  });
  const ax = normAxis(axis, s0.length + 1, "stack");
  return concat(xs.map((x) => unsqueeze(x, ax)), ax);
}

/** The slices of `x` along `axis` (default 0). */
export function unstack(x0: NDLike, axis = 0): NDArray[] {
  const x = nd(x0, "unstack", "x");
  if (x.shape.length === 0) fail("unstack", "cannot unstack a scalar");
  const ax = normAxis(axis, x.shape.length, "unstack");
  const size = x.shape.map((d, k) => (k === ax ? 1 : d));
  const out: NDArray[] = [];
  for (let i = 0; i < x.shape[ax]!; i++) {
    const begin = x.shape.map((_, k) => (k === ax ? i : 0));
    out.push(squeeze(slice(x, begin, size), ax));
  }
  return out;
}
