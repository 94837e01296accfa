/**
 * Batched linear algebra of the Gaussian families (torch's `_batch_mv`,
 * `_batch_mahalanobis`, `_precision_to_scale_tril`), on `Ops`: matrices are
 * the last two axes, and batch axes broadcast.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";

/** The matrix transpose of the last two axes. */
export function transposeLast(ops: Ops, x: Tensor): Tensor {
  const r = x.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return ops.transpose(x, perm);
}

/** The matrix-vector product `A x` of `[..., n, k]` matrices and `[..., k]` vectors. */
export function matvec(ops: Ops, a: Tensor, x: Tensor): Tensor {
  return ops.squeeze(ops.matmul(a, ops.unsqueeze(x, -1)), -1);
}

/** `L⁻¹ x` for lower-triangular `[..., n, n]` matrices `L` and `[..., n]` vectors `x`. */
export function lowerSolveVec(ops: Ops, l: Tensor, x: Tensor): Tensor {
  return ops.squeeze(ops.triangularSolve(l, ops.unsqueeze(x, -1), { lower: true }), -1);
}

/** `‖L⁻¹ x‖²`, the squared Mahalanobis distance of `x` under the covariance `L Lᵀ`. */
export function batchMahalanobis(ops: Ops, l: Tensor, x: Tensor): Tensor {
  return ops.sum(ops.square(lowerSolveVec(ops, l, x)), -1);
}

/** `Σ_i log L_ii = ½ log det(L Lᵀ)` for lower-triangular `L` with a positive diagonal. */
export function halfLogDet(ops: Ops, l: Tensor): Tensor {
  return ops.sum(ops.log(ops.diagonal(l)), -1);
}

/** The squared Frobenius norm `tr(X Xᵀ)` of `[..., n, k]` matrices. */
export function traceXXT(ops: Ops, x: Tensor): Tensor {
  return ops.sum(ops.square(x), [-2, -1]);
}

/** `[..., n, n]` matrices with rows and columns reversed (`flip(x, (-2, -1))`). */
export function flipMatrix(ops: Ops, x: Tensor): Tensor {
  const n = x.shape[x.shape.length - 1]!;
  const rev = ops.tensor(Array.from({ length: n }, (_, i) => n - 1 - i));
  return ops.take(ops.take(x, rev, -1), rev, -2);
}

/**
 * The lower Cholesky factor of the inverse of positive-definite `P`, as
 * torch's `_precision_to_scale_tril`: with `flip(P) = Lf Lfᵀ`,
 * `U = flip(Lf)` is upper triangular and `P = U Uᵀ`, so `P⁻¹ = U⁻ᵀ U⁻¹` and
 * `U⁻ᵀ = (Uᵀ)⁻¹` is the lower factor — no explicit inverse of `P` is formed.
 */
export function precisionToScaleTril(ops: Ops, precision: Tensor): Tensor {
  const n = precision.shape[precision.shape.length - 1]!;
  const lf = ops.cholesky(flipMatrix(ops, precision));
  const lInv = transposeLast(ops, flipMatrix(ops, lf));
  return ops.triangularSolve(lInv, ops.eye(n), { lower: true });
}

/** `(L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹` for lower-triangular `L` (torch's `cholesky_inverse`). */
export function choleskyInverse(ops: Ops, l: Tensor): Tensor {
  const n = l.shape[l.shape.length - 1]!;
  const lInv = ops.triangularSolve(l, ops.eye(n), { lower: true });
  return ops.matmul(transposeLast(ops, lInv), lInv);
}
