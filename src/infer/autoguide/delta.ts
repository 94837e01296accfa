/**
 * `AutoDelta`: a MAP guide, one point mass per latent site (Pyro's
 * `AutoDelta`).
 *
 * Each latent site `x` is `Delta(${prefix}.${x})`, a param constrained to the
 * site's support with the site's event dims (so plates index it when they
 * subsample). As in Pyro the Delta carries no log-density: the ELBO is
 * `log p(x, θ)` at the point, so SVI finds the posterior mode in the
 * *constrained* parameterisation (the usual MAP). `AutoLaplaceApproximation`
 * instead finds the mode of the unconstrained density (with the Jacobian).
 *
 * @module
 */
import { Delta } from "../../distributions/index.js";
import type { Runtime } from "../../handlers/runtime.js";
import { sample } from "../../primitives/sample.js";
import { gen, type AnyModel } from "../../program/gen.js";
import type { Program } from "../../program/program.js";
import type { Sites } from "../../program/sites.js";
import type { Tensor } from "../../tensor/types.js";
import { AutoGuideImpl, perSiteBody, type AutoGuideOptions, type GuideParam } from "./guide.js";
import type { GuidePlates } from "./plates.js";
import { tensorOf, type Prototype, type PrototypeSite } from "./prototype.js";

/** The guide behind `infer.autoguide.AutoDelta`. */
export class AutoDeltaImpl<Args extends readonly unknown[]> extends AutoGuideImpl<Args> {
  /** Makes the guide of `model`. */
  constructor(runtime: Runtime, model: AnyModel<Args>, options: AutoGuideOptions<Args> = {}) {
    super(runtime, model, "AutoDelta", options);
  }

  /** Nothing to precompute. */
  protected initialize(_p: Prototype): void {}

  /** The point of `site`. */
  private pointParam(site: PrototypeSite): GuideParam {
    return {
      name: `${this.prefix}.${site.name}`,
      init: () => tensorOf(this.runtime.ops, site.init),
      constraint: site.support,
      eventDim: site.eventDim,
    };
  }

  /** `Delta(point)` for every latent site, inside its plates. */
  protected body(_args: Args, p: Prototype, plates: GuidePlates): Program<Record<string, Tensor>, Sites> {
    // A generator method, not a `function*` expression evaluated per run (see `gen`).
    return perSiteBody(p, plates, (site) => gen(() => this.site(site)));
  }

  private *site(site: PrototypeSite) {
    const v = yield* this.paramSite(this.pointParam(site));
    return yield* sample(site.name, new Delta(this.runtime.distCtx, v, { eventDim: site.eventDim }));
  }

  /** The points. */
  protected medianOf(p: Prototype): Record<string, Tensor> {
    return Object.fromEntries(p.sites.map((s) => [s.name, this.paramValue(this.pointParam(s))]));
  }

  /** The point for every quantile (a point mass has no spread). */
  protected quantilesOf(p: Prototype, qs: readonly number[]): Record<string, Tensor> {
    const { ops } = this.runtime;
    return Object.fromEntries(
      p.sites.map((s) => {
        const v = this.paramValue(this.pointParam(s));
        return [s.name, ops.stack(qs.map(() => v), 0)];
      }),
    );
  }
}
