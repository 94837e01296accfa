/**
 * The point-mass distribution `Delta(v, { logDensity, eventDim })`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { broadcastParams, expandParams } from "./params.js";
import { asTensor, sumRightmost } from "./util.js";

/** Options of {@link Delta}. */
export interface DeltaOptions {
  /** A log density added to `logProb` (for densities of transformed point masses); default 0. */
  readonly logDensity?: Param;
  /** How many rightmost dims of `v` form one event; default 0. */
  readonly eventDim?: number;
}

/**
 * The degenerate distribution at `v` (as Pyro's `Delta`): `logProb(x)` is
 * `logDensity` where `x == v` (over the event dims) and `-∞` elsewhere;
 * `rsample` returns `v`, so gradients flow to `v` (AutoDelta guides).
 *
 * @example
 * ```ts
 * dist.Delta(ops.tensor([1, 2]), { eventDim: 1 }).logProb([1, 2]); // 0
 * ```
 */
export class Delta extends Distribution {
  /** The point. */
  readonly v: Tensor;
  /** The log density at `v`, of shape `batchShape`. */
  readonly logDensity: Tensor;
  /** The number of event dims of `v`. */
  readonly eventDim: number;

  /** Makes `Delta(v, { logDensity, eventDim })`. */
  constructor(ctx: DistContext, v: Param, options: DeltaOptions = {}) {
    const eventDim = options.eventDim ?? 0;
    const vt = asTensor(ctx.ops, v);
    if (!Number.isInteger(eventDim) || eventDim < 0 || eventDim > vt.shape.length) {
      throw new DistributionArgumentError("Delta", "eventDim",
        `Delta: eventDim must be an integer in [0, ${vt.shape.length}] (the rank of v), got ${eventDim}`);
    }
    const { params, batchShape } = broadcastParams(ctx, "Delta", {
      v: { value: vt, eventDim },
      logDensity: { value: options.logDensity ?? 0, constraint: constraints.real },
    });
    super(ctx, batchShape, params.v.shape.slice(params.v.shape.length - eventDim));
    this.v = params.v;
    this.logDensity = params.logDensity;
    this.eventDim = eventDim;
  }

  /** `independent(real, eventDim)`. */
  get support(): Constraint {
    return this.eventDim === 0 ? constraints.real : constraints.independent(constraints.real, this.eventDim);
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `logDensity` where `x == v` over the event dims, else `-∞`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const hit = ops.log(ops.toFloat(ops.eq(x, this.v)));
    return ops.add(sumRightmost(ops, hit, this.eventDim), this.logDensity);
  }

  /** `v`, broadcast to the draw shape. */
  override rsample(_key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.expand(this.v, this.shape(sampleShape));
  }

  /** `v`. */
  override get mean(): Tensor {
    return this.v;
  }

  /** Zeros. */
  override get variance(): Tensor {
    return this.ops.zerosLike(this.v);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Delta {
    return expandParams(this, batchShape, (grow) => new Delta(this.ctx, grow(this.v, this.eventDim),
      { logDensity: grow(this.logDensity), eventDim: this.eventDim }));
  }
}
