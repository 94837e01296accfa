/**
 * `OrderedTransform`: unconstrained vectors onto strictly increasing ones.
 *
 * @module
 */
import type { Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { asTensor } from "../util.js";
import { sliceLast } from "./tril.js";
import { Transform } from "./transform.js";

/**
 * `y_0 = x_0`, `y_i = y_{i-1} + exp(x_i)` along the last dim (Pyro's
 * `OrderedTransform`): the reals onto `orderedVector`; the Jacobian is
 * triangular with diagonal `1, e^{x_1}, ...`.
 *
 * @example
 * ```ts
 * new OrderedTransform(ctx).forward([0, 0, 0]); // [0, 1, 2]
 * ```
 */
export class OrderedTransform extends Transform {
  /** `realVector`. */
  get domain(): Constraint {
    return constraints.realVector;
  }

  /** `orderedVector`. */
  get codomain(): Constraint {
    return constraints.orderedVector;
  }

  /** `cumsum([x_0, exp(x_1), ..., exp(x_{n-1})])`. */
  forward(x: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const n = xt.shape[xt.shape.length - 1]!;
    if (n <= 1) return xt;
    const steps = ops.concat([sliceLast(ops, xt, 0, 1), ops.exp(sliceLast(ops, xt, 1, n - 1))], -1);
    return ops.cumsum(steps, -1);
  }

  /** `[y_0, log(y_1 - y_0), ..., log(y_{n-1} - y_{n-2})]`. */
  inverse(y: TensorLike): Tensor {
    const { ops } = this;
    const yt = asTensor(ops, y);
    const n = yt.shape[yt.shape.length - 1]!;
    if (n <= 1) return yt;
    const gaps = ops.sub(sliceLast(ops, yt, 1, n - 1), sliceLast(ops, yt, 0, n - 1));
    return ops.concat([sliceLast(ops, yt, 0, 1), ops.log(gaps)], -1);
  }

  /** `Σ_{i >= 1} x_i`. */
  logAbsDetJacobian(x: TensorLike, _y: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    const n = xt.shape[xt.shape.length - 1]!;
    return ops.sum(sliceLast(ops, xt, 1, Math.max(n - 1, 0)), -1);
  }
}
