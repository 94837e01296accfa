/**
 * The binomial distribution `Binomial({ totalCount, probs | logits })`.
 *
 * @module
 */
import { binomial, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints, IntegerInterval } from "./constraints.js";
import type { DistContext } from "./context.js";
import { DistributionCapabilityError, type Param } from "./distribution.js";
import { enumerateRange } from "./enumerate.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { flatNumbers } from "./util.js";
import { tensorLabel } from "./validation.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/** Options of {@link Binomial}: the number of trials and the success probability or logit. */
export type BinomialOptions = ProbsOrLogits & {
  /** The number of trials, a nonnegative integer (default 1). */
  readonly totalCount?: Param;
};

/**
 * The number of successes in `totalCount` independent trials of probability
 * `probs` (or log-odds `logits`).
 *
 * @example
 * ```ts
 * const d = dist.Binomial({ totalCount: 10, probs: 0.3 });
 * d.mean; // 3
 * ```
 */
export class Binomial extends ProbsLogitsDistribution {
  /** The number of trials. */
  readonly totalCount: Tensor;
  private supportCache: Constraint | undefined;

  /** Makes a binomial distribution; `totalCount` defaults to 1. */
  constructor(ctx: DistContext, options: BinomialOptions) {
    const p = probsLogitsParams(ctx, "Binomial", options, true, {
      totalCount: { value: options.totalCount ?? 1, constraint: constraints.nonnegativeInteger },
    });
    super(ctx, p, []);
    this.totalCount = p.params.totalCount;
  }


  /** `integerInterval(0, totalCount)`. */
  get support(): Constraint {
    if (this.supportCache === undefined) {
      const labels = ["0", tensorLabel(this.ops, this.totalCount)];
      this.supportCache = new IntegerInterval(0, this.totalCount, { labels });
    }
    return this.supportCache;
  }

  /** `true`. */
  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /**
   * `log C(n, k) + k log σ(l) + (n - k) log σ(-l)` with
   * `log σ(l) = -softplus(-l)` and `log C(n, k)` from `lgamma`.
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.validateSample(value);
    const n = this.totalCount;
    const logChoose = ops.sub(ops.lgamma(ops.add(n, 1)),
      ops.add(ops.lgamma(ops.add(k, 1)), ops.lgamma(ops.add(ops.sub(n, k), 1))));
    const success = ops.mul(k, ops.softplus(ops.neg(this.logits)));
    const failure = ops.mul(ops.sub(n, k), ops.softplus(this.logits));
    return ops.sub(logChoose, ops.add(success, failure));
  }

  /** Counts drawn with the flat binomial sampler. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const n = flatNumbers(ops, ops.expand(this.totalCount, shape));
    const p = flatNumbers(ops, ops.expand(this.probs, shape));
    return ops.fromFlat(binomial(key, n, p), shape);
  }

  /** `n p`. */
  override get mean(): Tensor {
    return this.ops.mul(this.totalCount, this.probs);
  }

  /** `n p (1 - p)`. */
  override get variance(): Tensor {
    return this.ops.mul(this.mean, this.ops.sub(1, this.probs));
  }

  /** `-Σ_k p(k) log p(k)` over the enumerated support (homogeneous `totalCount` only). */
  override entropy(): Tensor {
    const { ops } = this;
    const lp = this.logProb(this.enumerateSupport(false));
    return ops.neg(ops.sum(ops.mul(ops.exp(lp), lp), 0));
  }

  /** `0, ..., totalCount` along a new leftmost dim; `totalCount` must be the same for the whole batch. */
  override enumerateSupport(expand = true): Tensor {
    const counts = flatNumbers(this.ops, this.totalCount);
    const n = counts.length === 0 ? 0 : counts[0]!;
    if (counts.some((c) => c !== n)) {
      throw new DistributionCapabilityError(this.name, "enumerateSupport with an inhomogeneous totalCount");
    }
    return enumerateRange(this.ops, n + 1, this.batchShape, expand);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Binomial {
    return expandParams(this, batchShape, (grow) => {
      const totalCount = grow(this.totalCount);
      return new Binomial(this.ctx,
        this.kind === "probs" ? { totalCount, probs: grow(this.probs) } : { totalCount, logits: grow(this.logits) });
    });
  }
}
