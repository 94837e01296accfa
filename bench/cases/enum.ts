/**
 * Enumeration: the 3-component Gaussian mixture of bench/data/gmm.json (200
 * points, unit scales, equal weights), component means fitted by SVI with
 * `TraceEnumELBO` (the assignment site enumerated in parallel, an empty
 * guide: the ELBO is the exact log likelihood), milliseconds per step per
 * backend; against WebPPL's Optimize on the same likelihood with the
 * assignment summed out by hand (a `Mixture` observation per point), since
 * WebPPL's ELBO does not enumerate. The fitted means are checked against the
 * reference posterior (a long Gibbs run).
 */
import { readFileSync } from "node:fs";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { MAX_INNER_FACTOR, measure, type ContenderSpec, type Factory, type Timed } from "../harness.js";
import { find, fmt, mdTable, ok, row, times, type CaseReport, type Target } from "../report.js";
import { WebpplOptimizer } from "../webppl.js";

/** bench/data/gmm.json. */
export const gmm = JSON.parse(readFileSync(new URL("../data/gmm.json", import.meta.url), "utf8")) as { x: number[] };
const reference = (JSON.parse(readFileSync(new URL("../data/reference.json", import.meta.url), "utf8")) as {
  gmm: Record<"loc0" | "loc1" | "loc2", { mean: number; sd: number }>;
}).gmm;
/** Adam's learning rate of the mixture fits. */
export const LR = 0.1;
const INIT = [-1, 0.5, 1];
const WEIGHTS = [1 / 3, 1 / 3, 1 / 3];

/** The mixture with the component means as a param and the assignment enumerated. */
export const model = pyro.model(function* (x: Tensor) {
  const locs = yield* pyro.param("locs", ops.tensor(INIT));
  yield* pyro.plate("data", x.shape[0]!, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(WEIGHTS), { infer: { enumerate: "parallel" } });
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});
/** The empty guide (the enumerated ELBO is the exact log likelihood). */
export const guide = pyro.model(function* (_x: Tensor) {});

/**
 * The fitted means against the reference posterior means: within 3 posterior
 * sd (the maximum-likelihood means differ from the posterior means by the
 * N(0, 10²) prior's pull, ≈ 1e-3; Adam at lr 0.1 with exact gradients
 * hovers within ≈ lr of the optimum).
 */
export function checkLocs(locs: readonly number[]): string | undefined {
  const refs = [reference.loc0, reference.loc1, reference.loc2];
  for (let k = 0; k < 3; k++) {
    if (!(Math.abs(locs[k]! - refs[k]!.mean) < 3 * refs[k]!.sd)) return `loc${k} = ${locs[k]!.toFixed(3)}, reference ${refs[k]!.mean.toFixed(3)} ± 3 × ${refs[k]!.sd.toFixed(3)}`;
  }
  return undefined;
}

/** SVI on the mixture with `TraceEnumELBO`, or `JitTraceEnumELBO` with `jit`. */
function library(p: { backend: string; jit?: boolean }): Timed {
  return pyroBackend(p.backend, (): Timed => {
    pyro.clearParamStore();
    const x = ops.keep(ops.tensor(gmm.x));
    const loss = p.jit === true ? new infer.JitTraceEnumELBO({ maxPlateNesting: 1 }) : new infer.TraceEnumELBO({ maxPlateNesting: 1 });
    const svi = new infer.SVI(model, guide, optim.Adam({ lr: LR }), loss);
    let last = NaN;
    const locs = () => pyroBackend(p.backend, () => Array.from(ops.toFlat(pyro.getParam("locs"))));
    return {
      run: () => {
        last = svi.step(x);
      },
      check: () => checkLocs(locs()),
      extra: () => ({
        loss: last, loc0: locs()[0]!, loc1: locs()[1]!, loc2: locs()[2]!,
        ...(loss instanceof infer.JitTraceEnumELBO ? { compiledSteps: loss.jitInfo.compiledSteps } : {}),
      }),
    };
  });
}

function webppl(p: { totalSteps: number }): Timed {
  const opt = new WebpplOptimizer("gmm_mixture.wppl", { x: gmm.x }, { steps: p.totalSteps, lr: LR });
  const locs = () => {
    const params = opt.params();
    return [params.loc0![0]!, params.loc1![0]!, params.loc2![0]!];
  };
  return {
    run: () => opt.step(),
    check: () => checkLocs(locs()),
    extra: () => ({ loss: opt.lastLoss, loc0: locs()[0]!, loc1: locs()[1]!, loc2: locs()[2]! }),
  };
}

/** The contenders' factories (run in their child processes). */
export const factories: Record<string, Factory> = { library: library as Factory, webppl: webppl as Factory };

const ROUNDS = 7;
/** Each round runs at least INNER steps and at least MIN_ROUND_MS of them (see `MeasureOptions.minRoundMs`). */
const INNER = 50;
const MIN_ROUND_MS = 50;
const WARMUP = 300;

/** Runs the case; returns its report. */
export async function enumCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const specs: ContenderSpec[] = [
    { name: "numpy, TraceEnumELBO", module: me, factory: "library", params: { backend: "numpy" } },
    { name: "pyro (tfjs), TraceEnumELBO", module: me, factory: "library", params: { backend: "pyro" } },
    { name: "WebPPL (Mixture, summed by hand)", module: me, factory: "webppl", params: { totalSteps: WARMUP + ROUNDS * INNER * MAX_INNER_FACTOR } },
  ];
  const results = await measure("enum", specs, { rounds: ROUNDS, inner: INNER, minRoundMs: MIN_ROUND_MS, warmup: WARMUP });
  const wp = find(results, "WebPPL (Mixture, summed by hand)");
  const head = ["contender", "ms per step (median)", "WebPPL ÷ this", "loss (−log lik.)", "loc0", "loc1", "loc2"];
  const rows = results.map((r) =>
    row(r, head.length, (r) => [fmt(r.median), ok(wp) ? times(wp.median / r.median) : "–", fmt(r.extra.loss), fmt(r.extra.loc0), fmt(r.extra.loc1), fmt(r.extra.loc2)]),
  );
  const numpy = find(results, "numpy, TraceEnumELBO");
  const targets: Target[] = [
    {
      target: "(no target) enumeration: WebPPL ms per step ÷ numpy's (TraceEnumELBO vs a hand-summed mixture)",
      measured: ok(numpy) && ok(wp) ? times(wp.median / numpy.median) : "–",
      met: undefined,
    },
  ];
  const md = [
    `**SVI with TraceEnumELBO, 3-component Gaussian mixture, 200 points** (means as params from [${INIT.join(", ")}], ` +
      `the assignment enumerated in parallel, an empty guide; Adam lr ${LR}; ${WARMUP} untimed warm-up steps, then ${ROUNDS} rounds of at least ${INNER} steps and ${MIN_ROUND_MS} ms). ` +
      "WebPPL: Optimize on the same likelihood with the assignment summed out by hand (Mixture per point). " +
      `Check: each mean within 3 posterior sd of the reference (${[reference.loc0, reference.loc1, reference.loc2].map((r) => `${fmt(r.mean)} ± ${fmt(r.sd)}`).join(", ")}).`,
    mdTable(head, rows),
  ].join("\n\n");
  return { markdown: md, results, targets };
}
