/**
 * `TraceEnumELBO`: the ELBO with exact enumeration of discrete sites (Pyro's
 * `TraceEnum_ELBO`).
 *
 * Sites marked `infer: { enumerate: "parallel" }` (see `configEnumerate`)
 * are enumerated instead of sampled: in the model they are summed out
 * exactly (sum-product over their log-densities, respecting plates and
 * `pyro.markov`), in the guide their values are averaged exactly with the
 * guide's probabilities. The guide and the model each run once per particle
 * under an enumeration handler; the enumeration dims sit left of the
 * `maxPlateNesting` plate dims. Discrete guide sites that are not enumerated
 * keep `TraceELBO`'s score-function gradient.
 *
 * `maxPlateNesting` is required to place the enumeration dims; when it is
 * not given it is guessed once by running the guide and model without
 * enumeration (as Pyro does).
 *
 * @module
 */
import { EnumAllocator, EnumerateHandler } from "../../handlers/enumerate.js";
import { replay } from "../../handlers/replay.js";
import { runTraced } from "../../handlers/trace.js";
import { wrap } from "../../handlers/wrap.js";
import type { AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";
import { enumElboParticle, type EnumParticleTraces } from "../enum/elbo-particle.js";
import { checkModelGuideMatch, checkSiteShape } from "./checks.js";
import { ELBO, type ElboContext, type ParticleTraces } from "./elbo.js";
import { guessMaxPlateNesting } from "./vectorize.js";

/** The error thrown when `maxPlateNesting` is not given and cannot be guessed. */
export class MaxPlateNestingError extends Error {
  /** Makes the error; `cause` is why guessing failed. */
  constructor(cause: unknown) {
    super(
      "TraceEnumELBO: maxPlateNesting was not given and could not be guessed by running the guide and model once " +
        `without enumeration (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "pass new infer.TraceEnumELBO({ maxPlateNesting }) with the number of nested plates",
      { cause },
    );
    this.name = "MaxPlateNestingError";
  }
}

/**
 * The ELBO of Pyro's `TraceEnum_ELBO`.
 *
 * @example
 * ```ts
 * const model = pyro.model(function* (x: Tensor) {
 *   const locs = yield* pyro.param("locs", ops.tensor([-1, 0, 1]));
 *   yield* pyro.plate("data", x.shape[0]!, function* () {
 *     const z = yield* pyro.sample("z", dist.Categorical([1 / 3, 1 / 3, 1 / 3]), { infer: { enumerate: "parallel" } });
 *     yield* pyro.sample("x", dist.Normal(ops.index(locs, z), 1), { obs: x });
 *   });
 * });
 * const guide = pyro.model(function* (_x: Tensor) {});
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), new infer.TraceEnumELBO({ maxPlateNesting: 1 }));
 * ```
 */
export class TraceEnumELBO extends ELBO {
  private guessed: number | undefined;

  /** Runs the guide and the replayed model under enumeration and computes their log-densities. */
  protected override traces<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
    maxPlateNesting: number = this.maxPlateNesting,
  ): EnumParticleTraces {
    const nesting = maxPlateNesting !== Infinity ? maxPlateNesting : this.guess(ctx, model, guide, args);
    const allocator = new EnumAllocator(-1 - nesting);
    const guideEnum = new EnumerateHandler(allocator);
    const guideTrace = runTraced(ctx.run, wrap("TraceEnumELBO", guide, () => guideEnum)(...args), args);
    const guideLatent = new Set(guideTrace.stochasticNodes().map((n) => n.name));
    const modelEnum = new EnumerateHandler(allocator, { skip: guideLatent, upstream: guideEnum });
    const enumerated = wrap("TraceEnumELBO", model, () => modelEnum);
    const modelTrace = runTraced(ctx.run, replay(enumerated, { trace: guideTrace })(...args), args);
    const matched = checkModelGuideMatch(modelTrace, guideTrace, ctx.validate);
    modelTrace.computeLogProb();
    guideTrace.computeLogProb();
    if (ctx.validate) {
      for (const site of modelTrace.sampleNodes()) checkSiteShape(site, nesting);
      for (const site of guideTrace.sampleNodes()) checkSiteShape(site, nesting);
    }
    const priorOnly = matched.filter((n) => modelEnum.sites.get(n)?.enumDim === undefined);
    if (priorOnly.length > 0) this.warnPriorSites(priorOnly);
    return { modelTrace, guideTrace, modelEnum, guideEnum, maxPlateNesting: nesting, priorOnly: new Set(priorOnly) };
  }

  /** The ELBO and surrogate of one enumerated particle. */
  protected particle(ctx: ElboContext, traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const t = traces as Partial<EnumParticleTraces> & ParticleTraces;
    if (t.modelEnum === undefined || t.guideEnum === undefined) {
      throw new Error("TraceEnumELBO: particle() needs traces made by TraceEnumELBO.traces()");
    }
    return enumElboParticle(ctx.ops, t as EnumParticleTraces);
  }

  private guess<Args extends readonly unknown[]>(ctx: ElboContext, model: AnyModel<Args>, guide: AnyModel<Args>, args: Args): number {
    if (this.guessed === undefined) {
      try {
        this.guessed = guessMaxPlateNesting(ctx, model, guide, args);
      } catch (e) {
        throw new MaxPlateNestingError(e);
      }
    }
    return this.guessed;
  }

}
