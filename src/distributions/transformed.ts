/**
 * `TransformedDistribution(base, transforms)`: the distribution of
 * `transforms` applied to draws of `base`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { shapesEqual } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { IndependentConstraint } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { Independent } from "./independent.js";
import { checkExpand } from "./params.js";
import { ComposeTransform } from "./transforms/compose.js";
import { Transform } from "./transforms/transform.js";
import { asTensor, sumRightmost } from "./util.js";

/**
 * The pushforward of `base` through `transforms` (applied in order), with
 * torch's shape rules: the base is expanded to what the transforms' shapes
 * require and its batch dims become event dims when the transforms act on
 * larger events. `logProb` is the base's at the inverse image minus the
 * log-det-Jacobians.
 *
 * @example
 * ```ts
 * // LogNormal(0, 1):
 * const d = dist.TransformedDistribution(dist.Normal(0, 1), [dist.transforms.ExpTransform()]);
 * d.logProb(1); // Normal(0, 1).logProb(0)
 * ```
 */
export class TransformedDistribution extends Distribution {
  /** The distribution before the transforms (made `Independent` when the transforms need larger events). */
  readonly baseDist: Distribution;
  /** The transforms, in application order. */
  readonly transforms: readonly Transform[];

  /** Makes the pushforward of `base` through `transforms`. */
  constructor(ctx: DistContext, base: Distribution, transforms: Transform | readonly Transform[]) {
    const parts = transforms instanceof Transform ? [transforms] : [...transforms];
    const whole = new ComposeTransform(ctx, parts);
    const domainDim = whole.domain.eventDim;
    const baseShape = base.shape();
    const baseEventDim = base.eventShape.length;
    if (baseShape.length < domainDim) {
      throw new DistributionArgumentError("TransformedDistribution", "base",
        `TransformedDistribution: the transforms act on events of ${domainDim} dims, but ${base.name} has shape [${baseShape.join(", ")}]`);
    }
    const forwardShape = whole.forwardShape(baseShape);
    const expandedBase = whole.inverseShape(forwardShape);
    let inner = shapesEqual(baseShape, expandedBase)
      ? base : base.expand(expandedBase.slice(0, expandedBase.length - baseEventDim));
    if (domainDim > baseEventDim) inner = new Independent(ctx, inner, domainDim - baseEventDim);
    const eventDim = whole.codomain.eventDim + Math.max(baseEventDim - domainDim, 0);
    const cut = forwardShape.length - eventDim;
    super(ctx, forwardShape.slice(0, cut), forwardShape.slice(cut));
    this.baseDist = inner;
    this.transforms = parts;
  }

  /** The last transform's codomain (widened to the event dims); the base's support without transforms. */
  get support(): Constraint {
    const last = this.transforms[this.transforms.length - 1];
    if (last === undefined) return this.baseDist.support;
    const c = last.codomain;
    const extra = this.eventShape.length - c.eventDim;
    return extra > 0 ? new IndependentConstraint(c, extra) : c;
  }

  /** The base's. */
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  /** `base.logProb(x) - Σ log|det J|` along the inverse images `x` of `value`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    let y = this.validateSample(value);
    let eventDim = this.eventShape.length;
    let logProb: Tensor | undefined;
    for (let i = this.transforms.length - 1; i >= 0; i--) {
      const t = this.transforms[i]!;
      const x = t.inverse(y);
      eventDim += t.domain.eventDim - t.codomain.eventDim;
      const term = sumRightmost(ops, t.logAbsDetJacobian(x, y), eventDim - t.domain.eventDim);
      logProb = logProb === undefined ? ops.neg(term) : ops.sub(logProb, term);
      y = x;
    }
    const base = sumRightmost(ops, this.baseDist.logProb(y), eventDim - this.baseDist.eventShape.length);
    return logProb === undefined ? base : ops.add(logProb, base);
  }

  /** The transforms applied to a base draw (no gradient). */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.stopGradient(this.pushForward(this.baseDist.sample(key, sampleShape)));
  }

  /** The transforms applied to a reparameterized base draw. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.pushForward(this.baseDist.rsample(key, sampleShape));
  }

  /** The base's cdf at the inverse image, flipped where the transforms decrease. */
  override cdf(value: TensorLike): Tensor {
    const x = this.transforms.reduceRight((v: Tensor, t) => t.inverse(v), asTensor(this.ops, value));
    return this.monotonize(this.baseDist.cdf(x));
  }

  /** The transforms applied to the base's icdf (of the flipped quantile where they decrease). */
  override icdf(quantile: TensorLike): Tensor {
    return this.pushForward(this.baseDist.icdf(this.monotonize(asTensor(this.ops, quantile))));
  }

  /** The base expanded so that the transformed batch shape is `batchShape`. */
  expand(batchShape: Shape): TransformedDistribution {
    checkExpand(this.name, this.batchShape, batchShape);
    let shape: Shape = [...batchShape, ...this.eventShape];
    for (let i = this.transforms.length - 1; i >= 0; i--) shape = this.transforms[i]!.inverseShape(shape);
    const baseBatch = shape.slice(0, shape.length - this.baseDist.eventShape.length);
    return new TransformedDistribution(this.ctx, this.baseDist.expand(baseBatch), this.transforms);
  }

  /** `x` through every transform. */
  private pushForward(x: Tensor): Tensor {
    return this.transforms.reduce((v, t) => t.forward(v), x);
  }

  /** `q`, or `1 - q` where the composed transform decreases (torch's `_monotonize_cdf`). */
  private monotonize(q: Tensor): Tensor {
    const sign = new ComposeTransform(this.ctx, this.transforms).sign;
    if (sign === 1) return q;
    return this.ops.add(this.ops.mul(sign, this.ops.sub(q, 0.5)), 0.5);
  }
}
