/**
 * The chi-squared distribution `Chi2(df)`.
 *
 * @module
 */
import type { Shape, Tensor } from "../tensor/types.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import type { Param } from "./distribution.js";
import { Gamma } from "./gamma.js";
import { broadcastParams, expandParams } from "./params.js";

/**
 * The chi-squared distribution with `df` degrees of freedom: `Gamma(df/2, 1/2)`
 * (a subclass, as in torch, so it inherits Gamma's density, reparameterized
 * sampler, moments and the Gamma KL rules).
 *
 * @example
 * ```ts
 * dist.Chi2(4).mean; // 4
 * ```
 */
export class Chi2 extends Gamma {
  /** The degrees of freedom. */
  readonly df: Tensor;

  /** Makes `Chi2(df)`; `df` must be positive. */
  constructor(ctx: DistContext, df: Param) {
    const { params } = broadcastParams(ctx, "Chi2", { df: { value: df, constraint: constraints.positive } });
    super(ctx, ctx.ops.mul(params.df, 0.5), 0.5);
    this.df = params.df;
  }

  /** Parameters broadcast to `batchShape`. */
  override expand(batchShape: Shape): Chi2 {
    return expandParams(this, batchShape, (grow) => new Chi2(this.ctx, grow(this.df)));
  }
}
