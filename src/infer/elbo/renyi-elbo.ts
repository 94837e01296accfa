/**
 * `RenyiELBO`: the Rényi divergence variational bound (Li & Turner 2016), as
 * Pyro's `RenyiELBO` computes it.
 *
 * With `K` particles and log-weights `lᵢ = log p(x, zᵢ) − log q(zᵢ)`, the
 * bound is `1/(1−α) · log (1/K) Σᵢ exp((1−α) lᵢ)`: the ELBO as α → 1, the
 * IWAE bound at α = 0 (the default). Terms are kept separate along the plates
 * that every model site shares (independent data points get independent
 * bounds, summed); other plates are summed into the particle's log-weight.
 *
 * Gradients: each particle's surrogate is weighted by its self-normalized
 * weight. Reparameterized guide sites enter pathwise (through `log p − log q`);
 * a non-reparameterized site enters as `α/(1−α) · log q(z)` — Pyro's treatment,
 * the score-function gradient of `log E_q[w^(1−α)]` (so at α = 0 such sites get
 * no gradient: `E_q[p/q]` does not depend on `q`).
 *
 * @module
 */
import type { CondIndepFrame } from "../../handlers/message.js";
import type { TraceNode } from "../../handlers/trace-record.js";
import type { AnyModel } from "../../program/gen.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { checkFiniteParticle, ELBO, ElboOptionError, type ElboContext, type ELBOOptions, type LossAndSurrogate, type ParticleTraces } from "./elbo.js";
import { checkNotEnumerated } from "./enumeration.js";

/** Options of {@link RenyiELBO}. */
export interface RenyiELBOOptions extends ELBOOptions {
  /** The order α of the Rényi divergence: any finite number but 1 (default 0, the IWAE bound). */
  readonly alpha?: number;
}

/** The vectorized plates every sample site of `sites` is in, from the leftmost dim. */
export function commonPlates(sites: readonly TraceNode[]): CondIndepFrame[] {
  if (sites.length === 0) return [];
  const vectorized = (s: TraceNode) => s.condIndepStack.filter((f) => f.dim !== null);
  let common = vectorized(sites[0]!);
  for (const s of sites.slice(1)) {
    const names = new Set(vectorized(s).map((f) => f.name));
    common = common.filter((f) => names.has(f.name));
  }
  return [...common].sort((a, b) => a.dim! - b.dim!);
}

/** `logProb` summed over every dim but those of `frames`, as a tensor of the frames' sizes (leftmost dim first). */
export function sumToPlates(ops: Ops, logProb: Tensor, frames: readonly CondIndepFrame[]): Tensor {
  const rank = logProb.shape.length;
  const keep = new Set(frames.map((f) => rank + f.dim!).filter((a) => a >= 0));
  const axes = logProb.shape.map((_, a) => a).filter((a) => !keep.has(a));
  let v = axes.length > 0 ? ops.sum(logProb, { axis: axes, keepdims: true }) : logProb;
  const present = frames.map((f) => (rank + f.dim! >= 0 ? logProb.shape[rank + f.dim!]! : 1));
  v = ops.reshape(v, present);
  const full = frames.map((f) => f.subsampleSize);
  return present.every((d, i) => d === full[i]) ? v : ops.expand(v, full);
}

/**
 * The Rényi bound of order α (Pyro's `RenyiELBO`).
 *
 * @example
 * ```ts
 * const iwae = new infer.RenyiELBO({ alpha: 0, numParticles: 10, vectorizeParticles: true });
 * ```
 */
export class RenyiELBO extends ELBO {
  /** The order of the divergence. */
  readonly alpha: number;

  /** Makes the bound with `options` (default α = 0 and 2 particles, as Pyro). */
  constructor(options: RenyiELBOOptions = {}) {
    super({ ...options, numParticles: options.numParticles ?? 2 });
    const alpha = options.alpha ?? 0;
    if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha === 1) {
      throw new ElboOptionError("RenyiELBO", "alpha", "a finite number other than 1 (for α = 1 use TraceELBO)", alpha);
    }
    if (this.numParticles < 2) {
      throw new ElboOptionError("RenyiELBO", "numParticles", "an integer ≥ 2 (with one particle the bound is the ELBO: use TraceELBO)", this.numParticles);
    }
    this.alpha = alpha;
  }

  /**
   * One particle's log-weight and surrogate, each a tensor over the plates
   * common to all model sites (with vectorized particles, the particle plate
   * comes first).
   */
  protected particle(ctx: ElboContext, { modelTrace, guideTrace }: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const { ops } = ctx;
    if (ctx.validate) checkNotEnumerated("RenyiELBO", guideTrace);
    const frames = commonPlates(modelTrace.sampleNodes());
    const zero = ops.zeros(frames.map((f) => f.subsampleSize));
    let elbo = zero;
    let surrogate = zero;
    for (const site of modelTrace.sampleNodes()) {
      const lp = sumToPlates(ops, site.logProb!, frames);
      elbo = ops.add(elbo, ops.stopGradient(lp));
      surrogate = ops.add(surrogate, lp);
    }
    const scoreWeight = this.alpha / (1 - this.alpha);
    for (const site of guideTrace.sampleNodes()) {
      const lq = sumToPlates(ops, site.logProb!, frames);
      elbo = ops.sub(elbo, ops.stopGradient(lq));
      if (site.fn!.hasRsample) surrogate = ops.sub(surrogate, lq);
      else if (!site.isObserved) surrogate = ops.add(surrogate, ops.mul(lq, scoreWeight));
    }
    return { elbo, surrogate };
  }

  /** The bound over all particles: log-mean-exp of the weighted log-weights. */
  protected override estimate<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): LossAndSurrogate {
    const { ops } = ctx;
    const k = this.numParticles;
    const { particles, vectorized } = this.estimateTraces(ctx, model, guide, args);
    const parts = particles.map((t) => this.particle(ctx, t));
    const elbos = vectorized ? parts[0]!.elbo : ops.stack(parts.map((p) => p.elbo), 0);
    const surrogates = vectorized ? parts[0]!.surrogate : ops.stack(parts.map((p) => p.surrogate), 0);
    const logWeights = ops.mul(elbos, 1 - this.alpha);
    const logMeanWeight = ops.sub(ops.logsumexp(logWeights, { axis: 0, keepdims: true }), Math.log(k));
    const elbo = ops.item(ops.sum(logMeanWeight)) / (1 - this.alpha);
    if (!Number.isFinite(elbo)) for (const t of particles) checkFiniteParticle(ops, t);
    const normalized = ops.stopGradient(ops.exp(ops.sub(logWeights, logMeanWeight)));
    const surrogate = ops.div(ops.sum(ops.mul(normalized, surrogates)), k);
    return { loss: -elbo, surrogate: ops.neg(surrogate) };
  }
}
