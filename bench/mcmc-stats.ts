/**
 * What an MCMC case computes from one run's draws, the same way for every
 * contender (our backends and WebPPL alike): effective sample sizes with the
 * library's `diagnostics.effectiveSampleSize` (Pyro's estimator), the ESS per
 * second of the slowest quantity, and a check of the posterior means against
 * the reference within their Monte Carlo standard error.
 */
import { diagnostics, handlers, infer, ops, pyroBackend, type AnyModel, type HMCOptions, type Tensor } from "../src/index.js";
import type { RoundOutcome, Timed } from "./harness.js";
import type { RefStat } from "./models.js";

/** One quantity's draws and its reference posterior. */
export interface Quantity {
  readonly name: string;
  readonly draws: Float64Array;
  readonly ref: RefStat;
  /** The reference mean's own error (e.g. importance-sampling or quadrature error). */
  readonly refError: number;
}

/**
 * Summarizes one MCMC run that took `seconds` of wall time.
 *
 * - ESS per quantity from `effectiveSampleSize([draws])`. For strongly
 *   antithetic draws Pyro's estimator can return a negative or an enormous
 *   value; a non-positive ESS is then not taken as the slowest (it says the
 *   draws are better than independent).
 * - `minEssPerSec`: the smallest positive ESS over the quantities, per second.
 * - The check: |mean − reference| < 4 · √(MCSE² + refError²) with
 *   MCSE = reference sd / √ESS (ESS capped at the number of draws, so
 *   antithetic draws get the conservative, independent-draws tolerance).
 *   4 standard errors: a false alarm of 6e-5 per quantity and run. A run whose
 *   tolerance exceeds half a posterior sd (ESS < 64) is wrong too: it has not
 *   mixed enough to estimate the mean at all.
 */
export function summarizeRun(quantities: readonly Quantity[], seconds: number, more: Record<string, number> = {}): RoundOutcome {
  const figures: Record<string, number> = { seconds, ...more };
  let minEss = Infinity;
  let wrong: string | undefined;
  for (const q of quantities) {
    const n = q.draws.length;
    const ess = diagnostics.effectiveSampleSize([q.draws]);
    const m = diagnostics.mean(q.draws);
    figures[`ess_${q.name}`] = ess;
    figures[`mean_${q.name}`] = m;
    if (ess > 0 && Number.isFinite(ess)) minEss = Math.min(minEss, ess);
    const essForError = ess > 0 && Number.isFinite(ess) ? Math.min(ess, n) : n;
    const mcse = q.ref.sd / Math.sqrt(essForError);
    const tol = 4 * Math.hypot(mcse, q.refError);
    if (wrong === undefined && !(Math.abs(m - q.ref.mean) < tol)) {
      wrong = `${q.name}: mean ${m.toFixed(3)}, reference ${q.ref.mean.toFixed(3)} ± ${tol.toFixed(3)} (4 MCSE, ESS ${ess.toFixed(0)})`;
    } else if (wrong === undefined && tol > 0.5 * q.ref.sd) {
      wrong = `${q.name}: ESS ${ess.toFixed(0)} of ${n} draws, too few to estimate the mean (4 MCSE > 0.5 sd)`;
    }
  }
  figures.minEss = minEss === Infinity ? NaN : minEss;
  figures.minEssPerSec = figures.minEss! / seconds;
  return wrong === undefined ? { figures } : { figures, wrong };
}

/** The `j`-th column of a row-major `[n, d]` array of draws. */
export function column(flat: ArrayLike<number>, d: number, j: number): Float64Array {
  const n = flat.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = flat[i * d + j]!;
  return out;
}

/** Options of {@link nutsContender}. */
export interface NutsContenderOptions<Args extends readonly unknown[]> {
  /** The backend ("numpy", "pyro"). */
  readonly backend: string;
  /** The model. */
  readonly model: AnyModel<Args>;
  /** The model's arguments, made inside the backend. */
  readonly args: () => Args;
  /** The quantities to check, from the constrained samples. */
  readonly quantities: (samples: Record<string, Tensor>) => Quantity[];
  /** Warmup and sampling iterations. */
  readonly warmup: number;
  readonly samples: number;
  /** Kernel options beyond Pyro's defaults (e.g. `{ jitCompile: true }`). */
  readonly kernel?: HMCOptions;
}

/**
 * A contender running one NUTS chain per repetition (`new infer.NUTS(model)`,
 * Pyro's defaults: target acceptance 0.8, diagonal mass matrix adapted in
 * Stan's windows, tree depth ≤ 10, plus `kernel`), seeded 1, 2, 3, … so each
 * repetition is a new chain. Wall time covers warmup and sampling (and, with
 * `jitCompile`, tracing and compiling the potential: each run traces anew).
 */
export function nutsContender<Args extends readonly unknown[]>(o: NutsContenderOptions<Args>): Timed {
  let seed = 0;
  return {
    run: () =>
      pyroBackend(o.backend, () =>
        handlers.seed(++seed, () => {
          const args = o.args();
          const start = performance.now();
          const mcmc = new infer.MCMC(new infer.NUTS(o.model, o.kernel), { numSamples: o.samples, warmupSteps: o.warmup, progressBar: false });
          mcmc.run(...args);
          const samples = mcmc.getSamples();
          const seconds = (performance.now() - start) / 1000;
          const chain = mcmc.diagnostics().chains[0]!;
          return summarizeRun(o.quantities(samples), seconds, {
            accept: chain.meanAcceptProb,
            divergences: chain.divergences.length,
            usPerGradient: (seconds * 1e6) / chain.numSteps,
          });
        }),
      ),
  };
}

/** The flat values of a sample tensor. */
export function flat(t: Tensor): Float64Array {
  return Float64Array.from(ops.toFlat(t));
}

/** The fraction of consecutive draws that differ (the acceptance rate of a Metropolis-type chain). */
export function moveRate(draws: Float64Array): number {
  let moved = 0;
  for (let i = 1; i < draws.length; i++) if (draws[i] !== draws[i - 1]) moved++;
  return moved / (draws.length - 1);
}
