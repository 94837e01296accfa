/**
 * `TraceMeanFieldELBO`: the ELBO with analytic KL divergences where the
 * guide/model pair has one (Pyro's `TraceMeanField_ELBO`).
 *
 * @module
 */
import { hasAnalyticKL, klDivergence } from "../../distributions/kl.js";
import { scaleAndMask } from "../../handlers/trace-record.js";
import type { Tensor } from "../../tensor/types.js";
import { ELBO, type ElboContext, type ParticleTraces } from "./elbo.js";

/** The error thrown when a mean-field ELBO meets a non-reparameterized guide site. */
export class NotReparameterizedError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The site name. */
    readonly site: string,
    elbo: string,
  ) {
    super(`${elbo} requires a reparameterizable guide, but guide site '${site}' has no rsample`);
    this.name = "NotReparameterizedError";
  }
}

/**
 * The mean-field ELBO: for each latent site, −KL(q‖p) in closed form when
 * available, else the Monte Carlo log p − log q. Requires a reparameterized
 * guide whose sites are independent given the data (mean field).
 *
 * @example
 * ```ts
 * const elbo = new infer.TraceMeanFieldELBO();
 * ```
 */
export class TraceMeanFieldELBO extends ELBO {
  /** The ELBO (also the surrogate: every term is differentiable) of one particle. */
  protected particle(ctx: ElboContext, { modelTrace, guideTrace }: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const { ops } = ctx;
    let elbo: Tensor = ops.tensor(0);
    for (const m of modelTrace.sampleNodes()) {
      if (m.isObserved) {
        elbo = ops.add(elbo, m.logProbSum!);
        continue;
      }
      const g = guideTrace.nodes.get(m.name);
      if (g === undefined) {
        elbo = ops.add(elbo, m.logProbSum!);
        continue;
      }
      if (!g.fn!.hasRsample) throw new NotReparameterizedError(g.name, "TraceMeanFieldELBO");
      if (hasAnalyticKL(g.fn!, m.fn!)) {
        const kl = scaleAndMask(ops, klDivergence(g.fn!, m.fn!), g.scale, g.mask);
        elbo = ops.sub(elbo, ops.sum(kl));
      } else {
        elbo = ops.add(elbo, ops.sub(m.logProbSum!, g.logProbSum!));
      }
    }
    for (const g of guideTrace.sampleNodes()) {
      if (modelTrace.nodes.has(g.name)) continue;
      if (!g.fn!.hasRsample) throw new NotReparameterizedError(g.name, "TraceMeanFieldELBO");
      // An auxiliary guide site (the model lacks it) is part of q: −log q, as Pyro.
      elbo = ops.sub(elbo, g.logProbSum!);
    }
    return { elbo, surrogate: elbo };
  }
}
