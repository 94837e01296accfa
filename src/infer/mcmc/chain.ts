/**
 * One Markov chain: warmup with adaptation, then sampling. A chain is a
 * function of its setup (the potential, the initial point, the transition,
 * the options) and its random key, with no other state — so chains can run
 * one after the other, or later in worker threads, with identical results.
 *
 * @module
 */
import { fold, split, type RandomKey } from "../../tensor/random/index.js";
import { WarmupAdapter, initialParameters } from "./adaptation.js";
import { KeyDraws } from "./draws.js";
import type { PhasePoint, PotentialFn } from "./integrator.js";
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
 * Runs one chain from `setup` with randomness from `key`: iteration i draws
 * from `fold(iterationKey, i)`, adaptation's step-size searches from
 * `fold(adaptKey, ·)`.
 */
export function runChain(
  setup: ChainSetup,
  key: RandomKey,
  onIteration?: (info: IterationInfo) => void,
): ChainResult {
  const { potential, transition, warmupSteps, numSamples, thinning } = setup;
  const dim = setup.initial.length;
  const [adaptKey, iterationKey] = split(key) as [RandomKey, RandomKey];
  const first = potential(setup.initial);
  if (!Number.isFinite(first.value) || first.grad.some((g) => !Number.isFinite(g))) {
    throw new MCMCInitializationError("runChain", `the initial point has potential energy ${first.value} or a non-finite gradient`);
  }
  let point: PhasePoint = { q: setup.initial, p: new Float64Array(dim), potential: first.value, grad: first.grad };
  let params = initialParameters(dim, setup.dense, setup.stepSize);
  if (setup.adaptStepSize) {
    const stepSize = findReasonableStepSize(potential, params.inverseMass, point, setup.stepSize, new KeyDraws(fold(adaptKey, 0)));
    params = { ...params, stepSize };
  }
  const adapter = new WarmupAdapter(
    {
      warmupSteps,
      adaptStepSize: setup.adaptStepSize,
      adaptMassMatrix: setup.adaptMassMatrix,
      dense: setup.dense,
      targetAcceptProb: setup.targetAcceptProb,
    },
    params,
  );
  const numKept = keptCount(numSamples, thinning);
  const samples = new Float64Array(numKept * dim);
  const divergences: number[] = [];
  let warmupDivergences = 0;
  let acceptSum = 0;
  let depthSum = 0;
  let numSteps = 0;
  for (let i = 0; i < warmupSteps + numSamples; i++) {
    const warmup = i < warmupSteps;
    if (i === warmupSteps) acceptSum = 0;
    const { stepSize, inverseMass } = adapter.parameters;
    const result = transition({ potential, inverseMass, stepSize, draws: new KeyDraws(fold(iterationKey, i)) }, point);
    point = result.point;
    numSteps += result.numSteps;
    acceptSum += result.acceptProb;
    if (warmup) {
      if (result.diverging) warmupDivergences++;
      adapter.update(i, result.acceptProb, point, potential, new KeyDraws(fold(adaptKey, i + 1)));
    } else {
      const s = i - warmupSteps;
      if (result.diverging) divergences.push(s);
      depthSum += result.treeDepth;
      if (s % thinning === 0) samples.set(point.q, (s / thinning) * dim);
    }
    onIteration?.({
      phase: warmup ? "warmup" : "sample",
      iteration: i,
      stepSize,
      meanAcceptProb: acceptSum / (warmup ? i + 1 : i - warmupSteps + 1),
      divergences: warmup ? warmupDivergences : divergences.length,
    });
  }
  const final = adapter.parameters;
  return {
    samples,
    numKept,
    stats: {
      divergences,
      warmupDivergences,
      meanAcceptProb: numSamples > 0 ? acceptSum / numSamples : NaN,
      stepSize: final.stepSize,
      inverseMass: final.inverseMass,
      numSteps,
      meanTreeDepth: numSamples > 0 ? depthSum / numSamples : NaN,
    },
  };
}
