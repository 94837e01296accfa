/**
 * The Poisson distribution `Poisson(rate)`.
 *
 * @module
 */
import { poisson, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { flatNumbers, xlogy } from "./util.js";

/**
 * The number of events of a Poisson process with mean `rate`:
 * `P(k) = rate^k e^(-rate) / k!`.
 *
 * @example
 * ```ts
 * dist.Poisson(2).logProb(0); // -2
 * ```
 */
export class Poisson extends Distribution {
  /** The mean number of events (nonnegative). */
  readonly rate: Tensor;

  /** Makes `Poisson(rate)`; `rate` must be nonnegative. */
  constructor(ctx: DistContext, rate: Param) {
    const { params, batchShape } = broadcastParams(ctx, "Poisson", {
      rate: { value: rate, constraint: constraints.nonnegative },
    });
    super(ctx, batchShape, []);
    this.rate = params.rate;
  }

  /** `nonnegativeInteger`. */
  get support(): Constraint {
    return constraints.nonnegativeInteger;
  }

  /** `k log rate - rate - log k!` (with `0 log 0 = 0`). */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const k = this.validateSample(value);
    return ops.sub(ops.sub(xlogy(ops, k, this.rate), this.rate), ops.lgamma(ops.add(k, 1)));
  }

  /** Counts drawn with the exact flat Poisson sampler. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const shape = this.shape(sampleShape);
    return ops.fromFlat(poisson(key, flatNumbers(ops, ops.expand(this.rate, shape))), shape);
  }

  /** `rate`. */
  override get mean(): Tensor {
    return this.rate;
  }

  /** `rate`. */
  override get variance(): Tensor {
    return this.rate;
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Poisson {
    return expandParams(this, batchShape, (grow) => new Poisson(this.ctx, grow(this.rate)));
  }
}
