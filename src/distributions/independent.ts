/**
 * `Independent(base, n)`: reinterprets batch dims of a distribution as event
 * dims (reached through `d.toEvent(n)`).
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { IndependentConstraint } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, distributionWrappers } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { checkExpand } from "./params.js";
import { dropRightmost, sumRightmost, takeRightmost } from "./util.js";

/**
 * `independent(base, n)` objects by base and `n`. Validation remembers which
 * supports a tensor was checked in by constraint identity, so a draw from one
 * `Normal(...).toEvent(1)` (a guide's) is known to lie in the support of
 * another (the model's, scoring the replayed draw) only if both return the
 * same object; constraints are immutable, so sharing them is safe.
 */
const supports = new WeakMap<Constraint, Map<number, IndependentConstraint>>();

function independentSupport(base: Constraint, n: number): IndependentConstraint {
  let byN = supports.get(base);
  if (byN === undefined) {
    byN = new Map();
    supports.set(base, byN);
  }
  let c = byN.get(n);
  if (c === undefined) {
    c = new IndependentConstraint(base, n);
    byN.set(n, c);
  }
  return c;
}

/**
 * The distribution whose event is `n` rightmost batch dims of `base`
 * together with `base`'s event: `logProb` sums `base.logProb` over those
 * dims. `Independent(Independent(b, m), n)` is built as `Independent(b, m + n)`.
 *
 * @example
 * ```ts
 * const d = dist.Normal(ops.zeros([3, 2]), 1).toEvent(1);
 * d.batchShape; // [3]
 * d.eventShape; // [2]
 * ```
 */
export class Independent extends Distribution {
  /** The wrapped distribution. */
  readonly baseDist: Distribution;
  /** How many of the base's batch dims are event dims here. */
  readonly reinterpretedBatchNdims: number;

  /** Makes `Independent(base, reinterpretedBatchNdims)`. */
  constructor(ctx: DistContext, base: Distribution, reinterpretedBatchNdims: number) {
    const n = reinterpretedBatchNdims;
    const rank = base.batchShape.length;
    if (!Number.isInteger(n) || n < 0 || n > rank) {
      throw new DistributionArgumentError("Independent", "reinterpretedBatchNdims",
        `Independent: reinterpretedBatchNdims must be an integer in [0, ${rank}] (the rank of ${base.name}'s batch shape), got ${n}`);
    }
    const inner = base instanceof Independent ? base.baseDist : base;
    const total = base instanceof Independent ? base.reinterpretedBatchNdims + n : n;
    super(ctx, dropRightmost(base.batchShape, n), [...takeRightmost(base.batchShape, n), ...base.eventShape]);
    this.baseDist = inner;
    this.reinterpretedBatchNdims = total;
  }

  /** `independent(base.support, n)` (one shared object per base support and `n`). */
  get support(): Constraint {
    return independentSupport(this.baseDist.support, this.reinterpretedBatchNdims);
  }

  /** The base's. */
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  /** `base.logProb` summed over the reinterpreted dims. */
  logProb(value: TensorLike): Tensor {
    return sumRightmost(this.ops, this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }

  /** The base's draw. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.baseDist.sample(key, sampleShape);
  }

  /** The base's reparameterized draw. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.baseDist.rsample(key, sampleShape);
  }

  /** The base's mean. */
  override get mean(): Tensor {
    return this.baseDist.mean;
  }

  /** The base's variance. */
  override get variance(): Tensor {
    return this.baseDist.variance;
  }

  /** The base's entropy summed over the reinterpreted dims. */
  override entropy(): Tensor {
    return sumRightmost(this.ops, this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }

  /** The base's support when no dims are reinterpreted (Pyro does not enumerate cartesian products). */
  override get hasEnumerateSupport(): boolean {
    return this.reinterpretedBatchNdims === 0 && this.baseDist.hasEnumerateSupport;
  }

  /** The base's support values (only without reinterpreted dims). */
  override enumerateSupport(expand = true): Tensor {
    if (this.reinterpretedBatchNdims > 0) return super.enumerateSupport(expand);
    return this.baseDist.enumerateSupport(expand);
  }

  /** The base expanded to `batchShape ++` the reinterpreted dims. */
  expand(batchShape: Shape): Independent {
    checkExpand(this.name, this.batchShape, batchShape);
    const dims = takeRightmost(this.baseDist.batchShape, this.reinterpretedBatchNdims);
    return new Independent(this.ctx, this.baseDist.expand([...batchShape, ...dims]), this.reinterpretedBatchNdims);
  }
}

distributionWrappers.independent = (base, n) => new Independent(base.ctx, base, n);
