/**
 * The ELBO family's shared body.
 *
 * Every ELBO runs the guide under `trace`, the model under `trace(replay(·,
 * guideTrace))`, and turns the two traces into an estimate of the evidence
 * lower bound and a differentiable surrogate whose gradient is an unbiased
 * estimate of the ELBO's. Subclasses differ only in how one particle's pair of
 * traces becomes those two numbers.
 *
 * @module
 */
import { replay } from "../../handlers/replay.js";
import { runTraced, type Runner } from "../../handlers/trace.js";
import { Trace } from "../../handlers/trace-record.js";
import type { Model, AnyModel } from "../../program/gen.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { checkFiniteLogProbs, checkModelGuideMatch, checkSiteShape } from "./checks.js";

/** What an ELBO computes with: the backend's ops and a runner of programs. */
export interface ElboContext {
  /** Tensor ops. */
  readonly ops: Ops;
  /** Runs a program (under the caller's handlers, e.g. SVI's param tracking). */
  readonly run: Runner;
  /** Whether to check site shapes and model/guide agreement (Pyro's validation). */
  readonly validate: boolean;
}

/** Options shared by all ELBOs. */
export interface ELBOOptions {
  /** The number of particles (samples from the guide) averaged per estimate (default 1). */
  readonly numParticles?: number;
  /** The number of plates that may nest (default: unbounded, as `Trace_ELBO`). */
  readonly maxPlateNesting?: number;
  /** Accepted for pyroapi compatibility; JIT warnings are not printed. */
  readonly ignoreJitWarnings?: boolean;
}

/** An ELBO estimate and its differentiable surrogate. */
export interface LossAndSurrogate {
  /** −ELBO, as a number. */
  readonly loss: number;
  /** A scalar tensor whose gradient estimates the gradient of −ELBO. */
  readonly surrogate: Tensor;
}

/** The error thrown for an invalid ELBO option. */
export class ElboOptionError extends Error {
  /** Makes the error for `option`. */
  constructor(elbo: string, option: string, expected: string, got: unknown) {
    super(`infer.${elbo}: ${option} must be ${expected}, got ${String(got)}`);
    this.name = "ElboOptionError";
  }
}

/** The two traces of one particle. */
export interface ParticleTraces {
  /** The model's trace, replayed against the guide. */
  readonly modelTrace: Trace;
  /** The guide's trace. */
  readonly guideTrace: Trace;
}

/**
 * The base of all ELBOs: runs particles and averages them.
 */
export abstract class ELBO {
  /** Particles per estimate. */
  readonly numParticles: number;
  /** Max plate nesting (for shape checks). */
  readonly maxPlateNesting: number;

  /** Makes an ELBO with `options`. */
  constructor(options: ELBOOptions = {}) {
    const n = options.numParticles ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new ElboOptionError(this.constructor.name, "numParticles", "an integer ≥ 1", n);
    const m = options.maxPlateNesting ?? Infinity;
    if (!(m === Infinity || (Number.isInteger(m) && m >= 0))) {
      throw new ElboOptionError(this.constructor.name, "maxPlateNesting", "an integer ≥ 0", m);
    }
    this.numParticles = n;
    this.maxPlateNesting = m;
  }

  /** The ELBO and surrogate ELBO (not negated) of one particle's traces. */
  protected abstract particle(ctx: ElboContext, traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor };

  /** Runs guide and model for one particle and computes their log-densities. */
  protected traces<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): ParticleTraces {
    const guideTrace = runTraced(ctx.run, guide(...args), args);
    const modelTrace = runTraced(ctx.run, replay(model, { trace: guideTrace })(...args), args);
    modelTrace.computeLogProb();
    guideTrace.computeLogProb();
    if (ctx.validate) {
      checkModelGuideMatch(modelTrace, guideTrace);
      for (const site of modelTrace.sampleNodes()) checkSiteShape(site, this.maxPlateNesting);
      for (const site of guideTrace.sampleNodes()) checkSiteShape(site, this.maxPlateNesting);
    }
    return { modelTrace, guideTrace };
  }

  /** −ELBO and a differentiable surrogate, averaged over particles. */
  lossAndSurrogate<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): LossAndSurrogate {
    const { ops } = ctx;
    let loss = 0;
    let surrogate: Tensor = ops.tensor(0);
    for (let i = 0; i < this.numParticles; i++) {
      const traces = this.traces(ctx, model, guide, args);
      const p = this.particle(ctx, traces);
      const elbo = ops.item(p.elbo);
      if (!Number.isFinite(elbo)) {
        checkFiniteLogProbs(traces.modelTrace, (t) => ops.item(t));
        checkFiniteLogProbs(traces.guideTrace, (t) => ops.item(t));
      }
      loss -= elbo / this.numParticles;
      surrogate = ops.sub(surrogate, ops.div(p.surrogate, this.numParticles));
    }
    return { loss, surrogate };
  }

  /** −ELBO estimated with `numParticles` particles. */
  loss<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): number {
    return ctx.ops.tidy(() => this.lossAndSurrogate(ctx, model, guide, args).loss);
  }
}

/** The sum of `logProbSum` over `sites`, as a tensor. */
export function sumLogProbs(ops: Ops, sites: Iterable<{ logProbSum?: Tensor }>): Tensor {
  let total: Tensor = ops.tensor(0);
  for (const s of sites) if (s.logProbSum !== undefined) total = ops.add(total, s.logProbSum);
  return total;
}
