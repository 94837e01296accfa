/**
 * `FoldedDistribution(base)`: the distribution of `|X|`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { checkExpand } from "./params.js";
import { expandTo } from "./util.js";

/**
 * The distribution of `|X|` for `X ~ base` (Pyro's `FoldedDistribution`):
 * `p(y) = base(y) + base(-y)` for `y >= 0`. The base must be univariate
 * (event shape `[]`); reparameterized when the base is.
 *
 * @example
 * ```ts
 * dist.FoldedDistribution(dist.Normal(1, 2)).logProb(0.5);
 * ```
 */
export class FoldedDistribution extends Distribution {
  /** The distribution before folding. */
  readonly baseDist: Distribution;

  /** Makes the folding of `base`. */
  constructor(ctx: DistContext, base: Distribution) {
    if (base.eventShape.length !== 0) {
      throw new DistributionArgumentError("FoldedDistribution", "base",
        `FoldedDistribution: the base must be univariate (event shape []), got ${base.name} with event shape [${base.eventShape.join(", ")}]`);
    }
    super(ctx, base.batchShape, []);
    this.baseDist = base;
  }

  /** `nonnegative`. */
  get support(): Constraint {
    return constraints.nonnegative;
  }

  /** The base's. */
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  /** `logsumexp(base.logProb(y), base.logProb(-y))`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const y = this.validateSample(value);
    const shape = broadcastShapes(this.batchShape, y.shape);
    const v = expandTo(ops, y, shape);
    return ops.logsumexp(ops.stack([this.baseDist.logProb(v), this.baseDist.logProb(ops.neg(v))], 0), 0);
  }

  /** `|x|` for a base draw. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.abs(this.baseDist.sample(key, sampleShape));
  }

  /** `|x|` for a reparameterized base draw. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.abs(this.baseDist.rsample(key, sampleShape));
  }

  /** `base.cdf(y) - base.cdf(-y)` for `y >= 0`, 0 below. */
  override cdf(value: TensorLike): Tensor {
    const { ops } = this;
    const c = ops.sub(this.baseDist.cdf(value), this.baseDist.cdf(ops.neg(value)));
    return ops.where(ops.ge(value, 0), c, 0);
  }

  /** The base expanded. */
  expand(batchShape: Shape): FoldedDistribution {
    checkExpand(this.name, this.batchShape, batchShape);
    return new FoldedDistribution(this.ctx, this.baseDist.expand(batchShape));
  }
}
