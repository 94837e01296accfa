/**
 * The shared part of real-valued location–scale families (Normal, Cauchy,
 * Laplace, Gumbel): their parameters, support, and `expand`.
 *
 * @module
 */
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";

/**
 * A distribution of `loc + scale · ε` for a fixed standard law of `ε` on the
 * real line: `loc` real, `scale` positive, reparameterized.
 */
export abstract class LocScaleDistribution extends Distribution {
  /** The location. */
  readonly loc: Tensor;
  /** The scale (positive). */
  readonly scale: Tensor;

  /** Validates and broadcasts `loc` and `scale` for the family `family`. */
  protected constructor(ctx: DistContext, family: string, loc: Param, scale: Param) {
    const { params, batchShape } = broadcastParams(ctx, family, {
      loc: { value: loc, constraint: constraints.real },
      scale: { value: scale, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.loc = params.loc;
    this.scale = params.scale;
  }

  /** The same family with other parameters (already validated and broadcast). */
  protected abstract withParams(loc: Tensor, scale: Tensor): LocScaleDistribution;

  /** `real`. */
  get support(): Constraint {
    return constraints.real;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `(x − loc) / scale` of a (validated) value. */
  protected standardize(value: TensorLike): Tensor {
    return this.ops.div(this.ops.sub(this.validateSample(value), this.loc), this.scale);
  }

  /** Parameters broadcast to `batchShape` (the same family). */
  expand(batchShape: Shape): this {
    return expandParams(this, batchShape, (grow) => this.withParams(grow(this.loc), grow(this.scale))) as this;
  }
}
