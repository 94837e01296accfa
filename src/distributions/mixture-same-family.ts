/**
 * `MixtureSameFamily(mixtureDistribution, componentDistribution)`: a finite
 * mixture whose components are the batch of one distribution.
 *
 * @module
 */
import { split, type RandomKey } from "../tensor/random/index.js";
import { formatShape, tryBroadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import { Categorical } from "./categorical.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { Distribution } from "./distribution.js";
import { DistributionArgumentError, DistributionValueError } from "./errors.js";
import { checkExpand } from "./params.js";
import { asTensor, expandTo } from "./util.js";
import { allTrue, checkSampleShape } from "./validation.js";

/**
 * The mixture of the `K` distributions along the last batch dim of
 * `componentDistribution`, weighted by the `Categorical`
 * `mixtureDistribution` (torch's and Pyro's `MixtureSameFamily`): batch shape
 * `broadcast(mixture.batchShape, component.batchShape[:-1])`, event shape the
 * component's. `logProb(x) = logsumexp_k(log w_k + log p_k(x))`. Sampling
 * draws a component index, then the component (not reparameterized).
 *
 * @example
 * ```ts
 * const d = dist.MixtureSameFamily(dist.Categorical([0.3, 0.7]), dist.Normal([-1, 2], [0.5, 1]));
 * d.logProb(0);
 * ```
 */
export class MixtureSameFamily extends Distribution {
  /** The mixing weights over the `K` components. */
  readonly mixtureDistribution: Categorical;
  /** The components, batch shape `batchShape ++ [K]`. */
  readonly componentDistribution: Distribution;

  /** Makes the mixture; the component's last batch dim must be the mixture's number of categories. */
  constructor(ctx: DistContext, mixtureDistribution: Categorical, componentDistribution: Distribution) {
    if (!(mixtureDistribution instanceof Categorical)) {
      throw new DistributionArgumentError("MixtureSameFamily", "mixtureDistribution",
        `MixtureSameFamily: mixtureDistribution must be a Categorical, got ${(mixtureDistribution as Distribution).name}`);
    }
    const cb = componentDistribution.batchShape;
    const k = mixtureDistribution.numCategories;
    if (cb.length === 0 || cb[cb.length - 1] !== k) {
      throw new DistributionArgumentError("MixtureSameFamily", "componentDistribution",
        `MixtureSameFamily: componentDistribution's batch shape ${formatShape(cb)} must end in the number of mixture components ${k}`);
    }
    const batch = tryBroadcastShapes(mixtureDistribution.batchShape, cb.slice(0, -1));
    if (batch === undefined) {
      throw new DistributionArgumentError("MixtureSameFamily", "mixtureDistribution, componentDistribution",
        `MixtureSameFamily: mixture batch shape ${formatShape(mixtureDistribution.batchShape)} does not broadcast with ` +
        `the component batch shape ${formatShape(cb.slice(0, -1))}`);
    }
    super(ctx, batch, componentDistribution.eventShape);
    this.mixtureDistribution = mixtureDistribution.expand(batch);
    this.componentDistribution = componentDistribution.expand([...batch, k]);
  }

  /** The component's support. */
  get support(): Constraint {
    return this.componentDistribution.support;
  }

  /** Whether the components are discrete. */
  override get isDiscrete(): boolean {
    return this.componentDistribution.isDiscrete;
  }

  /**
   * `logsumexp_k(log w_k + component.logProb(x)_k)`. With `validateArgs`,
   * `x` must lie in the support of at least one component (the mixture's
   * support is their union).
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = asTensor(ops, value);
    const padded = this.padComponentDim(x);
    if (this.validateArgs) {
      checkSampleShape(this.name, x, this.batchShape, this.eventShape);
      const inSome = ops.any(this.support.check(ops, padded), -1);
      if (!allTrue(ops, inSome)) {
        throw new DistributionValueError(this.name,
          `${this.name}: value must be in the support ${this.support.name} of at least one component`);
      }
    }
    const lp = this.componentDistribution.logProb(padded);
    return ops.logsumexp(ops.add(lp, this.mixtureDistribution.logits), -1);
  }

  /** A component index from the mixture, then that component's draw. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const [km, kc] = split(key, 2) as [RandomKey, RandomKey];
    const index = this.mixtureDistribution.sample(km, sampleShape);
    const draws = this.componentDistribution.sample(kc, sampleShape);
    const e = this.eventShape.length;
    const idx = ops.reshape(index, [...index.shape, 1, ...this.eventShape.map(() => 1)]);
    const picked = ops.takeAlongAxis(draws, expandTo(ops, idx, [...index.shape, 1, ...this.eventShape]), -1 - e);
    return ops.squeeze(picked, index.shape.length);
  }

  /** `Σ_k w_k mean_k`. */
  override get mean(): Tensor {
    return this.weighted(this.componentDistribution.mean);
  }

  /** The law of total variance: `Σ_k w_k var_k + Σ_k w_k (mean_k - mean)²`. */
  override get variance(): Tensor {
    const { ops } = this;
    const means = this.componentDistribution.mean;
    const spread = ops.square(ops.sub(means, this.padComponentDim(this.mean)));
    return ops.add(this.weighted(this.componentDistribution.variance), this.weighted(spread));
  }

  /** `Σ_k w_k cdf_k(x)` (univariate components). */
  override cdf(value: TensorLike): Tensor {
    const cdfs = this.componentDistribution.cdf(this.padComponentDim(asTensor(this.ops, value)));
    return this.ops.sum(this.ops.mul(cdfs, this.mixtureDistribution.probs), -1);
  }

  /** Both distributions expanded. */
  expand(batchShape: Shape): MixtureSameFamily {
    checkExpand(this.name, this.batchShape, batchShape);
    const k = this.mixtureDistribution.numCategories;
    return new MixtureSameFamily(this.ctx, this.mixtureDistribution.expand(batchShape),
      this.componentDistribution.expand([...batchShape, k]));
  }

  /** `x` with a size-1 component dim before its event dims. */
  private padComponentDim(x: Tensor): Tensor {
    return this.ops.unsqueeze(x, x.shape.length - this.eventShape.length);
  }

  /** `Σ_k w_k t_k` for `t` of shape `[..., K, ...event]`. */
  private weighted(t: Tensor): Tensor {
    const { ops } = this;
    const e = this.eventShape.length;
    const w = ops.reshape(this.mixtureDistribution.probs, [...this.batchShape, this.mixtureDistribution.numCategories,
      ...this.eventShape.map(() => 1)]);
    const axis = t.shape.length - 1 - e;
    return ops.sum(ops.mul(t, w), axis);
  }
}

