/**
 * The distribution contract, written once against {@link Ops}.
 *
 * Shapes follow Pyro: a draw has shape `sampleShape ++ batchShape ++
 * eventShape`; `logProb(value)` sums over the event dims and has shape
 * `broadcast(value batch dims, batchShape)`. Random draws take an explicit
 * {@link RandomKey} (the JAX discipline): the same key gives the same draw.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/key.js";
import type { Ops } from "../tensor/ops.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { asTensor } from "./util.js";
import { checkSample } from "./validation.js";

/** The error thrown when a distribution lacks an optional capability (rsample, enumerateSupport, ...). */
export class DistributionCapabilityError extends Error {
  /** Makes the error for `distribution` lacking `capability`. */
  constructor(
    /** The distribution's name. */
    readonly distribution: string,
    /** The missing method or property. */
    readonly capability: string,
  ) {
    super(`${distribution} does not implement ${capability}`);
    this.name = "DistributionCapabilityError";
  }
}

/**
 * The wrappers `toEvent` and `mask` build. They are registered by
 * `independent.ts` and `masked.ts` when those load (the wrappers extend
 * {@link Distribution}, so this module cannot import them without an import
 * cycle); `src/distributions/index.ts` loads both.
 *
 * @internal
 */
export interface DistributionWrappers {
  /** `new Independent(ctx, base, n)`. */
  independent?: (base: Distribution, reinterpretedBatchNdims: number) => Distribution;
  /** `new MaskedDistribution(ctx, base, mask)`. */
  masked?: (base: Distribution, mask: boolean | TensorLike) => Distribution;
}

/** @internal the registered wrappers; see {@link DistributionWrappers}. */
export const distributionWrappers: DistributionWrappers = {};

/**
 * A probability distribution over tensors.
 *
 * Subclasses implement `logProb`, `support`, and whichever of `sample` /
 * `rsample`, `mean`, `variance`, `entropy`, `enumerateSupport`, `cdf`,
 * `icdf` and `expand` they support.
 */
export abstract class Distribution {
  /** The tensor ops this distribution computes with. */
  readonly ops: Ops;
  /** Whether parameters are validated at construction. */
  readonly validateArgs: boolean;

  /** Makes a distribution with the given shapes in context `ctx`. */
  protected constructor(
    ctx: DistContext,
    /** The shape of independent (batched) parameter sets. */
    readonly batchShape: Shape,
    /** The shape of one draw of one parameter set. */
    readonly eventShape: Shape,
  ) {
    this.ops = ctx.ops;
    this.validateArgs = ctx.validateArgs;
  }

  /** The context the distribution was made in (to make related distributions). */
  get ctx(): DistContext {
    return { ops: this.ops, validateArgs: this.validateArgs };
  }

  /** The distribution's name for messages ("Normal"). */
  get name(): string {
    return this.constructor.name;
  }

  /** The set of values with positive density. */
  abstract get support(): Constraint;

  /** Whether `rsample` is implemented (reparameterized, differentiable draws). */
  get hasRsample(): boolean {
    return false;
  }

  /** Whether `enumerateSupport` is implemented. */
  get hasEnumerateSupport(): boolean {
    return false;
  }

  /** Whether the support is discrete. */
  get isDiscrete(): boolean {
    return this.support.isDiscrete;
  }

  /** The log density (or mass) of `value`, summed over event dims. */
  abstract logProb(value: TensorLike): Tensor;

  /** A draw of shape `sampleShape ++ batchShape ++ eventShape` (no gradient). */
  sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    if (this.hasRsample) return this.ops.stopGradient(this.rsample(key, sampleShape));
    throw new DistributionCapabilityError(this.name, "sample");
  }

  /** A reparameterized draw: differentiable in the parameters. */
  rsample(_key: RandomKey, _sampleShape: Shape = []): Tensor {
    throw new DistributionCapabilityError(this.name, "rsample");
  }

  /** The mean. */
  get mean(): Tensor {
    throw new DistributionCapabilityError(this.name, "mean");
  }

  /** The variance. */
  get variance(): Tensor {
    throw new DistributionCapabilityError(this.name, "variance");
  }

  /** The standard deviation. */
  get stddev(): Tensor {
    return this.ops.sqrt(this.variance);
  }

  /** The entropy, with shape `batchShape`. */
  entropy(): Tensor {
    throw new DistributionCapabilityError(this.name, "entropy");
  }

  /** The cumulative distribution function (univariate distributions). */
  cdf(_value: TensorLike): Tensor {
    throw new DistributionCapabilityError(this.name, "cdf");
  }

  /** The inverse cumulative distribution function (univariate distributions). */
  icdf(_quantile: TensorLike): Tensor {
    throw new DistributionCapabilityError(this.name, "icdf");
  }

  /**
   * All values of a discrete distribution, along a new leftmost dim: shape
   * `[n] ++ batchShape ++ eventShape` when `expand`, else `[n] ++ [1]*batch ++ eventShape`.
   */
  enumerateSupport(_expand = true): Tensor {
    throw new DistributionCapabilityError(this.name, "enumerateSupport");
  }

  /** The same distribution with parameters broadcast to `batchShape`. */
  abstract expand(batchShape: Shape): Distribution;

  /** The shape of a draw with the given sample shape. */
  shape(sampleShape: Shape = []): Shape {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  /**
   * The same distribution with its `n` rightmost batch dims reinterpreted as
   * event dims (all batch dims by default), as Pyro's `to_event`.
   *
   * @example
   * ```ts
   * dist.Normal(ops.zeros([3, 2]), 1).toEvent(1); // batchShape [3], eventShape [2]
   * ```
   */
  toEvent(reinterpretedBatchNdims?: number): Distribution {
    const n = reinterpretedBatchNdims ?? this.batchShape.length;
    if (n === 0) return this;
    const make = distributionWrappers.independent;
    if (make === undefined) throw new Error("Distribution.toEvent: Independent is not loaded (import src/distributions/index.js)");
    return make(this, n);
  }

  /**
   * The same distribution with `logProb` zeroed where `mask` is false, as
   * Pyro's `mask`; `mask` is a boolean or a mask tensor broadcasting with the
   * batch shape.
   *
   * @example
   * ```ts
   * dist.Normal(ops.zeros([3]), 1).mask(ops.tensor([true, false, true]));
   * ```
   */
  mask(mask: boolean | TensorLike): Distribution {
    const make = distributionWrappers.masked;
    if (make === undefined) throw new Error("Distribution.mask: MaskedDistribution is not loaded (import src/distributions/index.js)");
    return make(this, mask);
  }

  /**
   * `value` as a tensor, checked (when `validateArgs`) to fit the batch and
   * event shapes and to lie in the support; families call it first in
   * `logProb`.
   *
   * @throws DistributionValueError naming the distribution, the support and
   *   the offending value.
   */
  protected validateSample(value: TensorLike): Tensor {
    const x = asTensor(this.ops, value);
    if (this.validateArgs) checkSample(this.ops, this.name, this.support, x, this.batchShape, this.eventShape);
    return x;
  }
}

/** Any value usable where Pyro takes a distribution's parameter. */
export type Param = TensorLike;
