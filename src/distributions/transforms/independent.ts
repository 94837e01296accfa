/**
 * `IndependentTransform(base, n)`: a transform whose log-det-Jacobian is
 * summed over `n` more rightmost dims.
 *
 * @module
 */
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { IndependentConstraint } from "../constraints.js";
import type { DistContext } from "../context.js";
import { sumRightmost } from "../util.js";
import { Transform, type TransformSign } from "./transform.js";

/**
 * `base`, with `reinterpretedBatchNdims` batch dims treated as event dims:
 * domain and codomain are `independent(..., n)` and the log-det-Jacobian is
 * summed over those dims. `bijectTo(independent(c, n))` builds one.
 *
 * @example
 * ```ts
 * const t = new IndependentTransform(ctx, new ExpTransform(ctx), 1);
 * t.logAbsDetJacobian([1, 2], t.forward([1, 2])); // 3 (= 1 + 2)
 * ```
 */
export class IndependentTransform extends Transform {
  /** Makes `IndependentTransform(base, reinterpretedBatchNdims)`. */
  constructor(
    ctx: DistContext,
    /** The elementwise transform. */
    readonly base: Transform,
    /** How many extra rightmost dims form one event. */
    readonly reinterpretedBatchNdims: number,
  ) {
    super(ctx);
  }

  /** `independent(base.domain, n)`. */
  get domain(): Constraint {
    return new IndependentConstraint(this.base.domain, this.reinterpretedBatchNdims);
  }

  /** `independent(base.codomain, n)`. */
  get codomain(): Constraint {
    return new IndependentConstraint(this.base.codomain, this.reinterpretedBatchNdims);
  }

  /** `base.forward`. */
  forward(x: TensorLike): Tensor {
    return this.base.forward(x);
  }

  /** `base.inverse`. */
  inverse(y: TensorLike): Tensor {
    return this.base.inverse(y);
  }

  /** `base.logAbsDetJacobian` summed over the `n` rightmost dims. */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    return sumRightmost(this.ops, this.base.logAbsDetJacobian(x, y), this.reinterpretedBatchNdims);
  }

  /** The base's sign. */
  override get sign(): TransformSign {
    return this.base.sign;
  }

  /** The base's. */
  override forwardShape(shape: Shape): Shape {
    return this.base.forwardShape(shape);
  }

  /** The base's. */
  override inverseShape(shape: Shape): Shape {
    return this.base.inverseShape(shape);
  }

  /** `IndependentTransform(base, n)`. */
  override get name(): string {
    return `IndependentTransform(${this.base.name}, ${this.reinterpretedBatchNdims})`;
  }
}
