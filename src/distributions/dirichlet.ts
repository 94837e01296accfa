/**
 * The Dirichlet distribution `Dirichlet(concentration)`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { rsampleStandardGamma } from "./sampling.js";
import { finfo, xlogy } from "./util.js";

const positiveVector = constraints.independent(constraints.positive, 1);

/**
 * The Dirichlet distribution on the simplex, with the `K` concentrations
 * along the last dim (event shape `[K]`). Reparameterized: normalised
 * implicitly reparameterized gamma draws.
 *
 * @example
 * ```ts
 * dist.Dirichlet([1, 2, 3]).mean; // [1/6, 2/6, 3/6]
 * ```
 */
export class Dirichlet extends Distribution {
  /** The concentrations, `batchShape ++ [K]`. */
  readonly concentration: Tensor;

  /** Makes `Dirichlet(concentration)`; concentrations must be positive. */
  constructor(ctx: DistContext, concentration: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Dirichlet", {
      concentration: { value: concentration, constraint: positiveVector },
    });
    const c = params.concentration;
    super(ctx, batchShape, [c.shape[c.shape.length - 1]!]);
    this.concentration = c;
  }

  /** `simplex`. */
  get support(): Constraint {
    return constraints.simplex;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `Σ (c - 1) log x + log Γ(Σ c) - Σ log Γ(c)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const c = this.concentration;
    const a = ops.sum(xlogy(ops, ops.sub(c, 1), x), -1);
    return ops.add(a, ops.sub(ops.lgamma(ops.sum(c, -1)), ops.sum(ops.lgamma(c), -1)));
  }

  /** Standard gamma draws `g_k ~ Γ(c_k)`, normalised: `g / Σ g` (at least `tiny`). */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const g = rsampleStandardGamma(ops, key, ops.expand(this.concentration, this.shape(sampleShape)));
    const x = ops.div(g, ops.sum(g, { axis: -1, keepdims: true }));
    return ops.maximum(x, finfo(ops.dtype).tiny);
  }

  /** `c / Σ c`. */
  override get mean(): Tensor {
    return this.ops.div(this.concentration, this.total(true));
  }

  /** `c (c₀ - c) / (c₀² (c₀ + 1))` with `c₀ = Σ c`. */
  override get variance(): Tensor {
    const { ops } = this;
    const c = this.concentration;
    const c0 = this.total(true);
    return ops.div(ops.mul(c, ops.sub(c0, c)), ops.mul(ops.square(c0), ops.add(c0, 1)));
  }

  /** `log B(c) + (c₀ - K) ψ(c₀) - Σ (c - 1) ψ(c)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const c = this.concentration;
    const c0 = this.total(false);
    const k = this.eventShape[0]!;
    const logB = ops.sub(ops.sum(ops.lgamma(c), -1), ops.lgamma(c0));
    const t = ops.mul(ops.sub(c0, k), ops.digamma(c0));
    return ops.sub(ops.add(logB, t), ops.sum(ops.mul(ops.sub(c, 1), ops.digamma(c)), -1));
  }

  /** Parameters broadcast to `batchShape ++ [K]`. */
  expand(batchShape: Shape): Dirichlet {
    return expandParams(this, batchShape, (grow) => new Dirichlet(this.ctx, grow(this.concentration, 1)));
  }

  private total(keepdims: boolean): Tensor {
    return this.ops.sum(this.concentration, { axis: -1, keepdims });
  }
}
