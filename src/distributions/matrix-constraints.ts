/**
 * The matrix constraints of Pyro: `lowerCholesky`, `corrCholesky` and
 * `positiveDefinite` (event dim 2: one element is one square matrix).
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import { BaseConstraint } from "./constraint.js";
import { asTensor, finfo, flatNumbers } from "./util.js";

/** The size `n` of a batch of square matrices `[..., n, n]`, or `undefined` when `x` is not one. */
function squareSize(x: Tensor): number | undefined {
  const s = x.shape;
  const r = s.length;
  if (r < 2 || s[r - 1] !== s[r - 2]) return undefined;
  return s[r - 1]!;
}

/** An all-false mask of the batch shape of `x` (for values that are not square matrices). */
function noneOf(ops: Ops, x: Tensor): Tensor {
  const batch = x.shape.length >= 2 ? x.shape.slice(0, -2) : [];
  return ops.lt(ops.zeros(batch), 0);
}

/** `[n, n]` 0/1 entries: 1 strictly above the diagonal. */
export function strictUpperMask(ops: Ops, n: number): Tensor {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = 1;
  return ops.fromFlat(m, [n, n]);
}

/** Lower triangular with a positive diagonal (a mask over the batch dims of `x`). */
function isLowerCholesky(ops: Ops, x: Tensor, n: number): Tensor {
  const upperZero = ops.all(ops.logicalOr(ops.eq(strictUpperMask(ops, n), 0), ops.eq(x, 0)), [-2, -1]);
  const positiveDiag = ops.all(ops.gt(ops.diagonal(x), 0), -1);
  return ops.logicalAnd(upperZero, positiveDiag);
}

/**
 * Lower-triangular matrices with a positive diagonal: Cholesky factors of
 * positive-definite matrices (`MultivariateNormal`'s `scaleTril`).
 */
export class LowerCholesky extends BaseConstraint {
  /** Makes `lowerCholesky`. */
  constructor() {
    super("lowerCholesky", "lower triangular square matrices with a positive diagonal", 2);
  }
  /** Zero above the diagonal and positive on it. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const n = squareSize(x);
    return n === undefined ? noneOf(ops, x) : isLowerCholesky(ops, x, n);
  }
}

/**
 * Cholesky factors of correlation matrices: lower Cholesky factors whose rows
 * have unit Euclidean norm (within torch's tolerance `10 n eps`).
 */
export class CorrCholesky extends BaseConstraint {
  /** Makes `corrCholesky`. */
  constructor() {
    super("corrCholesky", "lower Cholesky factors of correlation matrices (rows of unit norm)", 2);
  }
  /** A lower Cholesky factor with `|‖row‖ - 1| <= 10 n eps` for every row. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const n = squareSize(x);
    if (n === undefined) return noneOf(ops, x);
    const tol = 10 * n * finfo(ops.dtype).eps;
    const rowNorm = ops.sqrt(ops.sum(ops.square(x), -1));
    const unit = ops.all(ops.le(ops.abs(ops.sub(rowNorm, 1)), tol), -1);
    return ops.logicalAnd(isLowerCholesky(ops, x, n), unit);
  }
}

/** Whether the `n × n` row-major matrix at `data[o..]` is symmetric (torch's `isclose`) and has a Cholesky factor. */
function isSymmetricPositiveDefinite(data: Float64Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = data[o + i * n + j]!;
      const b = data[o + j * n + i]!;
      if (!(Math.abs(a - b) <= 1e-6 + 1e-5 * Math.abs(b))) return false;
    }
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = data[o + i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return true;
}

/**
 * Symmetric positive-definite matrices (`MultivariateNormal`'s
 * `covarianceMatrix` and `precisionMatrix`): symmetric within torch's
 * `isclose` tolerance and with a Cholesky factorisation (checked in float64).
 */
export class PositiveDefinite extends BaseConstraint {
  /** Makes `positiveDefinite`. */
  constructor() {
    super("positiveDefinite", "symmetric positive-definite square matrices", 2);
  }
  /** Symmetric, and the Cholesky factorisation succeeds. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const n = squareSize(x);
    if (n === undefined) return noneOf(ops, x);
    const data = flatNumbers(ops, x);
    const batch = x.shape.slice(0, -2);
    const count = n === 0 ? 0 : data.length / (n * n);
    const ok = new Float64Array(count);
    for (let b = 0; b < count; b++) ok[b] = isSymmetricPositiveDefinite(data, b * n * n, n) ? 1 : 0;
    return ops.gt(ops.fromFlat(ok, batch), 0);
  }
}
