/**
 * The beta-binomial distribution `BetaBinomial(concentration1, concentration0, totalCount = 1)`.
 *
 * @module
 */
import { beta, binomial, split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints, IntegerInterval } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, DistributionCapabilityError, type Param } from "./distribution.js";
import { enumerateRange } from "./enumerate.js";
import { broadcastParams, expandParams } from "./params.js";
import { flatNumbers, logBeta } from "./util.js";
import { tensorLabel } from "./validation.js";

/**
 * The binomial distribution whose success probability is drawn from
 * `Beta(concentration1, concentration0)` (Pyro's argument order):
 * `P(k) = C(n, k) B(k + α, n - k + β) / B(α, β)`.
 *
 * @example
 * ```ts
 * dist.BetaBinomial(1, 1, 4).logProb(2); // log(1/5): uniform on 0..4
 * ```
 */
export class BetaBinomial extends Distribution {
  /** α, the pseudo-count of successes. */
  readonly concentration1: Tensor;
  /** β, the pseudo-count of failures. */
  readonly concentration0: Tensor;
  /** The number of trials `n`. */
  readonly totalCount: Tensor;
  private supportCache: Constraint | undefined;

  /** Makes `BetaBinomial(concentration1, concentration0, totalCount)`. */
  constructor(ctx: DistContext, concentration1: Param, concentration0: Param, totalCount: Param = 1) {
    const { params, batchShape } = broadcastParams(ctx, "BetaBinomial", {
      concentration1: { value: concentration1, constraint: constraints.positive },
      concentration0: { value: concentration0, constraint: constraints.positive },
      totalCount: { value: totalCount, constraint: constraints.nonnegativeInteger },
    });
    super(ctx, batchShape, []);
    this.concentration1 = params.concentration1;
    this.concentration0 = params.concentration0;
    this.totalCount = params.totalCount;
  }

  /** `integerInterval(0, totalCount)`. */
  get support(): Constraint {
    this.supportCache ??= new IntegerInterval(0, this.totalCount, { labels: ["0", tensorLabel(this.ops, this.totalCount)] });
    return this.supportCache;
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /** `log C(n, k) + log B(k + α, n - k + β) - log B(α, β)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.validateSample(value);
    const n = this.totalCount;
    const [a, b] = [this.concentration1, this.concentration0];
    const logChoose = ops.sub(ops.lgamma(ops.add(n, 1)), ops.add(ops.lgamma(ops.add(k, 1)), ops.lgamma(ops.add(ops.sub(n, k), 1))));
    return ops.add(logChoose, ops.sub(logBeta(ops, ops.add(k, a), ops.add(ops.sub(n, k), b)), logBeta(ops, a, b)));
  }

  /** A beta draw of the probability, then a binomial draw. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const [kb, kn] = split(key, 2) as [RandomKey, RandomKey];
    const shape = this.shape(sampleShape);
    const grow = (t: Tensor) => flatNumbers(ops, ops.expand(t, shape));
    const p = beta(kb, grow(this.concentration1), grow(this.concentration0));
    return ops.fromFlat(binomial(kn, grow(this.totalCount), p), shape);
  }

  /** `n α / (α + β)`. */
  override get mean(): Tensor {
    const { ops } = this;
    return ops.div(ops.mul(this.totalCount, this.concentration1), ops.add(this.concentration1, this.concentration0));
  }

  /** `n α β (α + β + n) / ((α + β)² (α + β + 1))`. */
  override get variance(): Tensor {
    const { ops } = this;
    const [a, b, n] = [this.concentration1, this.concentration0, this.totalCount];
    const s = ops.add(a, b);
    const num = ops.mul(ops.mul(ops.mul(n, a), b), ops.add(s, n));
    return ops.div(num, ops.mul(ops.square(s), ops.add(s, 1)));
  }

  /** `0, ..., totalCount` along a new leftmost dim; `totalCount` must be the same for the whole batch (as Pyro). */
  override enumerateSupport(expand = true): Tensor {
    const counts = flatNumbers(this.ops, this.totalCount);
    const n = counts.length === 0 ? 0 : counts[0]!;
    if (counts.some((c) => c !== n)) {
      throw new DistributionCapabilityError(this.name, "enumerateSupport with an inhomogeneous totalCount");
    }
    return enumerateRange(this.ops, n + 1, this.batchShape, expand);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): BetaBinomial {
    return expandParams(this, batchShape, (grow) =>
      new BetaBinomial(this.ctx, grow(this.concentration1), grow(this.concentration0), grow(this.totalCount)));
  }
}
