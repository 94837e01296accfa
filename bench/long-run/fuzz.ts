/**
 * The fuzzing property of test/robustness/fuzz.test.ts with a larger budget:
 * `node --import tsx bench/long-run/fuzz.ts [numRuns=2000] [seed=random]`.
 * Prints the outcome tally and, on failure, the shrunk counterexample and its seed.
 *
 * @module
 */
import fc from "fast-check";
import { modelSpec, type ModelSpec } from "../../test/robustness/fuzz-models.js";
import { outcomes, problems } from "../../test/robustness/fuzz-check.js";

const numRuns = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const tally = new Map<string, number>();
const start = performance.now();
const details = fc.check(
  fc.property(modelSpec(), (spec: ModelSpec) => {
    const o = outcomes(spec);
    const key = o.pyro.ok ? "ran on every backend" : `threw ${o.pyro.error.name}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    const found = problems(spec);
    if (found.length > 0) throw new Error(found.join("; "));
  }),
  { numRuns, seed },
);
const seconds = (performance.now() - start) / 1000;
console.log(`fuzz: ${details.numRuns} models (seed ${seed}) in ${seconds.toFixed(1)} s`);
for (const [k, v] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v}`);
if (details.failed) {
  console.log(`FAILED after ${details.numRuns} runs (seed ${seed}, path ${details.counterexamplePath}):`);
  console.log(`  ${String(details.errorInstance)}`);
  console.log(`  counterexample: ${JSON.stringify(details.counterexample)}`);
  process.exitCode = 1;
} else {
  console.log("  property held for every model");
}
