/**
 * Float64 JavaScript kernels for the batched linear algebra of `Ops`:
 * Cholesky factorisation and triangular solves.
 *
 * They work on flat row-major data (as `Ops.custom` hands it over), so every
 * backend can use them; gradients are written with ops in `derived.ts`.
 *
 * @module
 */
import { broadcastShapes, formatShape, sizeOf } from "../shape.js";
import type { Shape } from "../types.js";
import { TensorOpError } from "../errors.js";

/** A flat row-major float64 array with its shape. */
export interface FlatTensor {
  /** The values, row-major. */
  readonly data: Float64Array;
  /** The shape of the values. */
  readonly shape: Shape;
}

/**
 * For each flat index of a tensor of shape `out`, the flat index of the
 * element of a tensor of shape `input` that numpy broadcasting reads there.
 *
 * @example
 * ```ts
 * broadcastIndex([2, 3], [3]); // Int32Array [0, 1, 2, 0, 1, 2]
 * ```
 */
export function broadcastIndex(out: Shape, input: Shape): Int32Array {
  const rank = out.length;
  const offset = rank - input.length;
  // Stride of each output axis in the input (0 where the input broadcasts).
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = input.length - 1; i >= 0; i--) {
    if (input[i] !== 1) strides[offset + i] = stride;
    stride *= input[i]!;
  }
  const n = sizeOf(out);
  const result = new Int32Array(n);
  const counter = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    result[k] = pos;
    for (let ax = rank - 1; ax >= 0; ax--) {
      counter[ax]!++;
      pos += strides[ax]!;
      if (counter[ax]! < out[ax]!) break;
      pos -= strides[ax]! * counter[ax]!;
      counter[ax] = 0;
    }
  }
  return result;
}

function checkSquare(op: string, arg: string, shape: Shape): number {
  const r = shape.length;
  if (r < 2 || shape[r - 1] !== shape[r - 2]) {
    throw new TensorOpError(`ops.${op}: argument ${arg} must be a batch of square matrices [..., n, n], got shape ${formatShape(shape)}`);
  }
  return shape[r - 1]!;
}

/**
 * Lower Cholesky factors of a batch of symmetric positive-definite matrices
 * (Cholesky–Banachiewicz, row by row). Only the lower triangle of each matrix
 * is read.
 *
 * @throws Error naming the batch element when a matrix is not positive definite.
 * @example
 * ```ts
 * choleskyKernel(new Float64Array([4, 2, 2, 5]), [2, 2]).data; // [2, 0, 1, 2]
 * ```
 */
export function choleskyKernel(a: Float64Array, shape: Shape): FlatTensor {
  const n = checkSquare("cholesky", "a", shape);
  const nn = n * n;
  const batch = nn === 0 ? 0 : a.length / nn;
  const out = new Float64Array(a.length);
  for (let b = 0; b < batch; b++) {
    const o = b * nn;
    for (let i = 0; i < n; i++) {
      const ri = o + i * n;
      for (let j = 0; j <= i; j++) {
        const rj = o + j * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= out[ri + k]! * out[rj + k]!;
        if (i === j) {
          if (!(s > 0)) {
            throw new TensorOpError(
              `ops.cholesky: matrix is not positive definite (batch element ${b}` +
                ` of batch shape ${formatShape(shape.slice(0, -2))}, pivot ${i} is ${s})`,
            );
          }
          out[ri + i] = Math.sqrt(s);
        } else {
          out[ri + j] = s / out[rj + j]!;
        }
      }
    }
  }
  return { data: out, shape: [...shape] };
}

/**
 * Solves `m x = b` for each matrix of a batch, where `m = a` or `m = aᵀ` and
 * `a` is lower or upper triangular; batch axes of `a` (`[..., n, n]`) and `b`
 * (`[..., n, k]`) broadcast. Only the triangle of `a` named by `lower` is read.
 *
 * @example
 * ```ts
 * // [[2, 0], [1, 1]] x = [[2], [3]]  →  x = [[1], [2]]
 * triangularSolveKernel(new Float64Array([2, 0, 1, 1]), [2, 2], new Float64Array([2, 3]), [2, 1], true, false).data;
 * ```
 */
export function triangularSolveKernel(
  a: Float64Array,
  aShape: Shape,
  b: Float64Array,
  bShape: Shape,
  lower: boolean,
  transpose: boolean,
): FlatTensor {
  const n = checkSquare("triangularSolve", "a", aShape);
  const rb = bShape.length;
  if (rb < 2 || bShape[rb - 2] !== n) {
    throw new TensorOpError(
      `ops.triangularSolve: argument b must have shape [..., ${n}, k] to match a of shape ` +
        `${formatShape(aShape)}, got shape ${formatShape(bShape)}`,
    );
  }
  const k = bShape[rb - 1]!;
  let batchShape: number[];
  try {
    batchShape = broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2));
  } catch {
    throw new TensorOpError(
      `ops.triangularSolve: batch shapes of a ${formatShape(aShape)} and b ${formatShape(bShape)} do not broadcast`,
    );
  }
  const aIdx = broadcastIndex(batchShape, aShape.slice(0, -2));
  const bIdx = broadcastIndex(batchShape, bShape.slice(0, -2));
  const nn = n * n;
  const nk = n * k;
  const out = new Float64Array(aIdx.length * nk);
  // m[i][j] = a[i][j] (or a[j][i]); m is lower triangular iff lower != transpose.
  const rowStride = transpose ? 1 : n;
  const colStride = transpose ? n : 1;
  const forward = lower !== transpose;
  for (let t = 0; t < aIdx.length; t++) {
    const ao = aIdx[t]! * nn;
    const bo = bIdx[t]! * nk;
    const xo = t * nk;
    for (let step = 0; step < n; step++) {
      const i = forward ? step : n - 1 - step;
      const mi = ao + i * rowStride;
      const diag = a[mi + i * colStride]!;
      const jFrom = forward ? 0 : i + 1;
      const jTo = forward ? i : n;
      for (let c = 0; c < k; c++) {
        let s = b[bo + i * k + c]!;
        for (let j = jFrom; j < jTo; j++) s -= a[mi + j * colStride]! * out[xo + j * k + c]!;
        out[xo + i * k + c] = s / diag;
      }
    }
  }
  return { data: out, shape: [...batchShape, n, k] };
}
