/**
 * `AutoNormal`: a mean-field Normal guide in unconstrained space, one
 * `loc`/`scale` pair per latent site (Pyro's `AutoNormal`).
 *
 * Each latent site `x` is drawn inside the model's plates as Pyro does: an
 * auxiliary site `x_unconstrained ~ Normal(locs.x, scales.x)` (event dims of
 * the unconstrained value), then `x ~ Delta(T(u), logDensity = −log|J_T(u)|)`
 * with `T = bijectTo(support)`, so the guide's density of `x` is the
 * pushforward density and the value never has to be inverted (which would
 * lose precision in float32 near a constraint's boundary). Params are
 * `${prefix}.locs.${site}` (real) and `${prefix}.scales.${site}` (positive),
 * with the plates' full sizes; under a subsampled plate the plate indexes
 * them by its subsample indices.
 *
 * @module
 */
import { constraints } from "../../distributions/constraints.js";
import type { Distribution } from "../../distributions/distribution.js";
import { Normal } from "../../distributions/index.js";
import { bijectTo } from "../../distributions/transforms/registry.js";
import type { Runtime } from "../../handlers/runtime.js";
import { sample } from "../../primitives/sample.js";
import { gen, type AnyModel } from "../../program/gen.js";
import type { Program } from "../../program/program.js";
import type { Sites } from "../../program/sites.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoGuideImpl, checkInitScale, perSiteBody, transformedDelta, type AutoGuideOptions, type GuideParam } from "./guide.js";
import type { GuidePlates } from "./plates.js";
import { tensorOf, type Prototype, type PrototypeSite } from "./prototype.js";

/** The guide behind `infer.autoguide.AutoNormal`. */
export class AutoNormalImpl<Args extends readonly unknown[]> extends AutoGuideImpl<Args> {
  private readonly initScale: number;

  /** Makes the guide of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, options: AutoGuideOptions<Args> = {}) {
    super(runtime, model, "AutoNormal", options);
    this.initScale = checkInitScale(this.kind, options.initScale ?? 0.1);
  }

  /** Nothing to precompute: each site's params come from its prototype. */
  protected initialize(_p: Prototype): void {}

  /** The `loc` param of `site`. */
  private locParam(site: PrototypeSite): GuideParam {
    return {
      name: `${this.prefix}.locs.${site.name}`,
      init: () => tensorOf(this.runtime.ops, site.initUnconstrained),
      eventDim: site.unconstrainedEventDim,
    };
  }

  /** The `scale` param of `site`. */
  private scaleParam(site: PrototypeSite): GuideParam {
    return {
      name: `${this.prefix}.scales.${site.name}`,
      init: () => this.runtime.ops.full(site.initUnconstrained.shape, this.initScale),
      constraint: constraints.positive,
      eventDim: site.unconstrainedEventDim,
    };
  }

  /** `Normal(loc, scale)` over the unconstrained value, with its event dims. */
  private base(site: PrototypeSite, loc: Tensor, scale: Tensor): Distribution {
    const d = new Normal(this.runtime.distCtx, loc, scale);
    return site.unconstrainedEventDim > 0 ? d.toEvent(site.unconstrainedEventDim) : d;
  }

  /** Every latent site, each inside its plates. */
  protected body(_args: Args, p: Prototype, plates: GuidePlates): Program<Record<string, Tensor>, Sites> {
    // A generator method, not a `function*` expression evaluated per run (see `gen`).
    return perSiteBody(p, plates, (site) => gen(() => this.site(site)));
  }

  private *site(site: PrototypeSite) {
    const loc = yield* this.paramSite(this.locParam(site));
    const scale = yield* this.paramSite(this.scaleParam(site));
    const u = yield* sample(`${site.name}_unconstrained`, this.base(site, loc, scale), { infer: { isAuxiliary: true } });
    return yield* sample(site.name, transformedDelta(this.runtime, site, u));
  }

  /** `T(loc)` per site. */
  protected medianOf(p: Prototype): Record<string, Tensor> {
    const ctx = this.runtime.distCtx;
    return Object.fromEntries(
      p.sites.map((s) => [s.name, bijectTo(ctx, s.support).forward(this.paramValue(this.locParam(s)))]),
    );
  }

  /** `T(loc + scale Φ⁻¹(q))` per site, stacked over `qs`. */
  protected quantilesOf(p: Prototype, qs: readonly number[]): Record<string, Tensor> {
    const { ops, distCtx } = this.runtime;
    return Object.fromEntries(
      p.sites.map((s) => {
        const d = new Normal(distCtx, this.paramValue(this.locParam(s)), this.paramValue(this.scaleParam(s)));
        const z = ops.stack(qs.map((q) => d.icdf(ops.full(d.batchShape, q))), 0);
        return [s.name, bijectTo(distCtx, s.support).forward(z)];
      }),
    );
  }
}
