/**
 * `StickBreakingTransform`: unconstrained `R^(K-1)` onto the `K`-simplex.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { asTensor, finfo } from "../util.js";
import { clippedSigmoid } from "./sigmoid.js";
import { Transform } from "./transform.js";

/**
 * Stick breaking, with Pyro's (torch's) parameterisation: for `x` of size
 * `n = K - 1`, `z_i = sigmoid(x_i - log(n - i))`, and `y_i` takes fraction
 * `z_i` of the stick left after `y_0 .. y_{i-1}`; the last entry takes the
 * rest. The offset `log(n - i)` makes `x = 0` map to the uniform simplex
 * point. Bijective; the Jacobian is triangular.
 *
 * @example
 * ```ts
 * new StickBreakingTransform(ctx).forward([0, 0]); // [1/3, 1/3, 1/3]
 * ```
 */
export class StickBreakingTransform extends Transform {
  /** `realVector`. */
  get domain(): Constraint {
    return constraints.realVector;
  }

  /** `simplex`. */
  get codomain(): Constraint {
    return constraints.simplex;
  }

  /** `log(n - i)` for `i = 0..n-1`. */
  private offset(n: number): Tensor {
    return this.ops.log(this.ops.sub(n, this.ops.arange(n)));
  }

  /** Breaks the stick: `y = [z, 1] * [1, cumprod(1 - z)]`. */
  forward(x: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const n = xt.shape[xt.shape.length - 1]!;
    const z = clippedSigmoid(ops, ops.sub(xt, this.offset(n)));
    const remaining = ops.exp(ops.cumsum(ops.log1p(ops.neg(z)), -1));
    const rank = xt.shape.length;
    return ops.mul(padLast(ops, z, rank, [0, 1]), padLast(ops, remaining, rank, [1, 0]));
  }

  /** `x_i = log y_i - log(1 - Σ_{j≤i} y_j) + log(n - i)`. */
  inverse(y: TensorLike): Tensor {
    const { ops } = this;
    const crop = dropLast(ops, asTensor(ops, y));
    const n = crop.shape[crop.shape.length - 1]!;
    const rest = ops.maximum(ops.sub(1, ops.cumsum(crop, -1)), finfo(ops.dtype).tiny);
    return ops.add(ops.sub(ops.log(crop), ops.log(rest)), this.offset(n));
  }

  /** `Σ_i [-u_i + log σ(u_i) + log y_i]` with `u = x - offset` (the triangular Jacobian's diagonal). */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const u = ops.sub(xt, this.offset(xt.shape[xt.shape.length - 1]!));
    const logSigmoid = ops.neg(ops.softplus(ops.neg(u)));
    const terms = ops.add(ops.sub(logSigmoid, u), ops.log(dropLast(ops, asTensor(ops, y))));
    return ops.sum(terms, -1);
  }

  /** `[..., n]` → `[..., n + 1]`. */
  override forwardShape(shape: Shape): Shape {
    return [...shape.slice(0, -1), shape[shape.length - 1]! + 1];
  }

  /** `[..., K]` → `[..., K - 1]`. */
  override inverseShape(shape: Shape): Shape {
    return [...shape.slice(0, -1), shape[shape.length - 1]! - 1];
  }
}

/** `x` padded with ones on the last dim: `before` ones in front, `after` behind. */
function padLast(ops: Ops, x: Tensor, rank: number, [before, after]: [number, number]): Tensor {
  const paddings = Array.from({ length: rank }, (_, i): [number, number] => (i === rank - 1 ? [before, after] : [0, 0]));
  return ops.pad(x, paddings, 1);
}

/** `x[..., :-1]`. */
function dropLast(ops: Ops, x: Tensor): Tensor {
  const rank = x.shape.length;
  const size = x.shape.map((d, i) => (i === rank - 1 ? d - 1 : -1));
  return ops.slice(x, new Array<number>(rank).fill(0), size);
}
