/**
 * `AffineTransform(loc, scale, eventDim)`: `y = loc + scale x`.
 *
 * @module
 */
import { broadcastShapes } from "../../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints } from "../constraints.js";
import type { DistContext } from "../context.js";
import { asTensor, sumRightmost } from "../util.js";
import { Transform, type TransformSign } from "./transform.js";

/**
 * The pointwise affine map `y = loc + scale x`; with `eventDim > 0` the
 * log-det-Jacobian is summed over that many rightmost dims.
 *
 * @example
 * ```ts
 * const t = new AffineTransform(ctx, 1, 2);
 * t.forward(3);                 // 7
 * t.logAbsDetJacobian(3, 7);    // log 2
 * ```
 */
export class AffineTransform extends Transform {
  /** The shift. */
  readonly loc: Tensor;
  /** The scale (nonzero). */
  readonly scale: Tensor;

  /** Makes `y = loc + scale x` acting on events of `eventDim` dims (default 0). */
  constructor(ctx: DistContext, loc: TensorLike, scale: TensorLike, private readonly eventDims = 0) {
    super(ctx);
    this.loc = asTensor(ctx.ops, loc);
    this.scale = asTensor(ctx.ops, scale);
  }

  /** `real` (independent over `eventDim` dims). */
  get domain(): Constraint {
    return this.eventDims === 0 ? constraints.real : constraints.independent(constraints.real, this.eventDims);
  }

  /** Same as the domain. */
  get codomain(): Constraint {
    return this.domain;
  }

  /** `loc + scale x`. */
  forward(x: TensorLike): Tensor {
    return this.ops.add(this.loc, this.ops.mul(this.scale, x));
  }

  /** `(y - loc) / scale`. */
  inverse(y: TensorLike): Tensor {
    return this.ops.div(this.ops.sub(y, this.loc), this.scale);
  }

  /** `log |scale|`, broadcast to `x` and summed over the event dims. */
  logAbsDetJacobian(x: TensorLike, _y: TensorLike): Tensor {
    const { ops } = this;
    const perElement = ops.mul(ops.log(ops.abs(this.scale)), ops.onesLike(x));
    return sumRightmost(ops, perElement, this.eventDims);
  }

  /** `sign(scale)`. */
  override get sign(): TransformSign {
    return this.ops.sign(this.scale);
  }

  /** The broadcast of `shape` with the parameters' shapes. */
  override forwardShape(shape: Shape): Shape {
    return broadcastShapes(shape, this.loc.shape, this.scale.shape);
  }

  /** The broadcast of `shape` with the parameters' shapes. */
  override inverseShape(shape: Shape): Shape {
    return this.forwardShape(shape);
  }
}
