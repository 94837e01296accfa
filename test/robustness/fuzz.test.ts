// Property-based fuzzing (issue 7, item 5), with fast-check: random small models — sequences of sites
// in plates, 13 distribution families with random valid float32 parameters, observed or latent, and
// sometimes one deliberate mistake — either run on every backend or throw one of our typed errors
// (the same class on pyro and numpy; never a TypeError), and the backends agree on the log joint of
// the same trace. A fixed budget and seed here; bench/long-run/fuzz.ts runs a larger budget.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import fc from "fast-check";
import { modelSpec, type ModelSpec } from "./fuzz-models.js";
import { outcomes, problems, untyped } from "./fuzz-check.js";
import { ops, pyroBackend } from "../../src/index.js";

/** The test's budget: models per run, and the fixed seed (so a failure reproduces). */
export const BUDGET = { numRuns: 100, seed: 20240607 };

describe("fuzzed models on every backend", () => {
  it(`${BUDGET.numRuns} random models: run everywhere or throw a typed error, and agree on the log joint`, (t: TestContext) => {
    const tally = { ran: 0, threw: 0 };
    const errors = new Map<string, number>();
    fc.assert(
      fc.property(modelSpec(), (spec: ModelSpec) => {
        const found = problems(spec);
        const o = outcomes(spec);
        if (o.pyro.ok) tally.ran++;
        else {
          tally.threw++;
          errors.set(o.pyro.error.name, (errors.get(o.pyro.error.name) ?? 0) + 1);
        }
        assert.deepEqual(found, [], `${found.join("; ")}\nspec: ${JSON.stringify(spec)}`);
      }),
      { numRuns: BUDGET.numRuns, seed: BUDGET.seed },
    );
    t.diagnostic(`${tally.ran} models ran on every backend; ${tally.threw} threw typed errors: ${[...errors].map(([k, v]) => `${k} ×${v}`).join(", ")}`);
    // The generator must exercise both branches of the property.
    assert.ok(tally.ran > BUDGET.numRuns / 2 && tally.threw > 0);
  });
});

describe("tensor-op errors inside a model", () => {
  it(
    "an op on shapes that do not broadcast throws one of our typed errors",
    () => {
      for (const backend of ["pyro", "numpy"]) {
        pyroBackend(backend, () => {
          try {
            ops.add(ops.zeros([3]), ops.zeros([4]));
            assert.fail("no error");
          } catch (e) {
            assert.equal(untyped({ ok: false, error: e as Error }), undefined);
          }
        });
      }
    },
  );
});
