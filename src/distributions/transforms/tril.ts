/**
 * Packing the lower triangle of square matrices into vectors and back (the
 * layout of torch's `vec_to_tril_matrix` / `tril_matrix_to_vec`: the entries
 * `(i, j)` with `j <= i + diagonal`, row by row).
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { DistributionArgumentError } from "../errors.js";

/** The flat positions `i n + j` of the entries with `j <= i + diagonal`, row by row. */
export function trilPositions(n: number, diagonal: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j <= Math.min(i + diagonal, n - 1); j++) out.push(i * n + j);
  return out;
}

/** The number of entries with `j <= i + diagonal` in an `n × n` matrix (`diagonal` is 0 or -1). */
export function trilSize(n: number, diagonal: number): number {
  return trilPositions(n, diagonal).length;
}

/**
 * The matrix size `n` whose triangle (`diagonal` 0: with the diagonal, -1:
 * without) has `m` entries.
 *
 * @throws DistributionArgumentError naming `transform` when no `n` fits.
 */
export function trilSide(m: number, diagonal: 0 | -1, transform: string): number {
  // n (n ± 1) / 2 = m
  const n = diagonal === 0 ? Math.round((Math.sqrt(8 * m + 1) - 1) / 2) : Math.round((Math.sqrt(8 * m + 1) + 1) / 2);
  if (trilSize(n, diagonal) !== m) {
    throw new DistributionArgumentError(transform, "x",
      `${transform}: a vector of length ${m} is not the ${diagonal === 0 ? "lower triangle" : "strict lower triangle"} of a square matrix`);
  }
  return n;
}

/** `x[..., begin : begin + size]` along the last dim. */
export function sliceLast(ops: Ops, x: Tensor, begin: number, size: number): Tensor {
  const r = x.shape.length;
  return ops.slice(x, x.shape.map((_, i) => (i === r - 1 ? begin : 0)), x.shape.map((d, i) => (i === r - 1 ? size : d)));
}

/**
 * `[..., n, n]` matrices whose entry `(i, j)` is `vec[..., place[i n + j]]`,
 * or 0 where `place` is -1.
 */
export function scatterToMatrix(ops: Ops, vec: Tensor, n: number, place: readonly number[]): Tensor {
  const m = vec.shape[vec.shape.length - 1]!;
  const zero = ops.zeros([...vec.shape.slice(0, -1), 1]);
  const idx = ops.tensor(place.map((p) => (p < 0 ? m : p)));
  return ops.reshape(ops.take(ops.concat([vec, zero], -1), idx, -1), [...vec.shape.slice(0, -1), n, n]);
}

/** The entries of `[..., n, n]` matrices at flat positions `positions`, as `[..., positions.length]`. */
export function gatherFromMatrix(ops: Ops, mat: Tensor, positions: readonly number[]): Tensor {
  const n = mat.shape[mat.shape.length - 1]!;
  const flat = ops.reshape(mat, [...mat.shape.slice(0, -2), n * n]);
  return ops.take(flat, ops.tensor([...positions]), -1);
}

/** The lower triangle (`j <= i + diagonal`) of `[..., n, n]` matrices as vectors, row by row. */
export function trilToVec(ops: Ops, mat: Tensor, diagonal: number): Tensor {
  return gatherFromMatrix(ops, mat, trilPositions(mat.shape[mat.shape.length - 1]!, diagonal));
}

/** Vectors of the lower triangle (`j <= i + diagonal`, row by row) as `[..., n, n]` matrices, zero elsewhere. */
export function vecToTril(ops: Ops, vec: Tensor, n: number, diagonal: number): Tensor {
  const place = new Array<number>(n * n).fill(-1);
  trilPositions(n, diagonal).forEach((p, k) => { place[p] = k; });
  return scatterToMatrix(ops, vec, n, place);
}
