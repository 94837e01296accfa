/**
 * NUTS on eight schools (non-centered), 1000 warmup + 1000 samples, one
 * chain per run: wall time, effective samples per second of the slowest of
 * mu and tau, posterior means checked against the reference (2-D quadrature).
 * Against WebPPL's HMC (fixed step size, tuned once) and its MH (single-site,
 * prior proposals, its best sampler here). ESS is computed by the library's
 * `diagnostics.effectiveSampleSize` for every contender.
 */
import { ops, type Tensor } from "../../src/index.js";
import { measure, type ContenderSpec, type Factory, type Result, type Timed } from "../harness.js";
import { flat, moveRate, nutsContender, summarizeRun, type Quantity } from "../mcmc-stats.js";
import { eightSchoolsData, eightSchoolsModel, reference } from "../models.js";
import { failureNotes, find, fmt, mdTable, ok, row, times, type CaseReport, type Target } from "../report.js";
import { WebpplProgram, type WebpplSamples } from "../webppl.js";

/** The quadrature reference's own error: negligible; 0.01 is a generous bound. */
const REF_ERROR = 0.01;

function quantities(mu: Float64Array, tau: Float64Array): Quantity[] {
  return [
    { name: "mu", draws: mu, ref: reference.eight_schools.mu, refError: REF_ERROR },
    { name: "tau", draws: tau, ref: reference.eight_schools.tau, refError: REF_ERROR },
  ];
}

function library(p: { backend: string; jit?: boolean }): Timed {
  return nutsContender({
    backend: p.backend,
    kernel: p.jit === true ? { jitCompile: true } : {},
    model: eightSchoolsModel,
    args: () => [ops.tensor(eightSchoolsData.sigma), ops.tensor(eightSchoolsData.y)] as [Tensor, Tensor],
    quantities: (s) => quantities(flat(s.mu!), flat(s.tau!)),
    warmup: 1000,
    samples: 1000,
  });
}

/** WebPPL's MCMC with `kernel` ("MH" or {HMC: {steps, stepSize}}), seeded 1, 2, 3, … per run. */
function webppl(p: { kernel: "MH" | { HMC: { steps: number; stepSize: number } }; samples: number; burn: number; lag: number }): Timed {
  const prog = new WebpplProgram("eight_schools.wppl");
  const store = { data: eightSchoolsData, options: { samples: p.samples, burn: p.burn, lag: p.lag, kernel: p.kernel } };
  const iterations = p.burn + p.samples * (p.lag + 1);
  const gradientsPerIteration = p.kernel === "MH" ? 1 : p.kernel.HMC.steps;
  let seed = 0;
  return {
    run: () => {
      const start = performance.now();
      const out = prog.run(store, ++seed) as WebpplSamples<{ mu: number; tau: number }>;
      const seconds = (performance.now() - start) / 1000;
      const mu = Float64Array.from(out.samples, (s) => s.value.mu);
      const tau = Float64Array.from(out.samples, (s) => s.value.tau);
      const more: Record<string, number> = { usPerGradient: (seconds * 1e6) / (iterations * gradientsPerIteration) };
      if (p.kernel !== "MH") more.accept = moveRate(mu);
      return summarizeRun(quantities(mu, tau), seconds, more);
    },
  };
}

/** The contenders' factories (run in their child processes). */
export const factories: Record<string, Factory> = { library: library as Factory, webppl: webppl as Factory };

/**
 * WebPPL HMC's setting, tuned once on seeds 1–8 over steps {5, 8, 10, 15,
 * 20, 40} × step size {0.1, …, 0.7}: 10 × 0.5 has acceptance ≈ 0.92 and the
 * best ESS/s of tau among settings that do not throw on most seeds. Any
 * setting above 0.1 throws on some seeds ("Parameter mu should be of type
 * real"): WebPPL starts from a prior draw, and a first trajectory from a
 * large tau overflows to NaN, which WebPPL does not reject.
 */
const HMC = { steps: 10, stepSize: 0.5 };
/** WebPPL MH: 10000 burn-in, then 5000 draws keeping every 20th iteration (110000 single-site updates, ≈ 3 s). */
const MH = { samples: 5000, burn: 10000, lag: 19 };

/** The contender with the highest median ESS/s among `rs`. */
function best(rs: readonly Result[]): Result | undefined {
  return rs.filter(ok).sort((a, b) => (b.figureMedians.minEssPerSec ?? 0) - (a.figureMedians.minEssPerSec ?? 0))[0];
}

/** Runs the case; returns its report. */
export async function nutsEightSchoolsCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const specs: ContenderSpec[] = [
    { name: "numpy", module: me, factory: "library", params: { backend: "numpy" }, rounds: 5, warmup: 1 },
    { name: "funsor", module: me, factory: "library", params: { backend: "funsor" }, rounds: 5, warmup: 1 },
    { name: "funsor-jit", module: me, factory: "library", params: { backend: "funsor", jit: true }, rounds: 5, warmup: 1 },
    { name: "pyro (tfjs)", module: me, factory: "library", params: { backend: "pyro" }, rounds: 3, warmup: 0 },
    { name: `WebPPL HMC (${HMC.steps} steps × ${HMC.stepSize})`, module: me, factory: "webppl", params: { kernel: { HMC }, samples: 1000, burn: 1000, lag: 0 }, rounds: 5, warmup: 1 },
    { name: "WebPPL MH", module: me, factory: "webppl", params: { kernel: "MH", ...MH }, rounds: 5, warmup: 1 },
  ];
  const results = await measure("nuts-eight-schools", specs, { timeoutMs: 240_000 });
  const webppls = results.filter((r) => r.contender.startsWith("WebPPL"));
  const bestWebppl = best(webppls);
  const ours = best(results.filter((r) => !r.contender.startsWith("WebPPL")));
  const tfjs = find(results, "pyro (tfjs)");
  const numpy = find(results, "numpy");
  const essPerSec = (r: Result | undefined) => r?.figureMedians.minEssPerSec;
  const head = ["contender", "wall s (median)", "ESS mu", "ESS tau", "slowest ESS/s (median)", "÷ WebPPL best", "÷ pyro (tfjs)", "mean mu", "mean tau", "accept", "divergences", "µs per gradient", "runs"];
  const rows = results.map((r) =>
    row(r, head.length, (r) => {
      const f = r.figureMedians;
      return [
        fmt(f.seconds), fmt(f.ess_mu), fmt(f.ess_tau), fmt(f.minEssPerSec),
        ok(bestWebppl) ? times(f.minEssPerSec! / essPerSec(bestWebppl)!) : "–",
        ok(tfjs) ? times(f.minEssPerSec! / essPerSec(tfjs)!) : "–",
        fmt(f.mean_mu), fmt(f.mean_tau), fmt(f.accept), fmt(f.divergences), fmt(f.usPerGradient), String(r.runs.length),
      ];
    }),
  );
  const targets: Target[] = [
    {
      target: "issue 6: NUTS eight schools ≥ 10× WebPPL's best ESS/s (slowest of mu, tau)",
      measured: ours && bestWebppl ? `${times(essPerSec(ours)! / essPerSec(bestWebppl)!)} (${ours.contender} ${fmt(essPerSec(ours))} ÷ ${bestWebppl.contender} ${fmt(essPerSec(bestWebppl))})` : "–",
      met: ours && bestWebppl ? essPerSec(ours)! / essPerSec(bestWebppl)! >= 10 : undefined,
    },
    {
      target: "issue 4: NUTS eight schools, numpy ≥ 10× pyro (tfjs) ESS/s",
      measured: ok(numpy) && ok(tfjs) ? `${times(essPerSec(numpy)! / essPerSec(tfjs)!)} (${fmt(essPerSec(numpy))} ÷ ${fmt(essPerSec(tfjs))})` : "–",
      met: ok(numpy) && ok(tfjs) ? essPerSec(numpy)! / essPerSec(tfjs)! >= 10 : undefined,
    },
  ];
  const md = [
    "**NUTS, eight schools (non-centered), 1000 warmup + 1000 samples, one chain per run** (each run a new seed; " +
      "numpy, funsor and WebPPL 5 timed runs after one untimed warm-up run, pyro (tfjs) 3 runs of 15–20 s, no warm-up run; " +
      "funsor-jit: NUTS with `jitCompile: true`, the potential and its gradient traced and compiled in every run). Wall time covers warmup and sampling. ESS by `diagnostics.effectiveSampleSize` " +
      "for every contender; \"slowest ESS/s\" is min(ESS mu, ESS tau) / wall time, per run, then the median. " +
      `Reference: mu ${fmt(reference.eight_schools.mu.mean)} ± ${fmt(reference.eight_schools.mu.sd)}, tau ${fmt(reference.eight_schools.tau.mean)} ± ${fmt(reference.eight_schools.tau.sd)}; ` +
      "check per run: each mean within 4 Monte Carlo standard errors (sd/√ESS) of it. " +
      `WebPPL HMC: ${HMC.steps} leapfrog steps of ${HMC.stepSize}, tuned once (acceptance ≈ 0.92); WebPPL MH: ${MH.burn} burn-in, ` +
      `${MH.samples} draws at lag ${MH.lag}. "accept": NUTS's mean acceptance statistic, or the fraction of HMC iterations that moved. ` +
      "\"µs per gradient\": wall time per leapfrog step (per single-site update for MH).",
    mdTable(head, rows) + failureNotes(results),
  ].join("\n\n");
  return { markdown: md, results, targets };
}
