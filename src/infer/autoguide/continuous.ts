/**
 * `AutoContinuous`: guides over one flat unconstrained vector of all latent
 * sites (Pyro's `AutoContinuous`, ADVI).
 *
 * The latent sites are mapped to the reals by `bijectTo(support)` and packed,
 * in the model's order, into one vector of length `latentDim`. A subclass
 * gives the distribution over that vector ({@link AutoContinuousImpl.posteriorFrom});
 * each run draws it as the auxiliary site `_${prefix}_latent`, unpacks it,
 * and samples each site as `Delta(T(u), logDensity = −log|J_T(u)|)` inside
 * the site's plates. The packed vector may carry leading batch dims (an outer
 * plate, e.g. `Predictive({ parallel: true })`); unpacking broadcasts them
 * against each site's shape as Pyro's `_unpack_latent` does.
 *
 * Subsampled plates are not supported (the vector would change with the
 * mini-batch), as in Pyro: use `AutoNormal` there.
 *
 * @module
 */
import { Normal } from "../../distributions/index.js";
import type { Distribution } from "../../distributions/distribution.js";
import { bijectTo } from "../../distributions/transforms/registry.js";
import type { Runtime } from "../../handlers/runtime.js";
import { sample } from "../../primitives/sample.js";
import { gen, type AnyModel } from "../../program/gen.js";
import type { Program } from "../../program/program.js";
import type { Sites } from "../../program/sites.js";
import { broadcastShapes, sizeOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoGuideError } from "./errors.js";
import { AutoGuideImpl, toAutoGuide, transformedDelta, type AutoGuide, type AutoGuideOptions, type GuideParam } from "./guide.js";
import type { GuidePlates } from "./plates.js";
import type { FlatValue, Prototype, PrototypeSite } from "./prototype.js";

/**
 * An autoguide over the packed unconstrained vector: an {@link AutoGuide}
 * with `getPosterior`.
 *
 * @example
 * ```ts
 * const guide = infer.autoguide.AutoMultivariateNormal(model);
 * // ... SVI ...
 * const q = guide.getPosterior(data); // MultivariateNormal over the packed unconstrained latents
 * ```
 */
export interface ContinuousGuide<Args extends readonly unknown[], S> extends AutoGuide<Args, S> {
  /** The distribution over the packed unconstrained latent vector at the current params (Pyro's `get_posterior`). */
  getPosterior(...args: Args): Distribution;
}

/** The callable guide of a vector guide implementation. */
export function toContinuousGuide<Args extends readonly unknown[], S, Extra extends object = {}>(
  impl: AutoContinuousImpl<Args>,
  extra?: Extra,
): ContinuousGuide<Args, S> & Extra {
  return toAutoGuide<Args, S, { getPosterior: (...args: Args) => Distribution } & Extra>(impl, {
    getPosterior: (...args: Args) => impl.getPosterior(args),
    ...(extra as Extra),
  });
}

/** The `loc` and marginal `scale` of the posterior over the packed vector (for medians and quantiles). */
export interface LocScale {
  /** The location, `[latentDim]`. */
  readonly loc: Tensor;
  /** The marginal standard deviations, `[latentDim]`. */
  readonly scale: Tensor;
}

/** A param of a vector guide, or a fixed value (the Laplace approximation's guide). */
export type VectorParam = GuideParam | FixedParam;

/** A value a vector guide uses in place of a param. */
export interface FixedParam {
  /** The name the param would have. */
  readonly name: string;
  /** The value. */
  readonly fixed: FlatValue;
}

/** The guide over the packed unconstrained vector; subclasses give the posterior. */
export abstract class AutoContinuousImpl<Args extends readonly unknown[]> extends AutoGuideImpl<Args> {
  /** The length of the packed vector (0 before setup). */
  protected latentDim = 0;
  /** Each site's offset in the packed vector. */
  private offsets = new Map<string, number>();
  /** The packed initial unconstrained values. */
  protected initLoc: FlatValue = { data: new Float64Array(0), shape: [0] };

  /** Makes the guide `kind` of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, kind: string, options: AutoGuideOptions<Args>) {
    super(runtime, model, kind, options);
  }

  /** The guide's params, by short name ("loc", "scale", ...); valid after setup. */
  protected abstract params(): Readonly<Record<string, VectorParam>>;

  /** The distribution over the packed vector given the params' values. */
  protected abstract posteriorFrom(values: Readonly<Record<string, Tensor>>): Distribution;

  /** The location and marginal scales given the params' values. */
  protected abstract locScaleFrom(values: Readonly<Record<string, Tensor>>): LocScale;

  /** Checks the prototype and packs the initial values. */
  protected initialize(p: Prototype): void {
    if (p.sites.length === 0) throw new AutoGuideError(this.kind, "the model has no latent sites; use an empty guide instead");
    for (const f of p.frames.values()) {
      if (f.subsampleSize < f.size) {
        throw new AutoGuideError(
          this.kind,
          `plate '${f.name}' subsamples (${f.subsampleSize} of ${f.size}); ${this.kind} does not support subsampling — use AutoNormal or AutoDelta`,
        );
      }
    }
    let offset = 0;
    this.offsets = new Map();
    for (const s of p.sites) {
      this.offsets.set(s.name, offset);
      offset += sizeOf(s.unconstrainedShape);
    }
    const data = new Float64Array(offset);
    for (const s of p.sites) data.set(s.initUnconstrained.data, this.offsets.get(s.name)!);
    this.latentDim = offset;
    this.initLoc = { data, shape: [offset] };
  }

  /** The unconstrained value of `site` in `latent` (`[...batch, latentDim]`). */
  protected unpack(site: PrototypeSite, latent: Tensor): Tensor {
    const { ops } = this.runtime;
    const batch = latent.shape.slice(0, -1);
    const size = sizeOf(site.unconstrainedShape);
    const part = ops.slice(latent, [...batch.map(() => 0), this.offsets.get(site.name)!], [...batch.map(() => -1), size]);
    if (batch.length === 0) return ops.reshape(part, site.unconstrainedShape);
    const ones = new Array<number>(site.unconstrainedEventDim).fill(1);
    return ops.reshape(part, broadcastShapes(site.unconstrainedShape, [...batch, ...ones]));
  }

  /** The current values of the params (stored, or initial before the first run). */
  protected currentValues(): Record<string, Tensor> {
    const { ops } = this.runtime;
    return Object.fromEntries(
      Object.entries(this.params()).map(([k, spec]) => [
        k,
        "fixed" in spec ? ops.fromFlat(spec.fixed.data, spec.fixed.shape) : this.paramValue(spec),
      ]),
    );
  }

  /** The posterior over the packed vector at the current params (Pyro's `get_posterior`). */
  getPosterior(args: Args): Distribution {
    this.prototype(args);
    return this.posteriorFrom(this.currentValues());
  }

  /** The packed draw, then every site inside its plates. */
  protected body(_args: Args, p: Prototype, plates: GuidePlates): Program<Record<string, Tensor>, Sites> {
    // A generator method, not a `function*` expression evaluated per run (see `gen`).
    return gen(() => this.sites(p, plates));
  }

  private *sites(p: Prototype, plates: GuidePlates) {
    const { ops } = this.runtime;
    const values: Record<string, Tensor> = {};
    for (const [k, spec] of Object.entries(this.params())) {
      values[k] = "fixed" in spec ? ops.fromFlat(spec.fixed.data, spec.fixed.shape) : yield* this.paramSite(spec);
    }
    const latent = yield* sample(`_${this.prefix}_latent`, this.posteriorFrom(values), { infer: { isAuxiliary: true } });
    const result: Record<string, Tensor> = {};
    for (const site of p.sites) {
      const delta = transformedDelta(this.runtime, site, this.unpack(site, latent));
      result[site.name] = yield* plates.within(site.frames, () => sample(site.name, delta));
    }
    return result;
  }

  /** `T(loc)` per site. */
  protected medianOf(p: Prototype): Record<string, Tensor> {
    const { loc } = this.locScaleFrom(this.currentValues());
    return this.constrainAll(p, loc);
  }

  /** `T(loc + scale Φ⁻¹(q))` per site, stacked over `qs` (marginal quantiles, as Pyro). */
  protected quantilesOf(p: Prototype, qs: readonly number[]): Record<string, Tensor> {
    const { ops, distCtx } = this.runtime;
    const { loc, scale } = this.locScaleFrom(this.currentValues());
    const positive = ops.item(ops.all(ops.gt(scale, 0))) !== 0;
    const perQ = qs.map((q) =>
      this.constrainAll(p, positive ? new Normal(distCtx, loc, scale).icdf(ops.full([this.latentDim], q)) : loc),
    );
    return Object.fromEntries(p.sites.map((s) => [s.name, ops.stack(perQ.map((r) => r[s.name]!), 0)]));
  }

  /** Each site's constrained value for the packed vector `latent`. */
  private constrainAll(p: Prototype, latent: Tensor): Record<string, Tensor> {
    const ctx = this.runtime.distCtx;
    return Object.fromEntries(p.sites.map((s) => [s.name, bijectTo(ctx, s.support).forward(this.unpack(s, latent))]));
  }
}
