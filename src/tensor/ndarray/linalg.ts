/**
 * `matmul`: batched matrix products with numpy semantics (`np.matmul`): the
 * last two axes multiply, the batch axes broadcast, and a 1-D operand is a
 * row (left) or column (right) vector whose axis is dropped from the result.
 *
 * The kernel reads both operands through their strides, so the transposed
 * views of the gradient are never copied. It runs the i-k-j loop order (the
 * innermost loop walks a row of `b` and of the output), or a matrix-vector
 * kernel when the result has one column: one pass over the matrix whether it
 * is tall and narrow (a plate's `X·w`) or wide and short (its transpose).
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { fresh, NDArray, sizeOf, stridesOf, view } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { broadcastShape, fail, fmt, nd, type NDLike } from "./convert.js";
import { sumTo } from "./reduce.js";
import { reshapeRaw } from "./shape.js";

/** The strides that step `x`'s batch axes (all but the last two) broadcast to `batch`. */
function batchStrides(x: NDArray, batch: readonly number[]): number[] {
  const lead = batch.length - (x.shape.length - 2);
  return batch.map((_, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : x.strides[i - lead]!));
}

/**
 * `out[co + i] = Σ_p a[ao + i·ars + p·acs] · b[bo + p·brs]` for `i < n`: a
 * matrix times a vector. With at most four columns (a plate's `X·w`) each
 * row's sum is written out, one pass down the rows; otherwise four rows share
 * each sweep over `p` (four sums in registers, each read of `b` shared), so a
 * wide matrix with few rows (the transpose, in the gradient) is read in one
 * pass too. Every sum adds its terms in order of `p` starting from 0, as a
 * plain dot product does, so the results do not depend on the path.
 */
function matvec(
  out: Float64Array, co: number, n: number, k: number,
  ad: Float64Array, ao: number, ars: number, acs: number,
  bd: Float64Array, bo: number, brs: number,
): void {
  if (k <= 4 && k > 0) {
    const b0 = bd[bo]!;
    const b1 = k > 1 ? bd[bo + brs]! : 0;
    const b2 = k > 2 ? bd[bo + 2 * brs]! : 0;
    const b3 = k > 3 ? bd[bo + 3 * brs]! : 0;
    const c1 = acs;
    const c2 = 2 * acs;
    const c3 = 3 * acs;
    let a = ao;
    if (k === 1) for (let i = 0; i < n; i++, a += ars) out[co + i] = 0 + ad[a]! * b0;
    else if (k === 2) for (let i = 0; i < n; i++, a += ars) out[co + i] = 0 + ad[a]! * b0 + ad[a + c1]! * b1;
    else if (k === 3) for (let i = 0; i < n; i++, a += ars) out[co + i] = 0 + ad[a]! * b0 + ad[a + c1]! * b1 + ad[a + c2]! * b2;
    else for (let i = 0; i < n; i++, a += ars) out[co + i] = 0 + ad[a]! * b0 + ad[a + c1]! * b1 + ad[a + c2]! * b2 + ad[a + c3]! * b3;
    return;
  }
  matvecBlocks(out, co, n, k, ad, ao, ars, acs, bd, bo, brs);
}

/** {@link matvec} four rows per sweep over `p`. */
function matvecBlocks(
  out: Float64Array, co: number, n: number, k: number,
  ad: Float64Array, ao: number, ars: number, acs: number,
  bd: Float64Array, bo: number, brs: number,
): void {
  for (let i = 0; i < n; i += 4) {
    // A last block of r < 4 rows reads row i in place of the missing ones and drops their sums.
    const r = n - i < 4 ? n - i : 4;
    const d1 = r > 1 ? ars : 0;
    const d2 = r > 2 ? 2 * ars : 0;
    const d3 = r > 3 ? 3 * ars : 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let a = ao + i * ars;
    let bi = bo;
    for (let p = 0; p < k; p++) {
      const v = bd[bi]!;
      s0 += ad[a]! * v;
      s1 += ad[a + d1]! * v;
      s2 += ad[a + d2]! * v;
      s3 += ad[a + d3]! * v;
      a += acs;
      bi += brs;
    }
    out[co + i] = s0;
    if (r > 1) out[co + i + 1] = s1;
    if (r > 2) out[co + i + 2] = s2;
    if (r > 3) out[co + i + 3] = s3;
  }
}

/** `a @ b` for arrays of rank ≥ 2 whose inner sizes agree. */
function matmul2(a: NDArray, b: NDArray): NDArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const n = a.shape[ra - 2]!;
  const k = a.shape[ra - 1]!;
  const m = b.shape[rb - 1]!;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
  const shape = [...batch, n, m];
  const out = alloc(sizeOf(shape));
  const ab = batchStrides(a, batch);
  const bb = batchStrides(b, batch);
  const [ars, acs] = [a.strides[ra - 2]!, a.strides[ra - 1]!];
  const [brs, bcs] = [b.strides[rb - 2]!, b.strides[rb - 1]!];
  const ad = a.data;
  const bd = b.data;
  const nb = sizeOf(batch);
  const counter = new Array<number>(batch.length).fill(0);
  let ao = a.offset;
  let bo = b.offset;
  for (let t = 0; t < nb; t++) {
    const co = t * n * m;
    if (m === 1) {
      matvec(out, co, n, k, ad, ao, ars, acs, bd, bo, brs);
    } else {
      for (let i = 0; i < n; i++) {
        const ci = co + i * m;
        for (let p = 0; p < k; p++) {
          const v = ad[ao + i * ars + p * acs]!;
          const bi = bo + p * brs;
          if (bcs === 1) for (let j = 0; j < m; j++) out[ci + j]! += v * bd[bi + j]!;
          else for (let j = 0, q = bi; j < m; j++, q += bcs) out[ci + j]! += v * bd[q]!;
        }
      }
    }
    for (let d = batch.length - 1; d >= 0; d--) {
      ao += ab[d]!;
      bo += bb[d]!;
      if (++counter[d]! < batch[d]!) break;
      ao -= ab[d]! * batch[d]!;
      bo -= bb[d]! * batch[d]!;
      counter[d] = 0;
    }
  }
  return fresh(out, shape, stridesOf(shape));
}

/** `x` with its last two axes swapped, as a view. */
function mT(x: NDArray): NDArray {
  const r = x.shape.length;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  [shape[r - 2], shape[r - 1]] = [shape[r - 1]!, shape[r - 2]!];
  [strides[r - 2], strides[r - 1]] = [strides[r - 1]!, strides[r - 2]!];
  return view(x, shape, strides, x.offset);
}

/** Batched matrix product of the last two axes, broadcasting batch axes (numpy `matmul`). */
export function matmul(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "matmul", "a");
  const b = nd(b0, "matmul", "b");
  if (a.shape.length === 0 || b.shape.length === 0) {
    fail("matmul", `arguments must have rank >= 1, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  // Promote vectors: a [k] → [1, k], b [k] → [k, 1].
  const a2 = a.shape.length === 1 ? view(a, [1, a.shape[0]!], [0, a.strides[0]!], a.offset) : a;
  const b2 = b.shape.length === 1 ? view(b, [b.shape[0]!, 1], [b.strides[0]!, 0], b.offset) : b;
  const ka = a2.shape[a2.shape.length - 1]!;
  const kb = b2.shape[b2.shape.length - 2]!;
  if (ka !== kb) {
    fail("matmul", `inner dimensions differ: a has shape ${fmt(a.shape)} (${ka} columns), b has shape ${fmt(b.shape)} (${kb} rows)`);
  }
  const y2 = matmul2(a2, b2);
  let shape = y2.shape;
  if (a.shape.length === 1) shape = [...shape.slice(0, -2), shape[shape.length - 1]!];
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  const y = shape === y2.shape ? y2 : fresh(y2.data, shape);
  if (!tracked(a, b)) return y;
  return record(y, "matmul", [a, b], (g, need) => {
    const g2 = reshapeRaw(g, y2.shape);
    return [
      need[0] ? reshapeRaw(sumTo(matmul2(g2, mT(b2)), a2.shape), a.shape) : null,
      need[1] ? reshapeRaw(sumTo(matmul2(mT(a2), g2), b2.shape), b.shape) : null,
    ];
  });
}
