/**
 * The transform contract: a differentiable map between constrained spaces,
 * with its inverse and log-abs-det-Jacobian (torch's `Transform`).
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import type { DistContext } from "../context.js";
import { TransformError } from "./errors.js";

/** The sign of a monotone transform's derivative: a number, or a tensor for elementwise signs. */
export type TransformSign = number | Tensor;

/**
 * A bijection `forward: domain → codomain`, with `inverse`, the log of the
 * absolute determinant of its Jacobian (summed over the domain's event dims),
 * and how it changes shapes. Transforms are made in a {@link DistContext}
 * because they may hold tensors.
 *
 * @example
 * ```ts
 * const t = new ExpTransform(ctx);
 * t.forward(0);                  // 1
 * t.inv.forward(1);              // 0
 * t.logAbsDetJacobian(0, 1);     // 0
 * ```
 */
export abstract class Transform {
  /** The tensor ops the transform computes with. */
  readonly ops: Ops;
  private invCache: Transform | undefined;

  /** Makes a transform in context `ctx`. */
  constructor(
    /** The context the transform was made in. */
    readonly ctx: DistContext,
  ) {
    this.ops = ctx.ops;
  }

  /** The set the transform maps from. */
  abstract get domain(): Constraint;
  /** The set the transform maps into. */
  abstract get codomain(): Constraint;
  /** `y = f(x)`. */
  abstract forward(x: TensorLike): Tensor;
  /** `x = f⁻¹(y)`. */
  abstract inverse(y: TensorLike): Tensor;
  /** `log |det ∂y/∂x|`, with shape `x.shape` minus the domain's event dims. */
  abstract logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor;

  /** The transform's name for messages. */
  get name(): string {
    return this.constructor.name;
  }

  /** Whether the transform is a bijection (all built-in ones are). */
  get bijective(): boolean {
    return true;
  }

  /** The event dim of the codomain (torch's deprecated `event_dim`). */
  get eventDim(): number {
    return this.codomain.eventDim;
  }

  /** The sign of the derivative of a monotone elementwise transform: +1, -1, or a tensor of signs. */
  get sign(): TransformSign {
    throw new TransformError(this.name, `${this.name} has no sign (it is not a monotone elementwise transform)`);
  }

  /** The inverse transform (`t.inv.forward` is `t.inverse`). */
  get inv(): Transform {
    this.invCache ??= new InverseTransform(this);
    return this.invCache;
  }

  /** The shape of `forward(x)` for `x` of shape `shape`. */
  forwardShape(shape: Shape): Shape {
    return shape;
  }

  /** The shape of `inverse(y)` for `y` of shape `shape`. */
  inverseShape(shape: Shape): Shape {
    return shape;
  }
}

/** The inverse of a transform, as `t.inv`: forward and inverse swapped, Jacobian negated. */
export class InverseTransform extends Transform {
  /** Makes the inverse of `base`. */
  constructor(
    /** The transform this inverts. */
    readonly base: Transform,
  ) {
    super(base.ctx);
  }

  /** The base's codomain. */
  get domain(): Constraint {
    return this.base.codomain;
  }

  /** The base's domain. */
  get codomain(): Constraint {
    return this.base.domain;
  }

  /** `base.inverse`. */
  forward(x: TensorLike): Tensor {
    return this.base.inverse(x);
  }

  /** `base.forward`. */
  inverse(y: TensorLike): Tensor {
    return this.base.forward(y);
  }

  /** `-base.logAbsDetJacobian(y, x)`. */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    return this.ops.neg(this.base.logAbsDetJacobian(y, x));
  }

  /** The base's sign. */
  override get sign(): TransformSign {
    return this.base.sign;
  }

  /** The base itself. */
  override get inv(): Transform {
    return this.base;
  }

  /** `base.inverseShape`. */
  override forwardShape(shape: Shape): Shape {
    return this.base.inverseShape(shape);
  }

  /** `base.forwardShape`. */
  override inverseShape(shape: Shape): Shape {
    return this.base.forwardShape(shape);
  }

  /** `Inverse(base)`. */
  override get name(): string {
    return `InverseTransform(${this.base.name})`;
  }
}
