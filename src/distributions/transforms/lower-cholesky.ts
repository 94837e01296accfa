/**
 * `LowerCholeskyTransform`: unconstrained vectors onto lower Cholesky factors.
 *
 * @module
 */
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { asTensor } from "../util.js";
import { gatherFromMatrix, scatterToMatrix, sliceLast, trilPositions, trilSide, trilSize } from "./tril.js";
import { Transform } from "./transform.js";

/** Where each matrix entry comes from in `[strict lower (row by row), diagonal]`; -1 above the diagonal. */
function placement(n: number): number[] {
  const place = new Array<number>(n * n).fill(-1);
  trilPositions(n, -1).forEach((p, k) => { place[p] = k; });
  const off = trilSize(n, -1);
  for (let i = 0; i < n; i++) place[i * n + i] = off + i;
  return place;
}

/** The flat positions of the diagonal of an `n × n` matrix. */
function diagonalPositions(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i * (n + 1));
}

/**
 * A bijection from vectors of length `n(n+1)/2` onto `n × n` lower Cholesky
 * factors, with NumPyro's layout: the first `n(n-1)/2` entries fill the
 * strict lower triangle row by row, the last `n` are the logs of the
 * diagonal. The log-det-Jacobian is the sum of those last `n` entries.
 *
 * Why a vector domain (torch's `LowerCholeskyTransform` maps full matrices
 * and ignores the upper triangle): HMC and autoguides need a bijection, so
 * that the unconstrained space has exactly the factor's degrees of freedom.
 *
 * @example
 * ```ts
 * new LowerCholeskyTransform(ctx).forward([0.5, 0, 0]); // [[1, 0], [0.5, 1]]
 * ```
 */
export class LowerCholeskyTransform extends Transform {
  /** `realVector`. */
  get domain(): Constraint {
    return constraints.realVector;
  }

  /** `lowerCholesky`. */
  get codomain(): Constraint {
    return constraints.lowerCholesky;
  }

  /** The strict lower triangle from the head of `x`, the diagonal `exp` of its tail. */
  forward(x: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const m = xt.shape[xt.shape.length - 1]!;
    const n = trilSide(m, 0, this.name);
    const off = m - n;
    const v = ops.concat([sliceLast(ops, xt, 0, off), ops.exp(sliceLast(ops, xt, off, n))], -1);
    return scatterToMatrix(ops, v, n, placement(n));
  }

  /** `[strict lower triangle, log diagonal]`. */
  inverse(y: TensorLike): Tensor {
    const { ops } = this;
    const yt = asTensor(ops, y);
    const n = yt.shape[yt.shape.length - 1]!;
    const lower = gatherFromMatrix(ops, yt, trilPositions(n, -1));
    return ops.concat([lower, ops.log(gatherFromMatrix(ops, yt, diagonalPositions(n)))], -1);
  }

  /** The sum of the last `n` entries of `x` (the log diagonal). */
  logAbsDetJacobian(x: TensorLike, _y: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const m = xt.shape[xt.shape.length - 1]!;
    const n = trilSide(m, 0, this.name);
    return ops.sum(sliceLast(ops, xt, m - n, n), -1);
  }

  /** `[..., n(n+1)/2]` → `[..., n, n]`. */
  override forwardShape(shape: Shape): Shape {
    const n = trilSide(shape[shape.length - 1]!, 0, this.name);
    return [...shape.slice(0, -1), n, n];
  }

  /** `[..., n, n]` → `[..., n(n+1)/2]`. */
  override inverseShape(shape: Shape): Shape {
    const n = shape[shape.length - 1]!;
    return [...shape.slice(0, -2), (n * (n + 1)) / 2];
  }
}
