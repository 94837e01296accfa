/**
 * The ELBO family's shared body.
 *
 * Every ELBO runs the guide under `trace`, the model under `trace(replay(·,
 * guideTrace))`, and turns the two traces into an estimate of the evidence
 * lower bound and a differentiable surrogate whose gradient is an unbiased
 * estimate of the ELBO's. Subclasses differ only in how one particle's pair of
 * traces becomes those two numbers. Particles run one after the other, or,
 * with `vectorizeParticles`, all at once along an outer plate.
 *
 * @module
 */
import { replay } from "../../handlers/replay.js";
import { runTraced, type Runner } from "../../handlers/trace.js";
import { Trace } from "../../handlers/trace-record.js";
import type { AnyModel } from "../../program/gen.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import type { EstimateParts } from "../jit/estimate.js";
import { checkFiniteLogProbs, checkModelGuideMatch, checkSiteShape } from "./checks.js";
import { guessMaxPlateNesting, vectorizeParticles } from "./vectorize.js";

/** What an ELBO computes with: the backend's ops and a runner of programs. */
export interface ElboContext {
  /** Tensor ops. */
  readonly ops: Ops;
  /** Runs a program (under the caller's handlers, e.g. SVI's param tracking). */
  readonly run: Runner;
  /** Whether to check site shapes and model/guide agreement (Pyro's validation). */
  readonly validate: boolean;
  /**
   * Identifies the optimisation step a gradient estimate is for (e.g. its
   * random key). Calls with the same `step` are re-evaluations of one step
   * (SVI re-runs the loss when it discovers params) and update ELBO state such
   * as decaying-average baselines once; without it every call is a new step.
   */
  readonly step?: unknown;
}

/** Options shared by all ELBOs. */
export interface ELBOOptions {
  /** The number of particles (samples from the guide) averaged per estimate (default 1). */
  readonly numParticles?: number;
  /**
   * The number of plates that may nest (default: unbounded, as `Trace_ELBO`;
   * with `vectorizeParticles`, guessed by running the model once).
   */
  readonly maxPlateNesting?: number;
  /**
   * Draw all particles in one run, along an outer plate at dim
   * `-(maxPlateNesting + 1)` (the model must broadcast like any plated model).
   */
  readonly vectorizeParticles?: boolean;
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
 * The traces of one estimate: `numParticles` pairs, or one vectorized pair
 * whose sites carry all particles along the particle plate.
 */
export interface EstimateTraces {
  /** The particles' traces. */
  readonly particles: readonly ParticleTraces[];
  /** Whether `particles` is one vectorized pair. */
  readonly vectorized: boolean;
}

/**
 * The base of all ELBOs: runs particles and averages them.
 */
export abstract class ELBO {
  /** Particles per estimate. */
  readonly numParticles: number;
  /** Whether particles run vectorized along an outer plate. */
  readonly vectorizeParticles: boolean;
  private plateNesting: number;

  /** Makes an ELBO with `options`. */
  constructor(options: ELBOOptions = {}) {
    const n = options.numParticles ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new ElboOptionError(this.constructor.name, "numParticles", "an integer ≥ 1", n);
    const m = options.maxPlateNesting ?? Infinity;
    if (!(m === Infinity || (Number.isInteger(m) && m >= 0))) {
      throw new ElboOptionError(this.constructor.name, "maxPlateNesting", "an integer ≥ 0", m);
    }
    const v = options.vectorizeParticles ?? false;
    if (typeof v !== "boolean") throw new ElboOptionError(this.constructor.name, "vectorizeParticles", "a boolean", v);
    this.numParticles = n;
    this.plateNesting = m;
    this.vectorizeParticles = v;
  }

  /**
   * Max plate nesting of the model (for shape checks): as given, or, once a
   * vectorized estimate has run, as guessed. The particle plate is not counted.
   */
  get maxPlateNesting(): number {
    return this.plateNesting;
  }

  /** The ELBO and surrogate ELBO (not negated) of one particle's traces (summed over vectorized particles). */
  protected abstract particle(ctx: ElboContext, traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor };

  /** Called before an estimate; `training` is false for {@link ELBO.loss}. Subclasses with state override it. */
  protected beginEstimate(_ctx: ElboContext, _training: boolean): void {}

  /** Called after an estimate succeeded. */
  protected endEstimate(_ctx: ElboContext, _training: boolean): void {}

  /** Runs guide and model for one particle and computes their log-densities. */
  protected traces<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
    maxPlateNesting: number = this.plateNesting,
  ): ParticleTraces {
    const guideTrace = runTraced(ctx.run, guide(...args), args);
    const modelTrace = runTraced(ctx.run, replay(model, { trace: guideTrace })(...args), args);
    const priorOnly = checkModelGuideMatch(modelTrace, guideTrace, ctx.validate);
    modelTrace.computeLogProb();
    guideTrace.computeLogProb();
    if (ctx.validate) {
      for (const site of modelTrace.sampleNodes()) checkSiteShape(site, maxPlateNesting);
      for (const site of guideTrace.sampleNodes()) checkSiteShape(site, maxPlateNesting);
    }
    if (priorOnly.length > 0) this.drawnFromPrior(ctx, modelTrace, priorOnly);
    return { modelTrace, guideTrace };
  }

  private warnedPriorSites = false;

  /**
   * Latent sites of the model that the guide lacks were drawn from their prior
   * p(z) in the model's run: the prior acts as their guide, so log p(z) − log q(z)
   * cancels. Their log-densities are zeroed so every ELBO counts them
   * consistently (the gradient then flows through their reparameterized draw).
   */
  private drawnFromPrior(ctx: ElboContext, modelTrace: ParticleTraces["modelTrace"], names: readonly string[]): void {
    const { ops } = ctx;
    for (const name of names) {
      const site = modelTrace.nodes.get(name)!;
      site.logProb = ops.zerosLike(site.logProb!);
      site.logProbSum = ops.tensor(0);
    }
    this.warnPriorSites(names);
  }

  /** Warns, once per ELBO as Pyro does, that model latent sites are drawn from their prior. */
  protected warnPriorSites(names: readonly string[]): void {
    if (this.warnedPriorSites) return;
    this.warnedPriorSites = true;
    console.warn(`${this.constructor.name}: latent sites of the model are not in the guide and are drawn from their prior: ${names.join(", ")}`);
  }


  /** One estimate of this ELBO for `model` and `guide`, as the parts a JIT ELBO traces. */
  protected estimateParts<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): EstimateParts {
    return {
      numParticles: this.numParticles,
      vectorized: this.vectorizeParticles,
      traces: () => this.traces(ctx, model, guide, args),
      vectorizedTraces: () => this.estimateTraces(ctx, model, guide, args).particles[0]!,
      particle: (t) => this.particle(ctx, t),
    };
  }

  /** The traces of one estimate: sequential particles, or one vectorized run. */
  protected estimateTraces<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): EstimateTraces {
    const n = this.numParticles;
    if (this.vectorizeParticles && n > 1) {
      if (this.plateNesting === Infinity) this.plateNesting = guessMaxPlateNesting(ctx, model, guide, args);
      const dim = -(this.plateNesting + 1);
      const traces = this.traces(
        ctx,
        vectorizeParticles(model, n, dim),
        vectorizeParticles(guide, n, dim),
        args,
        this.plateNesting + 1,
      );
      return { particles: [traces], vectorized: true };
    }
    const particles: ParticleTraces[] = [];
    for (let i = 0; i < n; i++) particles.push(this.traces(ctx, model, guide, args));
    return { particles, vectorized: false };
  }

  /** −ELBO and a differentiable surrogate, averaged over particles (`training`: whether to update ELBO state). */
  protected estimate<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
    training: boolean,
  ): LossAndSurrogate {
    const { ops } = ctx;
    this.beginEstimate(ctx, training);
    const n = this.numParticles;
    let loss = 0;
    let surrogate: Tensor = ops.tensor(0);
    const run = (traces: ParticleTraces): void => {
      const p = this.particle(ctx, traces);
      const elbo = ops.item(p.elbo);
      if (!Number.isFinite(elbo)) checkFiniteParticle(ops, traces);
      loss -= elbo / n;
      surrogate = ops.sub(surrogate, ops.div(p.surrogate, n));
    };
    if (this.vectorizeParticles && n > 1) {
      run(this.estimateTraces(ctx, model, guide, args).particles[0]!);
    } else {
      // One particle at a time: each particle's state updates (baselines) precede the next one's traces.
      for (let i = 0; i < n; i++) run(this.traces(ctx, model, guide, args));
    }
    this.endEstimate(ctx, training);
    return { loss, surrogate };
  }

  /** −ELBO and a differentiable surrogate, averaged over particles. */
  lossAndSurrogate<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): LossAndSurrogate {
    return this.estimate(ctx, model, guide, args, true);
  }

  /** −ELBO estimated with `numParticles` particles (no gradient, no state updates). */
  loss<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): number {
    return ctx.ops.tidy(() => this.estimate(ctx, model, guide, args, false).loss);
  }
}

/** Throws naming the first site of `traces` whose log-density is not finite. */
export function checkFiniteParticle(ops: Ops, traces: ParticleTraces): void {
  checkFiniteLogProbs(traces.modelTrace, (t) => ops.item(t));
  checkFiniteLogProbs(traces.guideTrace, (t) => ops.item(t));
}

/** The sum of `logProbSum` over `sites`, as a tensor. */
export function sumLogProbs(ops: Ops, sites: Iterable<{ logProbSum?: Tensor }>): Tensor {
  let total: Tensor = ops.tensor(0);
  for (const s of sites) if (s.logProbSum !== undefined) total = ops.add(total, s.logProbSum);
  return total;
}
