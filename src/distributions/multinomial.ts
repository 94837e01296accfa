/**
 * The multinomial distribution `Multinomial({ totalCount, probs | logits })`.
 *
 * @module
 */
import { binomial, split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { DistributionArgumentError } from "./errors.js";
import { expandParams } from "./params.js";
import { probsLogitsParams, type ProbsOrLogits } from "./probs.js";
import { flatNumbers } from "./util.js";
import { MultinomialConstraint } from "./vector-constraints.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";

/** Options of {@link Multinomial}: the number of trials and the category probabilities or logits. */
export type MultinomialOptions = ProbsOrLogits & {
  /** The number of trials, a nonnegative whole number shared by the batch (default 1, as torch's `int`). */
  readonly totalCount?: number;
};

/**
 * The counts of each of `K` categories in `totalCount` independent
 * categorical trials (event shape `[K]`):
 * `P(x) = n! / Π x_k! Π p_k^(x_k)`. Not enumerable (as Pyro).
 *
 * @example
 * ```ts
 * dist.Multinomial({ totalCount: 10, probs: [0.2, 0.3, 0.5] }).mean; // [2, 3, 5]
 * ```
 */
export class Multinomial extends ProbsLogitsDistribution {
  /** The number of trials. */
  readonly totalCount: number;
  private readonly supportValue: Constraint;

  /** Makes `Multinomial({ totalCount, probs | logits })`. */
  constructor(ctx: DistContext, options: MultinomialOptions) {
    const n = options.totalCount ?? 1;
    if (!Number.isInteger(n) || n < 0) {
      throw new DistributionArgumentError("Multinomial", "totalCount",
        `Multinomial: parameter totalCount must be a nonnegative whole number, got ${n}`);
    }
    const p = probsLogitsParams(ctx, "Multinomial", options, false, {});
    super(ctx, p, [p.probs.shape[p.probs.shape.length - 1]!]);
    this.totalCount = n;
    this.supportValue = new MultinomialConstraint(n);
  }


  /** `multinomial(totalCount)`. */
  get support(): Constraint {
    return this.supportValue;
  }

  /** `log n! - Σ log x_k! + Σ x_k log p_k` (terms with `x_k = 0` count 0). */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const powers = ops.sum(ops.where(ops.eq(x, 0), 0, ops.mul(x, this.logits)), -1);
    const factorials = ops.sub(ops.lgamma(this.totalCount + 1), ops.sum(ops.lgamma(ops.add(x, 1)), -1));
    return ops.add(factorials, powers);
  }

  /**
   * Exact draws by sequential binomials: `x_j ~ Binomial(n - Σ_{i<j} x_i,
   * p_j / Σ_{i>=j} p_i)`, the last category taking the rest.
   */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const k = this.eventShape[0]!;
    const probs = flatNumbers(ops, ops.expand(this.probs, shape));
    const rows = k === 0 ? 0 : probs.length / k;
    const out = new Float64Array(probs.length);
    const remaining = new Float64Array(rows).fill(this.totalCount);
    const mass = new Float64Array(rows).fill(1);
    const keys = split(key, Math.max(k, 1));
    for (let j = 0; j < k - 1; j++) {
      const pj = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const q = probs[r * k + j]!;
        pj[r] = mass[r]! > 0 ? Math.min(Math.max(q / mass[r]!, 0), 1) : 1;
      }
      const x = binomial(keys[j]!, remaining, pj);
      for (let r = 0; r < rows; r++) {
        out[r * k + j] = x[r]!;
        remaining[r] = remaining[r]! - x[r]!;
        mass[r] = mass[r]! - probs[r * k + j]!;
      }
    }
    for (let r = 0; r < rows && k > 0; r++) out[r * k + k - 1] = remaining[r]!;
    return ops.fromFlat(out, shape);
  }

  /** `n p`. */
  override get mean(): Tensor {
    return this.ops.mul(this.totalCount, this.probs);
  }

  /** `n p (1 - p)`. */
  override get variance(): Tensor {
    return this.ops.mul(this.mean, this.ops.sub(1, this.probs));
  }

  /** Parameters broadcast to `batchShape ++ [K]`. */
  expand(batchShape: Shape): Multinomial {
    const totalCount = this.totalCount;
    return expandParams(this, batchShape, (grow) => new Multinomial(this.ctx,
      this.kind === "probs" ? { totalCount, probs: grow(this.probs, 1) } : { totalCount, logits: grow(this.logits, 1) }));
  }
}
