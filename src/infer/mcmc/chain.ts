/**
 * One Markov chain: warmup with adaptation, then sampling. A chain is a
 * function of its setup (the potential, the initial point, the transition,
 * the options) and its random key, with no other state — so chains can run
 * one after the other, or later in worker threads, with identical results.
 *
 * @module
 */
import { split, type RandomKey } from "../../tensor/random/index.js";
import { WarmupAdapter, initialParameters } from "./adaptation.js";
import { KeyDraws } from "./draws.js";
import { mutableCopy, type MutablePoint, type PhasePoint, type PotentialFn } from "./integrator.js";
import type { InverseMassMatrix } from "./mass-matrix.js";
import { MCMCInitializationError } from "./initial-point.js";
import { findReasonableStepSize } from "./step-size.js";
import type { Transition } from "./transition.js";

/** Everything a chain needs besides its key. */
export interface ChainSetup {
  /** U and ∇U over the flat unconstrained vector. */
  readonly potential: PotentialFn;
  /** The initial unconstrained point (its potential and gradient must be finite). */
  readonly initial: Float64Array;
  /** The kernel's transition. */
  readonly transition: Transition;
  /** Warmup iterations. */
  readonly warmupSteps: number;
  /** Sampling iterations. */
  readonly numSamples: number;
  /** Keep every `thinning`-th sampling iteration (the 0th, thinning-th, …). */
  readonly thinning: number;
  /** The initial step size. */
  readonly stepSize: number;
  /** Adapt the step size during warmup (and start from the step-size heuristic). */
  readonly adaptStepSize: boolean;
  /** Adapt the mass matrix during warmup. */
  readonly adaptMassMatrix: boolean;
  /** Use a dense mass matrix. */
  readonly dense: boolean;
  /** The acceptance probability step-size adaptation aims for. */
  readonly targetAcceptProb: number;
}

/** What a chain reports after each iteration (for progress bars). */
export interface IterationInfo {
  /** "warmup" or "sample". */
  readonly phase: "warmup" | "sample";
  /** The iteration, counted from 0 over warmup and sampling. */
  readonly iteration: number;
  /** The step size used. */
  readonly stepSize: number;
  /** The mean acceptance statistic in the current phase so far. */
  readonly meanAcceptProb: number;
  /** Divergent transitions in the current phase so far. */
  readonly divergences: number;
}

/** The statistics of a finished chain. */
export interface ChainStats {
  /** Sampling iterations (0-based, before thinning) whose transition diverged. */
  readonly divergences: readonly number[];
  /** The number of divergent warmup transitions. */
  readonly warmupDivergences: number;
  /** The mean acceptance statistic over sampling iterations. */
  readonly meanAcceptProb: number;
  /** The step size after warmup. */
  readonly stepSize: number;
  /** The inverse mass matrix after warmup. */
  readonly inverseMass: InverseMassMatrix;
  /** Leapfrog steps over the whole chain. */
  readonly numSteps: number;
  /** The mean tree depth over sampling iterations (NUTS; 0 for HMC). */
  readonly meanTreeDepth: number;
}

/** The draws and statistics of a chain. */
export interface ChainResult {
  /** The kept draws, row-major `numKept × dim` in unconstrained space. */
  readonly samples: Float64Array;
  /** The number of kept draws. */
  readonly numKept: number;
  /** The statistics. */
  readonly stats: ChainStats;
}

/** The number of draws kept out of `numSamples` with `thinning`. */
export function keptCount(numSamples: number, thinning: number): number {
  return Math.ceil(numSamples / thinning);
}

/**
 * One chain as a state machine: {@link ChainStepper.step} runs one
 * iteration, so a driver can run a chain in one go ({@link runChain}), yield
 * to the event loop between iterations, or stop when an `AbortSignal`
 * fires — with the same draws in every case. Iteration i draws from
 * `fold(iterationKey, i)`, adaptation's step-size searches from
 * `fold(adaptKey, ·)`.
 *
 * @example
 * ```ts
 * const chain = new ChainStepper(setup, key);
 * while (!chain.done) chain.step();
 * const { samples, stats } = chain.result();
 * ```
 */
export class ChainStepper {
  /** The number of iterations (warmup + sampling). */
  readonly total: number;
  private readonly dim: number;
  private readonly adaptKey: RandomKey;
  private readonly iterationKey: RandomKey;
  private readonly adapter: WarmupAdapter;
  private readonly samples: Float64Array;
  private readonly divergences: number[] = [];
  private point: PhasePoint;
  /** The two buffers transitions write the next point into (never the one holding the current point). */
  private readonly buffers: readonly [MutablePoint, MutablePoint];
  private i = 0;
  private warmupDivergences = 0;
  private acceptSum = 0;
  private depthSum = 0;
  private numSteps = 0;

  /** Prepares the chain: checks the initial point and, when adapting, finds a reasonable first step size. */
  constructor(
    private readonly setup: ChainSetup,
    key: RandomKey,
  ) {
    const { potential, warmupSteps, numSamples, thinning } = setup;
    this.dim = setup.initial.length;
    this.total = warmupSteps + numSamples;
    [this.adaptKey, this.iterationKey] = split(key) as [RandomKey, RandomKey];
    const first = potential(setup.initial);
    if (!Number.isFinite(first.value) || first.grad.some((g) => !Number.isFinite(g))) {
      throw new MCMCInitializationError("runChain", `the initial point has potential energy ${first.value} or a non-finite gradient`);
    }
    this.point = { q: setup.initial, p: new Float64Array(this.dim), potential: first.value, grad: first.grad };
    this.buffers = [mutableCopy(this.point), mutableCopy(this.point)];
    let params = initialParameters(this.dim, setup.dense, setup.stepSize);
    if (setup.adaptStepSize) {
      const stepSize = findReasonableStepSize(potential, params.inverseMass, this.point, setup.stepSize, new KeyDraws(this.adaptKey, 0));
      params = { ...params, stepSize };
    }
    this.adapter = new WarmupAdapter(
      {
        warmupSteps,
        adaptStepSize: setup.adaptStepSize,
        adaptMassMatrix: setup.adaptMassMatrix,
        dense: setup.dense,
        targetAcceptProb: setup.targetAcceptProb,
      },
      params,
    );
    this.samples = new Float64Array(keptCount(numSamples, thinning) * this.dim);
  }

  /** Iterations run so far. */
  get iteration(): number {
    return this.i;
  }

  /** Whether every iteration has run. */
  get done(): boolean {
    return this.i >= this.total;
  }

  /** Runs the next iteration (a no-op once {@link ChainStepper.done}) and returns what a progress bar shows. */
  step(): IterationInfo | undefined {
    if (this.done) return undefined;
    const { potential, transition, warmupSteps, thinning } = this.setup;
    const i = this.i;
    const warmup = i < warmupSteps;
    if (i === warmupSteps) this.acceptSum = 0;
    const { stepSize, inverseMass } = this.adapter.parameters;
    const out = this.point === this.buffers[0] ? this.buffers[1] : this.buffers[0];
    const result = transition({ potential, inverseMass, stepSize, draws: new KeyDraws(this.iterationKey, i), out }, this.point);
    this.point = result.point;
    this.numSteps += result.numSteps;
    this.acceptSum += result.acceptProb;
    if (warmup) {
      if (result.diverging) this.warmupDivergences++;
      this.adapter.update(i, result.acceptProb, this.point, potential, new KeyDraws(this.adaptKey, i + 1));
    } else {
      const s = i - warmupSteps;
      if (result.diverging) this.divergences.push(s);
      this.depthSum += result.treeDepth;
      if (s % thinning === 0) this.samples.set(this.point.q, (s / thinning) * this.dim);
    }
    this.i = i + 1;
    return {
      phase: warmup ? "warmup" : "sample",
      iteration: i,
      stepSize,
      meanAcceptProb: this.acceptSum / (warmup ? i + 1 : i - warmupSteps + 1),
      divergences: warmup ? this.warmupDivergences : this.divergences.length,
    };
  }

  /** The draws and statistics; throws unless the chain is {@link ChainStepper.done}. */
  result(): ChainResult {
    if (!this.done) throw new Error(`ChainStepper.result: the chain has run ${this.i} of ${this.total} iterations`);
    const { numSamples, thinning } = this.setup;
    const final = this.adapter.parameters;
    return {
      samples: this.samples,
      numKept: keptCount(numSamples, thinning),
      stats: {
        divergences: this.divergences,
        warmupDivergences: this.warmupDivergences,
        meanAcceptProb: numSamples > 0 ? this.acceptSum / numSamples : NaN,
        stepSize: final.stepSize,
        inverseMass: final.inverseMass,
        numSteps: this.numSteps,
        meanTreeDepth: numSamples > 0 ? this.depthSum / numSamples : NaN,
      },
    };
  }
}

/**
 * Runs one chain from `setup` with randomness from `key` (see
 * {@link ChainStepper}); `onIteration` sees each iteration's statistics.
 */
export function runChain(
  setup: ChainSetup,
  key: RandomKey,
  onIteration?: (info: IterationInfo) => void,
): ChainResult {
  const chain = new ChainStepper(setup, key);
  while (!chain.done) {
    const info = chain.step()!;
    onIteration?.(info);
  }
  return chain.result();
}
