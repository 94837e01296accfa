/**
 * `SigmoidTransform`: `y = 1 / (1 + e^(-x))`, real → unit interval.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import { finfo } from "../util.js";
import { Transform, type TransformSign } from "./transform.js";

/** `sigmoid(x)` clamped into `[tiny, 1 - eps]`, so that `log y` and `log(1 - y)` stay finite (torch's `_clipped_sigmoid`). */
export function clippedSigmoid(ops: Ops, x: TensorLike): Tensor {
  const { tiny, eps } = finfo(ops.dtype);
  return ops.clamp(ops.sigmoid(x), tiny, 1 - eps);
}

/**
 * The logistic sigmoid from the reals onto `[0, 1]` (clipped to the open
 * interval in floating point).
 *
 * @example
 * ```ts
 * new SigmoidTransform(ctx).forward(0); // 0.5
 * ```
 */
export class SigmoidTransform extends Transform {
  /** `real`. */
  get domain(): Constraint {
    return constraints.real;
  }

  /** `unitInterval`. */
  get codomain(): Constraint {
    return constraints.unitInterval;
  }

  /** `sigmoid(x)`, clipped. */
  forward(x: TensorLike): Tensor {
    return clippedSigmoid(this.ops, x);
  }

  /** `log y - log(1 - y)` of the clipped `y`. */
  inverse(y: TensorLike): Tensor {
    const { ops } = this;
    const { tiny, eps } = finfo(ops.dtype);
    const c = ops.clamp(y, tiny, 1 - eps);
    return ops.sub(ops.log(c), ops.log1p(ops.neg(c)));
  }

  /** `log σ(x) + log σ(-x) = -softplus(-x) - softplus(x)`. */
  logAbsDetJacobian(x: TensorLike, _y: TensorLike): Tensor {
    const { ops } = this;
    return ops.neg(ops.add(ops.softplus(ops.neg(x)), ops.softplus(x)));
  }

  /** `+1`. */
  override get sign(): TransformSign {
    return 1;
  }
}
