/**
 * SVI scaling: the logistic-regression SVI step (hand-written mean-field
 * guide) on synthetic data of N = 1e3, 1e4, 1e5, 1e6 rows, per backend and
 * on WebPPL (vectorized): milliseconds per step, cost per row (flat ⇒ linear
 * cost), peak resident memory of the contender's process, and live memory
 * after a forced GC at the end of each round (flat ⇒ no leak).
 *
 * Memory is measured per configuration in its own process: the peak is
 * `process.resourceUsage().maxRSS` (the kernel's high-water mark of the
 * whole process: V8 heap, ArrayBuffers, tfjs's buffers), reported above the
 * process's RSS after loading its modules; live memory is V8's heapUsed +
 * external after `gc()`, between rounds (untimed).
 */
import { infer, ops, optim, pyro, pyroBackend } from "../../src/index.js";
import { measure, type ContenderSpec, type Factory, type Result, type Timed } from "../harness.js";
import { logregGuide, logregModel, logregTensors, syntheticLogreg } from "../models.js";
import { badStatus, fmt, mdTable, mb, type CaseReport, type Target } from "../report.js";
import { webpplSvi } from "./svi-logreg.js";

const LR = 0.05;

/** The check of a scaling run: the loss is finite and lower at the last step than at the first. */
function progress(first: number, last: number): string | undefined {
  if (!Number.isFinite(first) || !Number.isFinite(last)) return `loss not finite: first ${first}, last ${last}`;
  if (!(last < first)) return `loss did not decrease: first ${first.toFixed(0)}, last ${last.toFixed(0)}`;
  return undefined;
}

function library(p: { backend: string; N: number }): Timed {
  return pyroBackend(p.backend, (): Timed => {
    pyro.clearParamStore();
    const { x, y } = logregTensors(syntheticLogreg(p.N));
    const svi = new infer.SVI(logregModel, logregGuide, optim.Adam({ lr: LR }), new infer.TraceELBO());
    const first = svi.step(x, y); // one untimed warm-up step
    let last = first;
    return {
      run: () => {
        last = svi.step(x, y);
      },
      check: () => progress(first, last),
      liveObjects: () => pyroBackend(p.backend, () => ops.numTensors()),
      extra: () => ({ firstLoss: first, lastLoss: last }),
    };
  });
}

function webppl(p: { N: number; totalSteps: number }): Timed {
  const t = webpplSvi({ variant: "tensor", totalSteps: p.totalSteps + 1, data: syntheticLogreg(p.N), check: progress });
  void t.run(); // one untimed warm-up step
  return t;
}

/** The contenders' factories (run in their child processes). */
export const factories: Record<string, Factory> = { library: library as Factory, webppl: webppl as Factory };

/** Sizes and steps: rounds × steps per round, chosen so each size costs a few seconds per contender. */
const SIZES = [
  { N: 1e3, rounds: 5, inner: 40, warmup: 300 },
  { N: 1e4, rounds: 5, inner: 10, warmup: 50 },
  { N: 1e5, rounds: 5, inner: 2, warmup: 5 },
  { N: 1e6, rounds: 4, inner: 1, warmup: 1 },
];
const BACKENDS = [
  { name: "numpy", backend: "numpy" },
  { name: "pyro (tfjs)", backend: "pyro" },
  { name: "WebPPL (tensor)", backend: "webppl" },
];

/**
 * Live-memory growth per step from the end of the first round to the end of
 * the last (bytes). The first round warms caches and JIT code; later rounds
 * still add a few tens of KB each whatever their number of steps (the
 * harness's own messages and figures), so this slightly overstates a step's
 * growth when rounds are short.
 */
function growthPerStep(r: Result, inner: number): number {
  const live = r.memory?.liveAfterRound ?? [];
  if (live.length < 2) return NaN;
  return (live[live.length - 1]! - live[0]!) / ((live.length - 1) * inner);
}

/** Runs the case; returns its report. */
export async function sviScalingCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const all: { N: number; inner: number; r: Result }[] = [];
  for (const size of SIZES) {
    const specs: ContenderSpec[] = BACKENDS.map((b) => ({
      name: b.name,
      module: me,
      factory: b.backend === "webppl" ? "webppl" : "library",
      params: b.backend === "webppl" ? { N: size.N, totalSteps: size.warmup + size.rounds * size.inner } : { backend: b.backend, N: size.N },
    }));
    const results = await measure(`svi-scaling N=${size.N}`, specs, { rounds: size.rounds, inner: size.inner, warmup: size.warmup, memory: true, timeoutMs: 300_000 });
    for (const r of results) all.push({ N: size.N, inner: size.inner, r });
  }
  const head = ["contender", "N", "ms per step (median)", "µs per 1000 rows", "peak RSS MB", "peak − idle MB", "data MB (f64)", "live MB after GC, rounds 1 → last", "live growth KB per step", "live tensors per round", "steps timed"];
  const rows = all.map(({ N, inner, r }) => {
    const bad = badStatus(r);
    const dataMb = mb(N * 4 * 8);
    const mem = r.memory;
    if (bad !== undefined) return [r.contender, fmt(N), bad, "", mem ? mb(mem.peakRss) : "–", mem ? mb(mem.peakRss - mem.idleRss) : "–", dataMb, "", "", "", ""];
    const objects = mem?.objectsAfterRound ?? [];
    return [
      r.contender, fmt(N), fmt(r.median), fmt((r.median * 1000 * 1000) / N),
      mb(mem?.peakRss), mem ? mb(mem.peakRss - mem.idleRss) : "–", dataMb,
      mem && mem.liveAfterRound.length > 0 ? `${mb(mem.liveAfterRound[0])} → ${mb(mem.liveAfterRound[mem.liveAfterRound.length - 1])}` : "–",
      fmt(growthPerStep(r, inner) / 1024),
      objects.length > 0 ? objects.join(", ") : "–",
      String(r.repetitions),
    ];
  });
  const targets: Target[] = [];
  for (const b of BACKENDS) {
    const at = (N: number) => all.find((a) => a.N === N && a.r.contender === b.name)?.r;
    const r5 = at(1e5);
    const r6 = at(1e6);
    if (r5 && r6 && badStatus(r5) === undefined && badStatus(r6) === undefined) {
      const ratio = r6.median / r5.median / 10;
      targets.push({
        target: `issue 6: SVI scaling is linear, ${b.name}: cost per row at N=1e6 ÷ at N=1e5 within [0.5, 2]`,
        measured: `${fmt(ratio)} (${fmt(r6.median)} ms ÷ ${fmt(r5.median)} ms ÷ 10)`,
        met: ratio >= 0.5 && ratio <= 2,
      });
    }
    // A step that leaked any per-row temporary would grow live memory by at least one N-vector (8·N bytes).
    const growth = all.filter((a) => a.r.contender === b.name && Number.isFinite(growthPerStep(a.r, a.inner)));
    if (growth.length > 0) {
      const worst = growth.map((a) => ({ N: a.N, share: growthPerStep(a.r, a.inner) / (8 * a.N), kb: growthPerStep(a.r, a.inner) / 1024 })).sort((x, y) => y.share - x.share)[0]!;
      targets.push({
        target: `issue 6: no leak, ${b.name}: live memory after GC grows by less than one N-vector (8·N bytes) per step, at every N`,
        measured: `worst at N=${fmt(worst.N)}: ${fmt(worst.kb)} KB per step = ${fmt(worst.share)} N-vectors`,
        met: worst.share < 1,
      });
    }
  }
  const md = [
    "**SVI step, logistic regression with D=3 on synthetic data** (X ~ N(0, 1) from the library's Threefry sampler, coefficients [1, 2, 3]; " +
      "the hand-written mean-field guide, Adam lr 0.05; WebPPL: the vectorized program). One process per contender and size; " +
      `warm-up steps, then rounds × steps: ${SIZES.map((s) => `N=${fmt(s.N)}: ${s.warmup}, ${s.rounds} × ${s.inner}`).join("; ")}. ` +
      "Check: the loss is finite and lower at the last step than at the first (convergence is checked in svi-logreg). " +
      "\"peak RSS\": the process's high-water mark (`resourceUsage().maxRSS`); \"idle\": its RSS after loading its modules; " +
      "\"data MB\": X and y as float64, for scale (tfjs holds them as float32). \"live\": V8 heapUsed + external after forced GCs " +
      "at the end of each round (untimed); its growth per step from the first round to the last (a leaked per-row temporary would add " +
      "at least 8·N bytes a step; each round also adds a few tens of KB of the harness's own, whatever its number of steps); " +
      "\"live tensors\": `ops.numTensors()` after each round.",
    mdTable(head, rows),
  ].join("\n\n");
  return { markdown: md, results: all.map((a) => a.r), targets };
}
