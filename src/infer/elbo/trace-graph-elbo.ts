/**
 * `TraceGraphELBO`: the Monte Carlo ELBO whose score-function terms are
 * weighted by downstream costs only, with optional baselines (Pyro's
 * `TraceGraph_ELBO`).
 *
 * For a guide site `z` without a reparameterized sampler, `TraceELBO` weights
 * `∇ log q(z)` by the whole `log p − log q` of the particle (Rao–Blackwellized
 * along plates only). Cost terms that come before `z` and do not depend on it
 * only add variance; this ELBO drops them (see `downstream-costs.ts`) and can
 * subtract a baseline (see `baseline.ts`). Both keep the gradient unbiased.
 *
 * @module
 */
import type { Tensor } from "../../tensor/types.js";
import { baselineOptions, DecayingAverages } from "./baseline.js";
import { downstreamCosts } from "./downstream-costs.js";
import { ELBO, sumLogProbs, type ElboContext, type ParticleTraces } from "./elbo.js";
import { checkNotEnumerated } from "./enumeration.js";

/**
 * The ELBO of Pyro's `TraceGraph_ELBO`: lower-variance gradients for guides
 * with discrete or other non-reparameterized sites. Baselines are set per
 * guide site through `infer.baseline`; the decaying averages are state of this
 * ELBO instance.
 *
 * @example
 * ```ts
 * const guide = pyro.model(function* () {
 *   const p = yield* pyro.param("p", 0.5, { constraint: dist.constraints.unitInterval });
 *   yield* pyro.sample("z", dist.Bernoulli(p), { infer: { baseline: { useDecayingAverageBaseline: true, baselineBeta: 0.9 } } });
 * });
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceGraphELBO());
 * ```
 */
export class TraceGraphELBO extends ELBO {
  /** The decaying-average baselines of the guide sites that use them. */
  readonly baselines = new DecayingAverages();
  private training = false;

  /** Starts an estimate: baselines update only when training. */
  protected override beginEstimate(ctx: ElboContext, training: boolean): void {
    this.training = training;
    if (training) this.baselines.begin(ctx.step);
  }

  /** Keeps the baselines' updates for the next step. */
  protected override endEstimate(_ctx: ElboContext, training: boolean): void {
    if (training) this.baselines.end();
  }

  /** The ELBO and its surrogate for one particle (or all vectorized particles). */
  protected particle(ctx: ElboContext, { modelTrace, guideTrace }: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const { ops } = ctx;
    if (ctx.validate) checkNotEnumerated("TraceGraphELBO", guideTrace);
    const modelSum = sumLogProbs(ops, modelTrace.sampleNodes());
    let elbo = modelSum;
    let surrogate = modelSum;
    for (const site of guideTrace.sampleNodes()) {
      elbo = ops.sub(elbo, site.logProbSum!);
      if (site.fn!.hasRsample) surrogate = ops.sub(surrogate, site.logProbSum!);
    }
    const nonReparam = guideTrace.nonreparamStochasticNodes();
    if (nonReparam.length === 0) return { elbo, surrogate };
    const costs = downstreamCosts(ops, modelTrace, guideTrace, nonReparam);
    for (const site of nonReparam) {
      let cost = costs.get(site.name)!;
      const options = baselineOptions(ops, site);
      let baseline: Tensor | undefined;
      if (options.useDecayingAverageBaseline && this.training) {
        baseline = this.baselines.baseline(ops, site, cost, options.baselineBeta);
      }
      if (options.baselineValue !== undefined) {
        baseline = baseline === undefined ? options.baselineValue : ops.add(baseline, options.baselineValue);
        // Trains the user's baseline towards the cost: Pyro's baseline loss (cost − b)².
        surrogate = ops.sub(surrogate, ops.sum(ops.square(ops.sub(cost, baseline))));
      }
      if (baseline !== undefined) cost = ops.sub(cost, baseline);
      surrogate = ops.add(surrogate, ops.sum(ops.mul(site.logProb!, ops.stopGradient(cost))));
    }
    return { elbo, surrogate };
  }
}
