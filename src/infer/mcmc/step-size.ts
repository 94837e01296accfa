/**
 * Step-size adaptation: the dual-averaging scheme of Nesterov (2009) as
 * used by Hoffman & Gelman (2014) and Stan, and the initial step-size
 * heuristic (`find_reasonable_step_size`).
 *
 * @module
 */
import type { KeyDraws } from "./draws.js";
import { hamiltonian, leapfrog, type PhasePoint, type PotentialFn } from "./integrator.js";
import { momentumFromNormals, type InverseMassMatrix } from "./mass-matrix.js";

/** Options of dual averaging (Stan's defaults). */
export interface DualAveragingOptions {
  /** Shrinkage towards the proximity center (γ, default 0.05). */
  readonly gamma?: number;
  /** Iteration offset damping early iterations (t0, default 10). */
  readonly t0?: number;
  /** Decay of the averaging weight t^−κ (κ, default 0.75). */
  readonly kappa?: number;
}

/** The state of dual averaging over x = log step size. */
export interface DualAveragingState {
  /** The current iterate x_t. */
  readonly x: number;
  /** The weighted average x̄_t (the final value). */
  readonly xAvg: number;
  /** The running average of the statistic g. */
  readonly gAvg: number;
  /** The number of updates. */
  readonly t: number;
  /** The proximity center μ (log(10·ε₀) for step sizes). */
  readonly center: number;
}

/** The initial state around `center`. */
export function dualAveragingInit(center: number): DualAveragingState {
  return { x: 0, xAvg: 0, gAvg: 0, t: 0, center };
}

/**
 * One dual-averaging update with statistic `g` (target acceptance −
 * observed acceptance): ḡ_t = (1 − 1/(t+t0))·ḡ + g/(t+t0);
 * x_t = μ − √t/γ·ḡ_t; x̄_t = (1 − t^−κ)·x̄ + t^−κ·x_t.
 */
export function dualAveragingUpdate(
  state: DualAveragingState,
  g: number,
  options: DualAveragingOptions = {},
): DualAveragingState {
  const { gamma = 0.05, t0 = 10, kappa = 0.75 } = options;
  const t = state.t + 1;
  const gAvg = (1 - 1 / (t + t0)) * state.gAvg + g / (t + t0);
  const x = state.center - (Math.sqrt(t) / gamma) * gAvg;
  const w = t ** -kappa;
  const xAvg = (1 - w) * state.xAvg + w * x;
  return { x, xAvg, gAvg, t, center: state.center };
}

/** The smallest and largest step sizes adaptation may produce (float64 tiny and max). */
const TINY = 2.2250738585072014e-308;
const HUGE = Number.MAX_VALUE;

/** e^x clipped to [tiny, max] (NumPyro's guard against an extreme log step size). */
export function clippedExp(x: number): number {
  return Math.min(HUGE, Math.max(TINY, Math.exp(x)));
}

/**
 * A step size whose single leapfrog step has acceptance probability near
 * 0.8 from `point`: double (or halve) the step size, with a fresh momentum
 * each time, while the log acceptance ratio stays above (below) log 0.8
 * (NumPyro's `find_reasonable_step_size`; a non-finite energy counts as too
 * large a step).
 */
export function findReasonableStepSize(
  potential: PotentialFn,
  inverseMass: InverseMassMatrix,
  point: PhasePoint,
  initStepSize: number,
  draws: KeyDraws,
): number {
  const target = Math.log(0.8);
  let stepSize = initStepSize;
  let lastDirection = 0;
  let direction = 0;
  for (;;) {
    // Written with negations so that a NaN step size also stops the search.
    const tooSmall = !(stepSize > TINY) && direction < 0;
    const tooLarge = !(stepSize < HUGE) && direction > 0;
    if (tooSmall || tooLarge || !(lastDirection === 0 || direction === lastDirection)) break;
    stepSize = 2 ** direction * stepSize;
    const z: PhasePoint = { ...point, p: momentumFromNormals(inverseMass, draws.normals(point.q.length)) };
    const next = leapfrog(potential, inverseMass, z, stepSize);
    const delta = hamiltonian(inverseMass, next) - hamiltonian(inverseMass, z);
    lastDirection = direction;
    direction = target < -delta ? 1 : -1;
  }
  return stepSize;
}
