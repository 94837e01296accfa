/**
 * `AutoLowRankMultivariateNormal`: a low-rank-plus-diagonal Normal over the
 * packed unconstrained latent vector (Pyro's `AutoLowRankMultivariateNormal`).
 *
 * Params as Pyro: `${prefix}.loc` (real, from the init strategy),
 * `${prefix}.scale` (`[latentDim]`, positive, `√½ · initScale`) and
 * `${prefix}.covFactor` (`[latentDim, rank]`, real, initially
 * `Normal(0, 1/√rank)` draws); the covariance is
 * `diag(s) (W Wᵀ + I) diag(s)`, i.e. `LowRankMultivariateNormal(loc,
 * s ⊙ W, s²)`, so that initially each variance is about `initScale²`. The
 * rank defaults to `round(√latentDim)`.
 *
 * @module
 */
import { constraints } from "../../distributions/constraints.js";
import type { Distribution } from "../../distributions/distribution.js";
import { LowRankMultivariateNormal } from "../../distributions/index.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import { normal } from "../../tensor/random/index.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoContinuousImpl, type LocScale, type VectorParam } from "./continuous.js";
import { AutoGuideOptionError } from "./errors.js";
import { checkInitScale, type AutoGuideOptions } from "./guide.js";
import { tensorOf, type FlatValue, type Prototype } from "./prototype.js";

/** Options of `AutoLowRankMultivariateNormal`. */
export interface AutoLowRankOptions<Args extends readonly unknown[] = readonly unknown[]> extends AutoGuideOptions<Args> {
  /** The rank of the low-rank part (default `round(√latentDim)`). */
  readonly rank?: number;
}

/** The guide behind `infer.autoguide.AutoLowRankMultivariateNormal`. */
export class AutoLowRankMultivariateNormalImpl<Args extends readonly unknown[]> extends AutoContinuousImpl<Args> {
  private readonly initScale: number;
  private rank: number | undefined;
  private initFactor: FlatValue = { data: new Float64Array(0), shape: [0, 0] };

  /** Makes the guide of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, options: AutoLowRankOptions<Args> = {}) {
    super(runtime, model, "AutoLowRankMultivariateNormal", options);
    this.initScale = checkInitScale(this.kind, options.initScale ?? 0.1);
    const r = options.rank;
    if (r !== undefined && (typeof r !== "number" || !Number.isInteger(r) || r < 1)) {
      throw new AutoGuideOptionError(this.kind, "rank", "an integer ≥ 1", r);
    }
    this.rank = r;
  }

  /** Packs the initial values and draws the initial factor. */
  protected override initialize(p: Prototype): void {
    super.initialize(p);
    const rank = (this.rank ??= Math.max(1, Math.round(Math.sqrt(this.latentDim))));
    const z = normal(this.runtime.nextKey(), this.latentDim * rank);
    this.initFactor = { data: z.map((v) => v / Math.sqrt(rank)), shape: [this.latentDim, rank] };
  }

  /** `loc`, `scale` and `covFactor`. */
  protected params(): Readonly<Record<string, VectorParam>> {
    const { ops } = this.runtime;
    return {
      loc: { name: `${this.prefix}.loc`, init: () => tensorOf(ops, this.initLoc) },
      scale: {
        name: `${this.prefix}.scale`,
        init: () => ops.full([this.latentDim], Math.SQRT1_2 * this.initScale),
        constraint: constraints.positive,
      },
      covFactor: { name: `${this.prefix}.covFactor`, init: () => tensorOf(ops, this.initFactor) },
    };
  }

  /** `LowRankMultivariateNormal(loc, s ⊙ W, s²)`. */
  protected posteriorFrom(v: Readonly<Record<string, Tensor>>): Distribution {
    const { ops } = this.runtime;
    const s = v.scale!;
    return new LowRankMultivariateNormal(this.runtime.distCtx, v.loc!, ops.mul(v.covFactor!, ops.unsqueeze(s, -1)), ops.square(s));
  }

  /** `loc` and `s √(Σ_j W_ij² + 1)`. */
  protected locScaleFrom(v: Readonly<Record<string, Tensor>>): LocScale {
    const { ops } = this.runtime;
    return { loc: v.loc!, scale: ops.mul(v.scale!, ops.sqrt(ops.add(ops.sum(ops.square(v.covFactor!), -1), 1))) };
  }
}
