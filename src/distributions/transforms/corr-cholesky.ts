/**
 * `CorrCholeskyTransform`: unconstrained vectors onto Cholesky factors of
 * correlation matrices.
 *
 * @module
 */
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { asTensor, finfo } from "../util.js";
import { trilSide, trilToVec, vecToTril } from "./tril.js";
import { Transform } from "./transform.js";

/**
 * Pyro's (torch's) `CorrCholeskyTransform`: a vector `x` of length
 * `n(n-1)/2` maps to `r = tanh(x)` (clamped into `(-1 + eps, 1 - eps)`),
 * placed in the strict lower triangle row by row; each row is then completed
 * by stick breaking on the squares, `y_ij = r_ij √(1 - Σ_{k<j} y_ik²)`, with
 * the diagonal `y_ii = √(1 - Σ_{k<i} y_ik²)`, so every row has unit norm
 * (Stan's parameterisation). The log-det-Jacobian is that of `x` ↦ the strict
 * lower triangle of `y`.
 *
 * @example
 * ```ts
 * new CorrCholeskyTransform(ctx).forward([0]); // [[1, 0], [0, 1]]
 * ```
 */
export class CorrCholeskyTransform extends Transform {
  /** `realVector`. */
  get domain(): Constraint {
    return constraints.realVector;
  }

  /** `corrCholesky`. */
  get codomain(): Constraint {
    return constraints.corrCholesky;
  }

  /** `tanh`, then stick breaking along each row. */
  forward(x: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const n = trilSide(xt.shape[xt.shape.length - 1]!, -1, this.name);
    const { eps } = finfo(ops.dtype);
    const r = vecToTril(ops, ops.clamp(ops.tanh(xt), -1 + eps, 1 - eps), n, -1);
    // √(Π_{k<=j} (1 - r_ik²)), shifted right by one column (1 in column 0).
    const logRest = ops.cumsum(ops.mul(0.5, ops.log1p(ops.neg(ops.square(r)))), -1, { exclusive: true });
    return ops.mul(ops.add(r, ops.eye(n)), ops.exp(logRest));
  }

  /** `atanh(y_ij / √(1 - Σ_{k<j} y_ik²))` on the strict lower triangle. */
  inverse(y: TensorLike): Tensor {
    const { ops } = this;
    const yt = asTensor(ops, y);
    const rest = ops.sub(1, ops.cumsum(ops.square(yt), -1, { exclusive: true }));
    const t = ops.div(trilToVec(ops, yt, -1), ops.sqrt(trilToVec(ops, rest, -1)));
    return ops.mul(0.5, ops.sub(ops.log1p(t), ops.log1p(ops.neg(t))));
  }

  /**
   * `½ Σ_{j <= i-2} log(1 - Σ_{k<=j} y_ik²)` (stick breaking) plus
   * `Σ log(1 - tanh² x) = -2 Σ (x + softplus(-2x) - log 2)` (tanh).
   */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const rest = ops.sub(1, ops.cumsum(ops.square(asTensor(ops, y)), -1));
    const stick = ops.mul(0.5, ops.sum(ops.log(trilToVec(ops, rest, -2)), -1));
    const tanh = ops.mul(-2, ops.sum(ops.sub(ops.add(xt, ops.softplus(ops.mul(-2, xt))), Math.LN2), -1));
    return ops.add(stick, tanh);
  }

  /** `[..., n(n-1)/2]` → `[..., n, n]`. */
  override forwardShape(shape: Shape): Shape {
    const n = trilSide(shape[shape.length - 1]!, -1, this.name);
    return [...shape.slice(0, -1), n, n];
  }

  /** `[..., n, n]` → `[..., n(n-1)/2]`. */
  override inverseShape(shape: Shape): Shape {
    const n = shape[shape.length - 1]!;
    return [...shape.slice(0, -2), (n * (n - 1)) / 2];
  }
}
