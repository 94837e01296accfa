/**
 * `AutoDiagonalNormal`: a diagonal Normal over the packed unconstrained
 * latent vector (Pyro's `AutoDiagonalNormal`).
 *
 * Params: `${prefix}.loc` (`[latentDim]`, real, from the init strategy) and
 * `${prefix}.scale` (`[latentDim]`, positive, `initScale`).
 *
 * @module
 */
import { constraints } from "../../distributions/constraints.js";
import type { Distribution } from "../../distributions/distribution.js";
import { Normal } from "../../distributions/index.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoContinuousImpl, type LocScale, type VectorParam } from "./continuous.js";
import { checkInitScale, type AutoGuideOptions } from "./guide.js";
import { tensorOf } from "./prototype.js";

/** The guide behind `infer.autoguide.AutoDiagonalNormal`. */
export class AutoDiagonalNormalImpl<Args extends readonly unknown[]> extends AutoContinuousImpl<Args> {
  private readonly initScale: number;

  /** Makes the guide of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, options: AutoGuideOptions<Args> = {}) {
    super(runtime, model, "AutoDiagonalNormal", options);
    this.initScale = checkInitScale(this.kind, options.initScale ?? 0.1);
  }

  /** `loc` and `scale`. */
  protected params(): Readonly<Record<string, VectorParam>> {
    const { ops } = this.runtime;
    return {
      loc: { name: `${this.prefix}.loc`, init: () => tensorOf(ops, this.initLoc) },
      scale: {
        name: `${this.prefix}.scale`,
        init: () => ops.full([this.latentDim], this.initScale),
        constraint: constraints.positive,
      },
    };
  }

  /** `Normal(loc, scale).toEvent(1)`. */
  protected posteriorFrom(v: Readonly<Record<string, Tensor>>): Distribution {
    return new Normal(this.runtime.distCtx, v.loc!, v.scale!).toEvent(1);
  }

  /** `loc`, `scale`. */
  protected locScaleFrom(v: Readonly<Record<string, Tensor>>): LocScale {
    return { loc: v.loc!, scale: v.scale! };
  }
}
