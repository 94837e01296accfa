/**
 * Interpreter overhead: a model of 10,000 scalar sites x_i ~ Normal(0, 1),
 * traced once (`handlers.trace(...).getTrace()` under a seed), then its log
 * densities computed (`computeLogProb`): microseconds per site, per backend;
 * against WebPPL running the same model once, by forward sampling (sample and
 * score each site, no trace) and by one-particle SMC (records a trace of
 * every choice, as its MCMC initialization does).
 */
import { dist, handlers, ops, pyro, pyroBackend } from "../../src/index.js";
import { measure, type ContenderSpec, type Factory, type Timed } from "../harness.js";
import { find, fmt, mdTable, ok, row, times, type CaseReport, type Target } from "../report.js";
import { WebpplProgram } from "../webppl.js";

const SITES = 10_000;

const manySites = pyro.model(function* () {
  for (let i = 0; i < SITES; i++) yield* pyro.sample(`x_${i}`, dist.Normal(0, 1));
});

function library(p: { backend: string }): Timed {
  let seed = 0;
  return {
    run: () =>
      pyroBackend(p.backend, () =>
        ops.tidy(() => {
          const start = performance.now();
          const tr = handlers.trace(handlers.seed(manySites, { rngSeed: ++seed })).getTrace();
          const traced = performance.now();
          tr.computeLogProb();
          const end = performance.now();
          if (tr.nodes.size !== SITES) throw new Error(`expected ${SITES} sites in the trace, got ${tr.nodes.size}`);
          return { figures: { usPerSiteTrace: ((traced - start) * 1000) / SITES, usPerSiteLogProb: ((end - traced) * 1000) / SITES } };
        }),
      ),
  };
}

function webppl(p: { method: "forward" | "SMC" }): Timed {
  const prog = new WebpplProgram("many_sites.wppl");
  let seed = 0;
  return { run: () => void prog.run({ options: { n: SITES, method: p.method } }, ++seed) };
}

/** The contenders' factories (run in their child processes). */
export const factories: Record<string, Factory> = { library: library as Factory, webppl: webppl as Factory };

/** Runs the case; returns its report. */
export async function traceOverheadCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const specs: ContenderSpec[] = [
    { name: "numpy", module: me, factory: "library", params: { backend: "numpy" } },
    { name: "pyro (tfjs)", module: me, factory: "library", params: { backend: "pyro" }, rounds: 5, inner: 1, warmup: 1 },
    { name: "minipyro (tfjs)", module: me, factory: "library", params: { backend: "minipyro" }, rounds: 5, inner: 1, warmup: 1 },
    { name: "WebPPL forward (no trace)", module: me, factory: "webppl", params: { method: "forward" } },
    { name: "WebPPL SMC, 1 particle (trace)", module: me, factory: "webppl", params: { method: "SMC" } },
  ];
  const results = await measure("trace-overhead", specs, { rounds: 7, inner: 3, warmup: 3 });
  const perSite = (ms: number) => (ms * 1000) / SITES;
  const smc = find(results, "WebPPL SMC, 1 particle (trace)");
  const head = ["contender", "µs per site (median, all)", "of which trace", "of which computeLogProb", "÷ WebPPL SMC"];
  const rows = results.map((r) =>
    row(r, head.length, (r) => [
      fmt(perSite(r.median)),
      fmt(r.figureMedians.usPerSiteTrace),
      fmt(r.figureMedians.usPerSiteLogProb),
      ok(smc) ? times(r.median / smc.median) : "–",
    ]),
  );
  const numpy = find(results, "numpy");
  const targets: Target[] = [
    {
      target: "(no target) interpreter overhead: numpy µs per traced site ÷ WebPPL's",
      measured: ok(numpy) && ok(smc) ? `${times(numpy.median / smc.median)} (${fmt(perSite(numpy.median))} µs ÷ ${fmt(perSite(smc.median))} µs)` : "–",
      met: undefined,
    },
  ];
  const md = [
    `**A model of ${SITES.toLocaleString("en")} scalar sites x_i ~ Normal(0, 1), traced once and scored** ` +
      "(`handlers.trace(handlers.seed(model, { rngSeed })).getTrace()`, then `computeLogProb()`; 7 rounds × 3 runs after 3 warm-up runs; the tfjs backends 5 × 1 after 1, at ≈ 1.5 s a run). " +
      "WebPPL runs the same model once (a CPS loop of `gaussian(0, 1)`): forward sampling scores each draw but keeps no trace; " +
      "one-particle SMC without rejuvenation records a trace of every choice.",
    mdTable(head, rows),
  ].join("\n\n");
  return { markdown: md, results, targets };
}
