/**
 * The shape of one HMC-family transition: from a phase point (its momentum is
 * redrawn), a step size and a mass matrix to the next point and the
 * statistics warmup adaptation and diagnostics need.
 *
 * @module
 */
import type { KeyDraws } from "./draws.js";
import type { MutablePoint, PhasePoint, PotentialFn } from "./integrator.js";
import type { InverseMassMatrix } from "./mass-matrix.js";

/** Energy errors larger than this mark a transition as divergent (Stan's `max_deltaH`). */
export const MAX_DELTA_ENERGY = 1000;

/** What a transition gets. */
export interface TransitionInput {
  /** U and ∇U. */
  readonly potential: PotentialFn;
  /** The inverse mass matrix. */
  readonly inverseMass: InverseMassMatrix;
  /** The leapfrog step size. */
  readonly stepSize: number;
  /** The iteration's random draws. */
  readonly draws: KeyDraws;
  /**
   * Where to put the next point (a chain passes one of two buffers it owns,
   * never the one holding the current point): the result's `point` is then
   * `out` or the current point itself. Without it the point is new.
   */
  readonly out?: MutablePoint;
}

/** What a transition returns. */
export interface TransitionResult {
  /** The next point. */
  readonly point: PhasePoint;
  /** The acceptance statistic (HMC: min(1, e^{−ΔH}); NUTS: its mean over the trajectory). */
  readonly acceptProb: number;
  /** Whether an energy error exceeded {@link MAX_DELTA_ENERGY} (or was not finite). */
  readonly diverging: boolean;
  /** Leapfrog steps taken. */
  readonly numSteps: number;
  /** NUTS: the depth of the final tree (0 for HMC). */
  readonly treeDepth: number;
}

/** One transition of a kernel. */
export type Transition = (input: TransitionInput, current: PhasePoint) => TransitionResult;
