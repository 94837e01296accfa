/**
 * `MaskedDistribution(base, mask)`: zeroes `logProb` where a mask is false
 * (reached through `d.mask(mask)`).
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { Distribution, distributionWrappers } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { checkExpand } from "./params.js";
import { asTensor, expandTo } from "./util.js";

/**
 * The base distribution with `logProb` replaced by 0 where `mask` is false,
 * as Pyro's `MaskedDistribution`. `mask` is a boolean or a mask tensor that
 * broadcasts with the base's batch shape (the batch shape is their
 * broadcast); sampling is the base's. Masking a masked distribution combines
 * the masks with `and`.
 *
 * @example
 * ```ts
 * const d = dist.Normal(ops.zeros([3]), 1).mask(ops.tensor([true, false, true]));
 * d.logProb(ops.zeros([3])); // [-0.919, 0, -0.919]
 * ```
 */
export class MaskedDistribution extends Distribution {
  /** The wrapped distribution (expanded to the broadcast batch shape). */
  readonly baseDist: Distribution;
  /** `true`, `false`, or a mask tensor of shape `batchShape`. */
  readonly maskValue: boolean | Tensor;

  /** Makes `MaskedDistribution(base, mask)`. */
  constructor(ctx: DistContext, base: Distribution, mask: boolean | TensorLike) {
    const { ops } = ctx;
    let maskValue: boolean | Tensor = typeof mask === "boolean" ? mask : ops.ne(asTensor(ops, mask), 0);
    let inner = base;
    if (typeof maskValue !== "boolean") {
      let batch: Shape;
      try {
        batch = broadcastShapes(maskValue.shape, base.batchShape);
      } catch {
        throw new DistributionArgumentError("MaskedDistribution", "mask",
          `MaskedDistribution: mask of shape [${maskValue.shape.join(", ")}] does not broadcast with ${base.name}'s batch shape [${base.batchShape.join(", ")}]`);
      }
      maskValue = expandTo(ops, maskValue, batch);
      if (batch.length !== base.batchShape.length || batch.some((d, i) => d !== base.batchShape[i])) inner = base.expand(batch);
    }
    if (inner instanceof MaskedDistribution) {
      maskValue = combineMasks(ctx, inner.maskValue, maskValue);
      inner = inner.baseDist;
    }
    super(ctx, inner.batchShape, inner.eventShape);
    this.baseDist = inner;
    this.maskValue = maskValue;
  }

  /** The base's support. */
  get support(): Constraint {
    return this.baseDist.support;
  }

  /** The base's. */
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  /** The base's. */
  override get hasEnumerateSupport(): boolean {
    return this.baseDist.hasEnumerateSupport;
  }

  /** `where(mask, base.logProb(value), 0)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const m = this.maskValue;
    if (m === true) return this.baseDist.logProb(value);
    const x = asTensor(ops, value);
    if (m === false) {
      const batch = broadcastShapes(this.batchShape, x.shape.slice(0, x.shape.length - this.eventShape.length));
      return ops.zeros(batch);
    }
    return ops.where(m, this.baseDist.logProb(x), 0);
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

  /** The base's support values. */
  override enumerateSupport(expand = true): Tensor {
    return this.baseDist.enumerateSupport(expand);
  }

  /** The base and the mask expanded to `batchShape`. */
  expand(batchShape: Shape): MaskedDistribution {
    checkExpand(this.name, this.batchShape, batchShape);
    const m = this.maskValue;
    const mask = typeof m === "boolean" ? m : this.ops.expand(m, batchShape);
    return new MaskedDistribution(this.ctx, this.baseDist.expand(batchShape), mask);
  }
}

/** The `and` of two masks, keeping booleans where possible. */
export function combineMasks(ctx: DistContext, a: boolean | Tensor, b: boolean | Tensor): boolean | Tensor {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return ctx.ops.logicalAnd(a, b);
}

distributionWrappers.masked = (base, mask) => new MaskedDistribution(base.ctx, base, mask);
