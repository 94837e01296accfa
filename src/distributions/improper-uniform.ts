/**
 * `ImproperUniform(support, batchShape, eventShape)`: the flat improper
 * density on a constraint's set.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { Distribution, DistributionCapabilityError } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { checkExpand } from "./params.js";

/**
 * The improper distribution with `logProb` 0 everywhere on `support`
 * (Pyro's `ImproperUniform`): a prior for a latent site whose density is
 * given elsewhere (by `pyro.factor` or observations). It cannot be sampled;
 * MCMC initialises such sites with `initToUniform` or `initToValue` in the
 * unconstrained space of `bijectTo(support)`.
 *
 * @example
 * ```ts
 * const d = dist.ImproperUniform(dist.constraints.positive, [3], []);
 * d.logProb(ops.ones([3])); // [0, 0, 0]
 * ```
 */
export class ImproperUniform extends Distribution {
  /** The set with (flat) positive density. */
  private readonly supportValue: Constraint;

  /** Makes `ImproperUniform(support, batchShape, eventShape)`; the event must have at least `support.eventDim` dims. */
  constructor(ctx: DistContext, support: Constraint, batchShape: Shape = [], eventShape: Shape = []) {
    if (eventShape.length < support.eventDim) {
      throw new DistributionArgumentError("ImproperUniform", "eventShape",
        `ImproperUniform: eventShape must have at least ${support.eventDim} dim(s) (the event dim of ${support.name}), got [${eventShape.join(", ")}]`);
    }
    super(ctx, batchShape, eventShape);
    this.supportValue = support;
  }

  /** The given support. */
  get support(): Constraint {
    return this.supportValue;
  }

  /** Zeros of the broadcast of the value's batch dims and `batchShape` (after checking the support). */
  logProb(value: TensorLike): Tensor {
    const x = this.validateSample(value);
    const batch = x.shape.slice(0, x.shape.length - this.eventShape.length);
    return this.ops.zeros(broadcastShapes(batch, this.batchShape));
  }

  /** Throws: an improper distribution has no draws. */
  override sample(_key: RandomKey, _sampleShape: Shape = []): Tensor {
    throw new DistributionCapabilityError(this.name, "sample (an improper distribution cannot be sampled)");
  }

  /** The same support and event shape with batch shape `batchShape`. */
  expand(batchShape: Shape): ImproperUniform {
    checkExpand(this.name, this.batchShape, batchShape);
    return new ImproperUniform(this.ctx, this.supportValue, batchShape, this.eventShape);
  }
}
