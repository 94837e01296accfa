/**
 * The beta distribution `Beta(concentration1, concentration0)`.
 *
 * @module
 */
import { split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { rsampleStandardGamma } from "./sampling.js";
import { finfo, logBeta, xlog1py, xlogy } from "./util.js";

/**
 * The beta distribution on `[0, 1]` with density
 * `x^(c1-1) (1-x)^(c0-1) / B(c1, c0)`, Pyro's argument order
 * (`concentration1` = α, `concentration0` = β). Reparameterized through two
 * implicitly reparameterized gamma draws: `x = g1 / (g1 + g0)`.
 *
 * @example
 * ```ts
 * dist.Beta(2, 3).mean; // 0.4
 * ```
 */
export class Beta extends Distribution {
  /** The first concentration (α): the exponent of `x`, plus 1. */
  readonly concentration1: Tensor;
  /** The second concentration (β): the exponent of `1 - x`, plus 1. */
  readonly concentration0: Tensor;

  /** Makes `Beta(concentration1, concentration0)`; both must be positive. */
  constructor(ctx: DistContext, concentration1: Param, concentration0: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Beta", {
      concentration1: { value: concentration1, constraint: constraints.positive },
      concentration0: { value: concentration0, constraint: constraints.positive },
    });
    super(ctx, batchShape, []);
    this.concentration1 = params.concentration1;
    this.concentration0 = params.concentration0;
  }

  /** `unitInterval`. */
  get support(): Constraint {
    return constraints.unitInterval;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `(c1 - 1) log x + (c0 - 1) log(1 - x) - log B(c1, c0)`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const a = xlogy(ops, ops.sub(this.concentration1, 1), x);
    const b = xlog1py(ops, ops.sub(this.concentration0, 1), ops.neg(x));
    return ops.sub(ops.add(a, b), logBeta(ops, this.concentration1, this.concentration0));
  }

  /** `g1 / (g1 + g0)` for standard gamma draws `g1 ~ Γ(c1)`, `g0 ~ Γ(c0)`, clamped into `[tiny, 1 - eps]`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    const [k1, k0] = split(key, 2) as [RandomKey, RandomKey];
    const g1 = rsampleStandardGamma(ops, k1, ops.expand(this.concentration1, shape));
    const g0 = rsampleStandardGamma(ops, k0, ops.expand(this.concentration0, shape));
    const { tiny, eps } = finfo(ops.dtype);
    return ops.clamp(ops.div(g1, ops.add(g1, g0)), tiny, 1 - eps);
  }

  /** `c1 / (c1 + c0)`. */
  override get mean(): Tensor {
    return this.ops.div(this.concentration1, this.total);
  }

  /** `c1 c0 / ((c1 + c0)² (c1 + c0 + 1))`. */
  override get variance(): Tensor {
    const { ops } = this;
    const t = this.total;
    return ops.div(ops.mul(this.concentration1, this.concentration0), ops.mul(ops.square(t), ops.add(t, 1)));
  }

  /** `log B(a, b) - (a-1)ψ(a) - (b-1)ψ(b) + (a+b-2)ψ(a+b)`. */
  override entropy(): Tensor {
    const { ops } = this;
    const a = this.concentration1;
    const b = this.concentration0;
    const t = this.total;
    const terms = ops.add(
      ops.mul(ops.sub(a, 1), ops.digamma(a)),
      ops.mul(ops.sub(b, 1), ops.digamma(b)),
    );
    return ops.add(ops.sub(logBeta(ops, a, b), terms), ops.mul(ops.sub(t, 2), ops.digamma(t)));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Beta {
    return expandParams(this, batchShape,
      (grow) => new Beta(this.ctx, grow(this.concentration1), grow(this.concentration0)));
  }

  private get total(): Tensor {
    return this.ops.add(this.concentration1, this.concentration0);
  }
}
