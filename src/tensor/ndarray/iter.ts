/**
 * Loop drivers for elementwise kernels over strided, broadcast operands.
 *
 * Each op supplies its own small kernel (one monomorphic loop, so V8 inlines
 * the arithmetic) and these drivers call it on runs of elements: once over
 * the whole array in the common cases (same-shape contiguous operands, or a
 * scalar with a contiguous array), else once per run along the longest axis
 * after merging axes that are laid out contiguously in every operand. Outputs
 * are fresh contiguous arrays, except that a unary op of a broadcast view
 * returns the same broadcast of its result on the distinct elements.
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { fresh, NDArray, stridesOf, view } from "./array.js";
import { broadcastShape, sameShape } from "./convert.js";

/**
 * A unary kernel: `o[oi + i·so] = f(a[ai + i·sa])` for `i < n`.
 * Kernels should special-case `so === 1 && sa === 1`.
 */
export type UnaryKernel = (o: Float64Array, oi: number, so: number, a: Float64Array, ai: number, sa: number, n: number) => void;

/** A binary kernel: `o[oi + i·so] = f(a[ai + i·sa], b[bi + i·sb])` for `i < n`. */
export type BinaryKernel = (
  o: Float64Array, oi: number, so: number,
  a: Float64Array, ai: number, sa: number,
  b: Float64Array, bi: number, sb: number,
  n: number,
) => void;

/** The strides that read `x` broadcast to `shape` (0 along broadcast axes). */
export function broadcastStrides(x: NDArray, shape: readonly number[]): number[] {
  const r = shape.length;
  const lead = r - x.shape.length;
  const s = new Array<number>(r);
  for (let i = 0; i < r; i++) s[i] = i < lead || x.shape[i - lead] === 1 ? 0 : x.strides[i - lead]!;
  return s;
}

/**
 * A loop plan: axes of size 1 dropped and adjacent axes merged where every
 * operand steps through them as one; `inner` is the axis the kernel runs along.
 */
interface Plan {
  shape: number[];
  strides: number[][];
  inner: number;
}

function plan(shape: readonly number[], strides: readonly (readonly number[])[]): Plan {
  const k = strides.length;
  const ps: number[] = [];
  const pst: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = ps.length - 1;
    let merge = last >= 0;
    for (let j = 0; j < k && merge; j++) if (pst[j]![last]! !== strides[j]![d]! * n) merge = false;
    if (merge) {
      ps[last]! *= n;
      for (let j = 0; j < k; j++) pst[j]![last] = strides[j]![d]!;
    } else {
      ps.push(n);
      for (let j = 0; j < k; j++) pst[j]!.push(strides[j]![d]!);
    }
  }
  if (ps.length === 0) {
    ps.push(1);
    for (let j = 0; j < k; j++) pst[j]!.push(0);
  }
  let inner = ps.length - 1;
  for (let d = ps.length - 2; d >= 0; d--) if (ps[d]! > ps[inner]! * 4) inner = d;
  return { shape: ps, strides: pst, inner };
}

/** Output (contiguous) strides of a plan's shape. */
function outStrides(shape: readonly number[]): number[] {
  return stridesOf(shape) as number[];
}

/**
 * Visits every run of a plan: calls `visit(offsets)` with the start offset of
 * each operand (operand 0 is the output) for each position of the other axes.
 */
function forEachRun(p: Plan, offsets: number[], visit: (offs: number[]) => void): void {
  const { shape, strides, inner } = p;
  const r = shape.length;
  const k = strides.length;
  const idx = new Array<number>(r).fill(0);
  let runs = 1;
  for (let d = 0; d < r; d++) if (d !== inner) runs *= shape[d]!;
  for (let run = 0; run < runs; run++) {
    visit(offsets);
    for (let d = r - 1; d >= 0; d--) {
      if (d === inner) continue;
      for (let j = 0; j < k; j++) offsets[j]! += strides[j]![d]!;
      if (++idx[d]! < shape[d]!) break;
      for (let j = 0; j < k; j++) offsets[j]! -= strides[j]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** `x` with its broadcast (stride-0, size > 1) axes cut to size 1, or `undefined` if it has none. */
function compact(x: NDArray): NDArray | undefined {
  const { shape, strides } = x;
  let found = false;
  for (let d = 0; d < shape.length; d++) if (strides[d] === 0 && shape[d]! > 1) found = true;
  if (!found) return undefined;
  return view(x, shape.map((s, d) => (strides[d] === 0 ? 1 : s)), strides, x.offset);
}

/**
 * Whether `x`, as an operand against an array of shape `shape`, is a single
 * value: one element of no higher rank, or one value broadcast (every stride
 * 0) to exactly `shape` — the cotangent of a sum, say.
 */
function oneValue(x: NDArray, shape: readonly number[]): boolean {
  if (x.size === 1) return x.shape.length <= shape.length;
  if (x.size === 0 || !sameShape(x.shape, shape)) return false;
  for (let d = 0; d < x.strides.length; d++) if (x.strides[d] !== 0 && x.shape[d] !== 1) return false;
  return true;
}

/**
 * `f(x)` elementwise, in a fresh contiguous array of `x`'s shape — except for
 * a broadcast view, whose result is the same broadcast of `f` of its distinct
 * elements (no op writes into arrays, so sharing is safe).
 */
export function mapUnary(k: UnaryKernel, x: NDArray): NDArray {
  const n = x.size;
  if (x.contiguous) {
    const out = alloc(n);
    k(out, 0, 1, x.data, x.offset, 1, n);
    return fresh(out, x.shape, x.strides);
  }
  const c = n > 0 ? compact(x) : undefined;
  if (c !== undefined) {
    // A broadcast view: compute each distinct element once, broadcast the result.
    const y = mapUnary(k, c);
    return new NDArray(y.data, x.shape, x.strides.map((s, d) => (s === 0 ? 0 : y.strides[d]!)), 0, n, false);
  }
  const out = alloc(n);
  if (n > 0) {
    const p = plan(x.shape, [outStrides(x.shape), x.strides]);
    const len = p.shape[p.inner]!;
    const so = p.strides[0]![p.inner]!;
    const sa = p.strides[1]![p.inner]!;
    const a = x.data;
    forEachRun(p, [0, x.offset], (o) => k(out, o[0]!, so, a, o[1]!, sa, len));
  }
  return fresh(out, x.shape);
}

/** `f(a, b)` elementwise with numpy broadcasting into a fresh array. */
export function mapBinary(k: BinaryKernel, a: NDArray, b: NDArray, op: string): NDArray {
  const as = a.shape;
  const bs = b.shape;
  // Fast paths: equal contiguous shapes, or one operand a single value against a contiguous other.
  if (a.contiguous && b.contiguous && (as === bs || sameShape(as, bs))) {
    const out = alloc(a.size);
    k(out, 0, 1, a.data, a.offset, 1, b.data, b.offset, 1, a.size);
    return fresh(out, as, a.strides);
  }
  if (a.contiguous && oneValue(b, as)) {
    const out = alloc(a.size);
    k(out, 0, 1, a.data, a.offset, 1, b.data, b.offset, 0, a.size);
    return fresh(out, as, a.strides);
  }
  if (b.contiguous && oneValue(a, bs)) {
    const out = alloc(b.size);
    k(out, 0, 1, a.data, a.offset, 0, b.data, b.offset, 1, b.size);
    return fresh(out, bs, b.strides);
  }
  const shape = broadcastShape(as, bs, op);
  const os = outStrides(shape);
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  const out = alloc(n);
  if (n > 0) {
    const p = plan(shape, [os, broadcastStrides(a, shape), broadcastStrides(b, shape)]);
    const len = p.shape[p.inner]!;
    const so = p.strides[0]![p.inner]!;
    const sa = p.strides[1]![p.inner]!;
    const sb = p.strides[2]![p.inner]!;
    const ad = a.data;
    const bd = b.data;
    forEachRun(p, [0, a.offset, b.offset], (o) => k(out, o[0]!, so, ad, o[1]!, sa, bd, o[2]!, sb, len));
  }
  return fresh(out, shape, os);
}

/** `cond ≠ 0 ? a : b` elementwise with numpy broadcasting of all three. */
export function mapWhere(c: NDArray, a: NDArray, b: NDArray, op: string): NDArray {
  const shape = broadcastShape(broadcastShape(c.shape, a.shape, op), b.shape, op);
  const os = outStrides(shape);
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  const out = alloc(n);
  if (n > 0) {
    const p = plan(shape, [os, broadcastStrides(c, shape), broadcastStrides(a, shape), broadcastStrides(b, shape)]);
    const len = p.shape[p.inner]!;
    const [so, sc, sa, sb] = p.strides.map((s) => s[p.inner]!) as [number, number, number, number];
    const cd = c.data;
    const ad = a.data;
    const bd = b.data;
    forEachRun(p, [0, c.offset, a.offset, b.offset], (o) => {
      let oi = o[0]!;
      let ci = o[1]!;
      let ai = o[2]!;
      let bi = o[3]!;
      for (let i = 0; i < len; i++, oi += so, ci += sc, ai += sa, bi += sb) out[oi] = cd[ci] !== 0 ? ad[ai]! : bd[bi]!;
    });
  }
  return fresh(out, shape, os);
}
