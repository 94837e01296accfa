/**
 * `CholeskyTransform`: positive-definite matrices onto their Cholesky factors.
 *
 * @module
 */
import type { Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { asTensor } from "../util.js";
import { transposeLast } from "../linalg.js";
import { Transform } from "./transform.js";

/**
 * `y = cholesky(x)` from `positiveDefinite` onto `lowerCholesky` (Pyro's and
 * NumPyro's `CholeskyTransform`); the inverse is `L Lᵀ`. The Jacobian is
 * that of the lower triangle of `x` ↦ `y`: `log|det| = -n log 2 - Σ_i (n - i) log y_ii`
 * (0-based `i`), the inverse of `d(L Lᵀ)/dL = 2ⁿ Π L_ii^(n-i)`.
 * `bijectTo(positiveDefinite)` is `LowerCholeskyTransform` then `CholeskyTransform.inv`.
 *
 * @example
 * ```ts
 * new CholeskyTransform(ctx).forward([[4, 2], [2, 5]]); // [[2, 0], [1, 2]]
 * ```
 */
export class CholeskyTransform extends Transform {
  /** `positiveDefinite`. */
  get domain(): Constraint {
    return constraints.positiveDefinite;
  }

  /** `lowerCholesky`. */
  get codomain(): Constraint {
    return constraints.lowerCholesky;
  }

  /** `cholesky(x)`. */
  forward(x: TensorLike): Tensor {
    return this.ops.cholesky(x);
  }

  /** `y yᵀ`. */
  inverse(y: TensorLike): Tensor {
    const yt = asTensor(this.ops, y);
    return this.ops.matmul(yt, transposeLast(this.ops, yt));
  }

  /** `-n log 2 - Σ_i (n - i) log y_ii`. */
  logAbsDetJacobian(_x: TensorLike, y: TensorLike): Tensor {
    const { ops } = this;
    const yt = asTensor(ops, y);
    const n = yt.shape[yt.shape.length - 1]!;
    const order = ops.sub(n, ops.arange(n));
    return ops.sub(ops.neg(ops.sum(ops.mul(order, ops.log(ops.diagonal(yt))), -1)), n * Math.LN2);
  }
}
