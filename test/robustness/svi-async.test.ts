// Long SVI runs (issue 7, item 6): svi.run / svi.runAsync take validated options; runAsync gives the
// same losses and params as run and as step-by-step, yields to the event loop (a timer fires while
// it runs), and an AbortSignal stops it between steps, leaving the params of the last completed step.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { InferenceAbortedError } from "../../src/infer/mcmc/abort.js";

const model = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  yield* pyro.plate("data", y.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: y });
  });
});
const guide = pyro.model(function* (_y: Tensor) {
  const m = yield* pyro.param("m", 0);
  const s = yield* pyro.param("s", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("loc", dist.Normal(m, s));
});
const DATA = [1.8, 0.4, 3.0, 1.3, 2.2];

/** Losses and final params of `steps` steps taken by `how`, from seed 9 and a clear store. */
async function train(how: "step" | "run" | "runAsync", steps: number): Promise<{ losses: number[]; m: number; s: number }> {
  pyro.clearParamStore();
  const y = ops.tensor(DATA);
  const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), new infer.TraceELBO());
  const losses = await handlers.seed(9, () =>
    how === "step" ? Array.from({ length: steps }, () => svi.step(y)) : how === "run" ? svi.run({ numSteps: steps }, y) : svi.runAsync({ numSteps: steps }, y),
  );
  return { losses, m: ops.item(pyro.getParam("m")), s: ops.item(pyro.getParam("s")) };
}

describe("svi.run and svi.runAsync", () => {
  for (const backend of ["pyro", "numpy"]) {
    it(`step-by-step, run and runAsync give bit-identical losses and params [${backend}]`, async () => {
      await pyroBackend(backend, async () => {
        const a = await train("step", 200);
        const b = await train("run", 200);
        const c = await train("runAsync", 200);
        assert.deepEqual(b, a);
        assert.deepEqual(c, a);
      });
    });
  }

  it("a timer fires while runAsync runs; onStep sees every step", async () => {
    await pyroBackend("numpy", async () => {
      pyro.clearParamStore();
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), new infer.TraceELBO());
      let running = true;
      let firedDuringRun = false;
      setTimeout(() => {
        firedDuringRun = running;
      }, 0);
      let seen = 0;
      const losses = await svi.runAsync({ numSteps: 3000, onStep: (i) => assert.equal(i, seen++) }, ops.tensor(DATA));
      running = false;
      assert.ok(firedDuringRun);
      assert.equal(seen, 3000);
      assert.equal(losses.length, 3000);
    });
  });

  it("an AbortSignal stops runAsync between steps; the params are those of the last completed step", async () => {
    await pyroBackend("numpy", async () => {
      pyro.clearParamStore();
      const y = ops.tensor(DATA);
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), new infer.TraceELBO());
      const controller = new AbortController();
      let after: number[] = [];
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(
        svi.runAsync({ numSteps: 1_000_000, signal: controller.signal, onStep: () => (after = [ops.item(pyro.getParam("m")), ops.item(pyro.getParam("s"))]) }, y),
        (e: unknown) => {
          assert.ok(e instanceof InferenceAbortedError);
          assert.equal(e.name, "AbortError");
          assert.match(e.message, /^infer\.SVI\.runAsync was aborted after \d+ completed steps$/);
          assert.ok(e.completed > 0 && e.completed < 1_000_000);
          return true;
        },
      );
      assert.deepEqual([ops.item(pyro.getParam("m")), ops.item(pyro.getParam("s"))], after);
      // Aborted before it starts: no step is taken.
      assert.throws(() => svi.run({ numSteps: 5, signal: controller.signal }, y), (e: unknown) => e instanceof InferenceAbortedError && e.completed === 0);
      assert.deepEqual([ops.item(pyro.getParam("m")), ops.item(pyro.getParam("s"))], after);
      // A synchronous run sees an abort made by code it calls (here, the step callback).
      const c2 = new AbortController();
      assert.throws(
        () => svi.run({ numSteps: 100, signal: c2.signal, onStep: (i) => i === 9 && c2.abort() }, y),
        (e: unknown) => e instanceof InferenceAbortedError && e.completed === 10,
      );
    });
  });
});
