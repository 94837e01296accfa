/**
 * `ExpTransform`: `y = exp(x)`, real → positive.
 *
 * @module
 */
import type { Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { Transform, type TransformSign } from "./transform.js";

/**
 * The exponential map from the reals onto the positive reals.
 *
 * @example
 * ```ts
 * new ExpTransform(ctx).inverse(1); // 0
 * ```
 */
export class ExpTransform extends Transform {
  /** `real`. */
  get domain(): Constraint {
    return constraints.real;
  }

  /** `positive`. */
  get codomain(): Constraint {
    return constraints.positive;
  }

  /** `exp(x)`. */
  forward(x: TensorLike): Tensor {
    return this.ops.exp(x);
  }

  /** `log(y)`. */
  inverse(y: TensorLike): Tensor {
    return this.ops.log(y);
  }

  /** `x` (as `dy/dx = e^x`). */
  logAbsDetJacobian(x: TensorLike, _y: TensorLike): Tensor {
    return this.ops.isTensor(x) ? x : this.ops.tensor(x);
  }

  /** `+1`. */
  override get sign(): TransformSign {
    return 1;
  }
}
