/**
 * Warmup adaptation as in Stan: the windowed schedule (an initial fast
 * buffer of 75 iterations, slow windows of 25·2^k, a terminal fast buffer of
 * 50), Welford estimates of the posterior (co)variance in each slow window,
 * regularized towards 1e-3·I as Stan does, and dual averaging of the step
 * size throughout, restarted after each mass-matrix update.
 *
 * @module
 */
import type { KeyDraws } from "./draws.js";
import type { PhasePoint, PotentialFn } from "./integrator.js";
import { denseInverseMass, identityInverseMass, type InverseMassMatrix } from "./mass-matrix.js";
import {
  clippedExp,
  dualAveragingInit,
  dualAveragingUpdate,
  findReasonableStepSize,
  type DualAveragingState,
} from "./step-size.js";

/** An adaptation window: iterations `start` to `end`, inclusive. */
export interface AdaptWindow {
  /** The first iteration. */
  readonly start: number;
  /** The last iteration. */
  readonly end: number;
}

/**
 * Stan's warmup schedule for `numSteps` warmup iterations (NumPyro's
 * `build_adaptation_schedule`). Fewer than 20 iterations: one window (step
 * size only). If 75 + 25 + 50 do not fit, the buffers become 15% and 10% of
 * warmup. Slow windows double while the next one still fits; the last slow
 * window absorbs the remainder up to the terminal buffer. The first and last
 * windows are the fast buffers; those in between are slow windows.
 *
 * @example
 * ```ts
 * adaptationSchedule(1000); // [0,74] [75,99] [100,149] [150,249] [250,449] [450,949] [950,999]
 * ```
 */
export function adaptationSchedule(numSteps: number): AdaptWindow[] {
  if (numSteps <= 0) return [];
  if (numSteps < 20) return [{ start: 0, end: numSteps - 1 }];
  let [initBuffer, termBuffer, baseWindow] = [75, 50, 25];
  if (numSteps < initBuffer + termBuffer + baseWindow) {
    initBuffer = Math.floor(0.15 * numSteps);
    termBuffer = Math.floor(0.1 * numSteps);
    baseWindow = numSteps - initBuffer - termBuffer;
  }
  const windows: AdaptWindow[] = [{ start: 0, end: initBuffer - 1 }];
  const endWindowStart = numSteps - termBuffer;
  let nextSize = baseWindow;
  let nextStart = initBuffer;
  while (nextStart < endWindowStart) {
    const start = nextStart;
    let size = nextSize;
    if (3 * size <= endWindowStart - start) nextSize = 2 * size;
    else size = endWindowStart - start;
    nextStart = start + size;
    windows.push({ start, end: nextStart - 1 });
  }
  windows.push({ start: endWindowStart, end: numSteps - 1 });
  return windows;
}

/** Welford's running mean and (co)variance of vectors, diagonal or dense. */
export class WelfordCovariance {
  private n = 0;
  private readonly meanV: Float64Array;
  private readonly m2: Float64Array;
  /** Scratch: x − mean before the update. */
  private readonly before: Float64Array;

  /** Accumulates vectors of length `size`; a dense accumulator keeps the full matrix. */
  constructor(
    private readonly size: number,
    private readonly dense: boolean,
  ) {
    this.meanV = new Float64Array(size);
    this.m2 = new Float64Array(dense ? size * size : size);
    this.before = new Float64Array(size);
  }

  /** The number of vectors seen. */
  get count(): number {
    return this.n;
  }

  /** Adds one vector. */
  update(x: Float64Array): void {
    this.n++;
    const d = this.size;
    const before = this.before;
    for (let i = 0; i < d; i++) {
      before[i] = x[i]! - this.meanV[i]!;
      this.meanV[i] = this.meanV[i]! + before[i]! / this.n;
    }
    for (let i = 0; i < d; i++) {
      const after = x[i]! - this.meanV[i]!;
      if (!this.dense) this.m2[i] = this.m2[i]! + before[i]! * after;
      else for (let j = 0; j < d; j++) this.m2[j * d + i] = this.m2[j * d + i]! + before[j]! * after;
    }
  }

  /**
   * The sample (co)variance m2/(n−1), regularized as Stan does:
   * (n/(n+5))·Σ + 1e-3·(5/(n+5))·I. Needs n ≥ 2.
   */
  covariance(): Float64Array {
    const n = this.n;
    const scale = n / (n + 5) / (n - 1);
    const shrink = 1e-3 * (5 / (n + 5));
    const d = this.size;
    if (!this.dense) return this.m2.map((v) => v * scale + shrink);
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      // Symmetrize: the Welford outer products are symmetric only up to rounding.
      for (let j = 0; j < d; j++) out[i * d + j] = 0.5 * (this.m2[i * d + j]! + this.m2[j * d + i]!) * scale;
      out[i * d + i] = out[i * d + i]! + shrink;
    }
    return out;
  }
}

/** Options of warmup adaptation. */
export interface AdaptationOptions {
  /** Warmup iterations. */
  readonly warmupSteps: number;
  /** Adapt the step size. */
  readonly adaptStepSize: boolean;
  /** Adapt the mass matrix. */
  readonly adaptMassMatrix: boolean;
  /** A dense mass matrix. */
  readonly dense: boolean;
  /** The acceptance probability to aim for. */
  readonly targetAcceptProb: number;
}

/** The step size and mass matrix, as adapted so far. */
export interface AdaptedParameters {
  /** The step size. */
  readonly stepSize: number;
  /** The inverse mass matrix. */
  readonly inverseMass: InverseMassMatrix;
}

/**
 * The adaptation state of one chain. It is created per chain and advanced
 * with {@link WarmupAdapter.update} after each warmup iteration.
 */
export class WarmupAdapter {
  private readonly schedule: AdaptWindow[];
  private windowIndex = 0;
  private dual: DualAveragingState;
  private welford: WelfordCovariance;
  private current: AdaptedParameters;

  /** Starts adaptation from `initial` (its step size already from the initial heuristic). */
  constructor(
    private readonly options: AdaptationOptions,
    initial: AdaptedParameters,
  ) {
    this.schedule = adaptationSchedule(options.warmupSteps);
    this.current = initial;
    this.dual = dualAveragingInit(Math.log(10 * initial.stepSize));
    this.welford = new WelfordCovariance(initial.inverseMass.size, options.dense);
  }

  /** The parameters to use for the next iteration. */
  get parameters(): AdaptedParameters {
    return this.current;
  }

  /**
   * Updates after warmup iteration `t` (0-based) which ended at `point` with
   * acceptance statistic `acceptProb`. At the end of a slow window the mass
   * matrix is re-estimated and the step size re-initialized with `draws`.
   */
  update(t: number, acceptProb: number, point: PhasePoint, potential: PotentialFn, draws: KeyDraws): void {
    const { options } = this;
    let { stepSize, inverseMass } = this.current;
    if (options.adaptStepSize) {
      // A NaN statistic (no finite energy along the trajectory) counts as no acceptance.
      const accept = Number.isNaN(acceptProb) ? 0 : acceptProb;
      this.dual = dualAveragingUpdate(this.dual, options.targetAcceptProb - accept);
      // At the end of warmup use the averaged iterate.
      stepSize = clippedExp(t === options.warmupSteps - 1 ? this.dual.xAvg : this.dual.x);
    }
    const last = this.schedule.length - 1;
    const inSlowWindow = this.windowIndex > 0 && this.windowIndex < last;
    if (options.adaptMassMatrix && inSlowWindow) this.welford.update(point.q);
    const window = this.schedule[this.windowIndex];
    if (window !== undefined && t === window.end) {
      if (inSlowWindow) {
        if (options.adaptMassMatrix && this.welford.count >= 2) {
          const cov = this.welford.covariance();
          inverseMass = options.dense
            ? denseInverseMass(cov, inverseMass.size)
            : { kind: "diagonal", size: inverseMass.size, diagonal: cov };
          this.welford = new WelfordCovariance(inverseMass.size, options.dense);
        }
        if (options.adaptStepSize) {
          stepSize = findReasonableStepSize(potential, inverseMass, point, stepSize, draws);
          this.dual = dualAveragingInit(Math.log(10 * stepSize));
        }
      }
      this.windowIndex++;
    }
    this.current = { stepSize, inverseMass };
  }
}

/** The starting parameters: the identity mass matrix and `stepSize`. */
export function initialParameters(size: number, dense: boolean, stepSize: number): AdaptedParameters {
  return { stepSize, inverseMass: identityInverseMass(size, dense) };
}
