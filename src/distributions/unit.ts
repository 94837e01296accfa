/**
 * The unit distribution `Unit(logFactor)`: what `pyro.factor` samples.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { broadcastParams, expandParams } from "./params.js";
import { asTensor } from "./util.js";

/** Options of {@link Unit}. */
export interface UnitOptions {
  /** Whether to report `hasRsample` (Pyro's `has_rsample`, for reparameterized factors); default false. */
  readonly hasRsample?: boolean;
}

/**
 * The trivial unnormalised distribution of the unit type, as Pyro's `Unit`:
 * its only value is empty (event shape `[0]`) and `logProb` of it is
 * `logFactor`. `pyro.factor(name, logFactor)` samples it as an observed site.
 *
 * The support is `independent(real, 1)` (Pyro says `real`), so that the
 * support's event dim matches the event shape `[0]`.
 *
 * @example
 * ```ts
 * const u = dist.Unit(-1.5);
 * u.logProb(u.sample(key)); // -1.5
 * ```
 */
export class Unit extends Distribution {
  /** The log factor, of shape `batchShape`. */
  readonly logFactor: Tensor;
  private readonly rsampled: boolean;

  /** Makes `Unit(logFactor)`. */
  constructor(ctx: DistContext, logFactor: Param, options: UnitOptions = {}) {
    const { params, batchShape } = broadcastParams(ctx, "Unit", {
      logFactor: { value: logFactor, constraint: constraints.real },
    });
    super(ctx, batchShape, [0]);
    this.logFactor = params.logFactor;
    this.rsampled = options.hasRsample ?? false;
  }

  /** `realVector` (empty vectors). */
  get support(): Constraint {
    return constraints.realVector;
  }

  /** As given in the options. */
  override get hasRsample(): boolean {
    return this.rsampled;
  }

  /** `logFactor`, broadcast with the value's batch dims (the value itself is empty). */
  logProb(value: TensorLike): Tensor {
    const x = asTensor(this.ops, value);
    const batch = broadcastShapes(this.batchShape, x.shape.slice(0, Math.max(x.shape.length - 1, 0)));
    return this.ops.expand(this.logFactor, batch);
  }

  /** The empty value, shape `sampleShape ++ batchShape ++ [0]`. */
  override sample(_key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.ops.zeros(this.shape(sampleShape));
  }

  /** The empty value (when `hasRsample`). */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    return this.sample(key, sampleShape);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): Unit {
    return expandParams(this, batchShape,
      (grow) => new Unit(this.ctx, grow(this.logFactor), { hasRsample: this.rsampled }));
  }
}
