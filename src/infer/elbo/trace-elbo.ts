/**
 * `TraceELBO`: the Monte Carlo ELBO with score-function terms for
 * non-reparameterized guide sites, Rao–Blackwellized along plates (Pyro's
 * `Trace_ELBO`).
 *
 * @module
 */
import type { Trace } from "../../handlers/trace-record.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { ELBO, sumLogProbs, type ElboContext, type ParticleTraces } from "./elbo.js";
import { MultiFrameTensor } from "./multi-frame.js";

/** log p − log q per site, without gradient, grouped by plates (Pyro's `_compute_log_r`). */
export function computeLogR(ops: Ops, modelTrace: Trace, guideTrace: Trace): MultiFrameTensor {
  const logR = new MultiFrameTensor(ops);
  for (const site of modelTrace.sampleNodes()) {
    let term = site.logProb!;
    if (!site.isObserved) {
      const g = guideTrace.nodes.get(site.name);
      // A latent site the guide lacks was drawn from the model's prior: its log p − log q is 0.
      if (g === undefined) continue;
      term = ops.sub(term, g.logProb!);
    }
    logR.add(site.condIndepStack, ops.stopGradient(term));
  }
  return logR;
}

/**
 * The ELBO of Pyro's `Trace_ELBO`.
 *
 * @example
 * ```ts
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO({ numParticles: 4 }));
 * ```
 */
export class TraceELBO extends ELBO {
  /** The ELBO and its surrogate for one particle. */
  protected particle(ctx: ElboContext, { modelTrace, guideTrace }: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const { ops } = ctx;
    const modelSum = sumLogProbs(ops, modelTrace.sampleNodes());
    let elbo = modelSum;
    let surrogate = modelSum;
    let logR: MultiFrameTensor | undefined;
    for (const site of guideTrace.sampleNodes()) {
      elbo = ops.sub(elbo, site.logProbSum!);
      if (site.fn!.hasRsample) {
        surrogate = ops.sub(surrogate, site.logProbSum!);
      } else {
        logR ??= computeLogR(ops, modelTrace, guideTrace);
        const weight = logR.sumTo(site.condIndepStack);
        surrogate = ops.add(surrogate, ops.sum(ops.mul(weight, site.logProb!)));
      }
    }
    return { elbo, surrogate };
  }
}
