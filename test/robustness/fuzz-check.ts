/**
 * The fuzzing property shared by the test (a fixed budget) and
 * `bench/long-run/fuzz.ts` (a larger one): a random model either runs on
 * every backend or throws one of our typed errors — the same class on pyro
 * and numpy — and where it runs, the backends agree on the log joint of
 * one trace to float32 accuracy.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { handlers, ops, pyroBackend } from "../../src/index.js";
import { buildModel, type ModelSpec, type SiteValue } from "./fuzz-models.js";

/** The names of the error classes defined under src/ (`export class X extends ...Error`). */
export function ourErrorNames(dir = fileURLToPath(new URL("../../src", import.meta.url))): Set<string> {
  const out = new Set<string>(["AbortError"]);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) ourErrorNames(path).forEach((n) => out.add(n));
    else if (entry.endsWith(".ts")) for (const m of readFileSync(path, "utf8").matchAll(/export class (\w+) extends \w*Error\b/g)) out.add(m[1]!);
  }
  return out;
}

const OUR_ERRORS = ourErrorNames();

/** What one backend did with a model. */
export type Outcome =
  | { readonly ok: true; readonly logJoint: number; readonly absSum: number; readonly values: Map<string, SiteValue> }
  | { readonly ok: false; readonly error: Error };

/**
 * Runs `spec` on `backend` (seed 1): traced, with every site observed at
 * `values` when given, and its log joint computed.
 */
export function evaluate(backend: string, spec: ModelSpec, values?: ReadonlyMap<string, SiteValue>): Outcome {
  try {
    return pyroBackend(backend, () =>
      handlers.seed(1, () => {
        const tr = handlers.trace(buildModel(spec, values)).getTrace();
        const logJoint = ops.item(tr.logProbSum(ops));
        let absSum = 0;
        const vals = new Map<string, SiteValue>();
        for (const node of tr.sampleNodes()) {
          absSum += ops.item(ops.sum(ops.abs(node.logProb!)));
          vals.set(node.name, { data: ops.toFlat(node.value!), shape: node.value!.shape });
        }
        return { ok: true as const, logJoint, absSum, values: vals };
      }),
    );
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

/** Why an outcome is unacceptable, or undefined: an error must be one of ours (never a TypeError or a plain Error). */
export function untyped(o: Outcome): string | undefined {
  if (o.ok) return Number.isFinite(o.logJoint) ? undefined : `a valid model gave log joint ${o.logJoint}`;
  const e = o.error;
  if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return `${e.name}: ${e.message}`;
  if (!OUR_ERRORS.has(e.name) || e.constructor === Error) return `an untyped error ${e.name}: ${e.message}`;
  return undefined;
}

/** The outcomes of `spec` on pyro (which draws the trace), numpy and minipyro (which score it). */
export function outcomes(spec: ModelSpec): { pyro: Outcome; numpy: Outcome; minipyro: Outcome } {
  const pyro = evaluate("pyro", spec);
  const values = pyro.ok ? pyro.values : undefined;
  return { pyro, numpy: evaluate("numpy", spec, values), minipyro: evaluate("minipyro", spec, values) };
}

/**
 * The problems of one spec (empty when the property holds):
 * - every outcome is a success with a finite log joint or one of our typed errors;
 * - pyro and numpy agree: both succeed, or both throw the same class;
 * - where two backends succeed, |Δ log joint| ≤ 1e-4·(1 + Σ|log p of each element|). The inputs are
 *   identical float32 numbers, so the difference is float32 arithmetic in tfjs: at most ~64 elements,
 *   each log density ~20 operations with relative rounding 6e-8, bounds it by 64·20·6e-8 ≈ 8e-5 of
 *   the magnitudes involved.
 */
export function problems(spec: ModelSpec): string[] {
  const o = outcomes(spec);
  const out: string[] = [];
  for (const [b, x] of Object.entries(o)) {
    const why = untyped(x);
    if (why !== undefined) out.push(`${b}: ${why}`);
  }
  if (o.pyro.ok !== o.numpy.ok) {
    const err = (x: Outcome) => (x.ok ? "ran" : `${x.error.name}: ${x.error.message}`);
    out.push(`pyro ${err(o.pyro)} but numpy ${err(o.numpy)}`);
  } else if (!o.pyro.ok && !o.numpy.ok && o.pyro.error.name !== o.numpy.error.name) {
    out.push(`pyro threw ${o.pyro.error.name} but numpy ${o.numpy.error.name}`);
  }
  if (o.pyro.ok) {
    for (const [b, x] of [["numpy", o.numpy], ["minipyro", o.minipyro]] as const) {
      if (!x.ok) continue;
      const tol = 1e-4 * (1 + x.absSum);
      if (!(Math.abs(x.logJoint - o.pyro.logJoint) <= tol)) out.push(`log joint: pyro ${o.pyro.logJoint} vs ${b} ${x.logJoint} (tolerance ${tol})`);
    }
  }
  return out;
}
