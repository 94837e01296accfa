/**
 * The JIT ELBOs of the funsor backend against the ELBOs they compile: ms per
 * SVI step of `JitTraceELBO` vs `TraceELBO` on eight schools (the
 * mean-field guide of bench/models.ts, Adam lr 0.05) and of
 * `JitTraceEnumELBO` vs `TraceEnumELBO` on the 3-component mixture of the
 * `enum` case, all on `funsor`, with the speed-up printed. Both ELBOs of a
 * pair compute the same losses and gradients (same keys, float64), so their
 * fits are the same; each contender's fit is checked against the reference
 * posterior all the same: the eight-schools `mu` location within half a
 * posterior sd of the reference mean after 1500 steps, the mixture's means
 * as in `enum`.
 */
import { infer, ops, optim, pyro, pyroBackend } from "../../src/index.js";
import { measure, type ContenderSpec, type Factory, type Result, type Timed } from "../harness.js";
import { eightSchoolsData, eightSchoolsGuide, eightSchoolsModel, reference } from "../models.js";
import { find, fmt, mdTable, ok, row, times, type CaseReport, type Target } from "../report.js";

const LR = 0.05;
/** Steps after which the eight-schools fit is checked (the rest of the timed ones run untimed). */
const CHECK_STEPS = 1500;

/** SVI on eight schools with `TraceELBO`, or `JitTraceELBO` with `jit`, on funsor. */
function schools(p: { jit: boolean }): Timed {
  return pyroBackend("funsor", (): Timed => {
    pyro.clearParamStore();
    const sigma = ops.tensor(eightSchoolsData.sigma);
    const y = ops.tensor(eightSchoolsData.y);
    const loss = p.jit ? new infer.JitTraceELBO() : new infer.TraceELBO();
    const svi = new infer.SVI(eightSchoolsModel, eightSchoolsGuide, optim.Adam({ lr: LR }), loss);
    let steps = 0;
    let last = NaN;
    const muLoc = () => pyroBackend("funsor", () => ops.item(pyro.getParam("mu_loc")));
    return {
      run: () => {
        last = svi.step(sigma, y);
        steps++;
      },
      check: () => {
        for (; steps < CHECK_STEPS; steps++) last = svi.step(sigma, y);
        const ref = reference.eight_schools.mu;
        const mu = muLoc();
        return Math.abs(mu - ref.mean) < 0.5 * ref.sd ? undefined : `mu_loc = ${mu.toFixed(3)}, reference mean ${ref.mean.toFixed(3)} ± 0.5 × ${ref.sd.toFixed(3)}`;
      },
      extra: () => ({ loss: last, muLoc: muLoc(), stepsChecked: steps, ...(loss instanceof infer.JitTraceELBO ? { compiledSteps: loss.jitInfo.compiledSteps } : {}) }),
    };
  });
}

/** The contenders' factories (run in their child processes; the mixture's are the `enum` case's). */
export const factories: Record<string, Factory> = { schools: schools as Factory };

const ROUNDS = 7;
/** Each round runs at least INNER steps and at least MIN_ROUND_MS of them (see `MeasureOptions.minRoundMs`). */
const INNER = 50;
const MIN_ROUND_MS = 50;
const WARMUP = 300;

/** The uncompiled ELBO's ms per step ÷ the compiled one's. */
function speedUp(plain: Result | undefined, jit: Result | undefined): number | undefined {
  return ok(plain) && ok(jit) ? plain.median / jit.median : undefined;
}

/** Runs the case; returns its report. */
export async function jitCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const mixture = new URL("./enum.ts", import.meta.url).href;
  const specs: ContenderSpec[] = [
    { name: "eight schools, TraceELBO", module: me, factory: "schools", params: { jit: false } },
    { name: "eight schools, JitTraceELBO", module: me, factory: "schools", params: { jit: true } },
    { name: "mixture, TraceEnumELBO", module: mixture, factory: "library", params: { backend: "funsor" } },
    { name: "mixture, JitTraceEnumELBO", module: mixture, factory: "library", params: { backend: "funsor", jit: true } },
  ];
  const results = await measure("jit", specs, { rounds: ROUNDS, inner: INNER, minRoundMs: MIN_ROUND_MS, warmup: WARMUP });
  const pairs = [
    { what: "eight schools: TraceELBO ÷ JitTraceELBO", plain: find(results, specs[0]!.name), jit: find(results, specs[1]!.name) },
    { what: "mixture: TraceEnumELBO ÷ JitTraceEnumELBO", plain: find(results, specs[2]!.name), jit: find(results, specs[3]!.name) },
  ];
  const head = ["contender", "ms per step (median)", "speed-up of the JIT", "compiled steps", "loss", "checked"];
  const rows = results.map((r) =>
    row(r, head.length, (r) => {
      const pair = pairs.find((p) => p.jit === r);
      const s = pair === undefined ? undefined : speedUp(pair.plain, pair.jit);
      const fit = r.extra.muLoc !== undefined ? `mu_loc ${fmt(r.extra.muLoc)}` : `locs ${[r.extra.loc0, r.extra.loc1, r.extra.loc2].map(fmt).join(", ")}`;
      return [fmt(r.median), s === undefined ? "–" : times(s), r.extra.compiledSteps === undefined ? "–" : fmt(r.extra.compiledSteps), fmt(r.extra.loss), fit];
    }),
  );
  const targets: Target[] = pairs.map((p) => {
    const s = speedUp(p.plain, p.jit);
    return {
      target: `(funsor issue, no threshold) JIT speed-up per SVI step, ${p.what}`,
      measured: s === undefined ? "–" : `${times(s)} (${fmt(p.plain!.median)} ms ÷ ${fmt(p.jit!.median)} ms)`,
      met: undefined,
    };
  });
  const md = [
    "**JIT ELBOs vs the ELBOs they compile, ms per SVI step on funsor.** Eight schools (non-centered) with a mean-field guide, " +
      `Adam lr ${LR}; the 3-component mixture of \`enum\` (the assignment enumerated, an empty guide), Adam lr 0.1. ` +
      `${ROUNDS} rounds per contender of at least ${INNER} steps and ${MIN_ROUND_MS} ms, alternating, after ${WARMUP} untimed warm-up steps (the JIT's traces happen there). ` +
      `"compiled steps": steps the JIT ran as compiled code (all but its first). Check: eight schools' mu_loc within 0.5 posterior sd of ` +
      `the reference mean ${fmt(reference.eight_schools.mu.mean)} after ${CHECK_STEPS} steps; the mixture's means as in \`enum\`.`,
    mdTable(head, rows),
  ].join("\n\n");
  return { markdown: md, results, targets };
}
