/**
 * `PowerTransform(exponent)`: `y = x^exponent` on the positive reals.
 *
 * @module
 */
import { broadcastShapes } from "../../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import type { DistContext } from "../context.js";
import { asTensor } from "../util.js";
import { Transform, type TransformSign } from "./transform.js";

/**
 * The power map `y = x^exponent` from the positive reals onto themselves
 * (torch's `PowerTransform`; `exponent` nonzero).
 *
 * @example
 * ```ts
 * const t = new PowerTransform(ctx, -1); // y = 1 / x
 * t.forward(4); // 0.25
 * ```
 */
export class PowerTransform extends Transform {
  /** The exponent. */
  readonly exponent: Tensor;

  /** Makes `y = x^exponent`. */
  constructor(ctx: DistContext, exponent: TensorLike) {
    super(ctx);
    this.exponent = asTensor(ctx.ops, exponent);
  }

  /** `positive`. */
  get domain(): Constraint {
    return constraints.positive;
  }

  /** `positive`. */
  get codomain(): Constraint {
    return constraints.positive;
  }

  /** `x^exponent`. */
  forward(x: TensorLike): Tensor {
    return this.ops.pow(x, this.exponent);
  }

  /** `y^(1/exponent)`. */
  inverse(y: TensorLike): Tensor {
    return this.ops.pow(y, this.ops.reciprocal(this.exponent));
  }

  /** `log |exponent y / x|`. */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    const { ops } = this;
    return ops.log(ops.abs(ops.div(ops.mul(this.exponent, y), x)));
  }

  /** `sign(exponent)`. */
  override get sign(): TransformSign {
    return this.ops.sign(this.exponent);
  }

  /** The broadcast of `shape` with the exponent's shape. */
  override forwardShape(shape: Shape): Shape {
    return broadcastShapes(shape, this.exponent.shape);
  }

  /** The broadcast of `shape` with the exponent's shape. */
  override inverseShape(shape: Shape): Shape {
    return broadcastShapes(shape, this.exponent.shape);
  }
}
