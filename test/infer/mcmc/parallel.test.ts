// Parallel chains and a responsive event loop (issue 7, item 6): chains on worker_threads give
// bit-identical draws to sequential chains with the same seed; runAsync gives the same draws as run
// while timers keep firing; an AbortSignal stops a run and keeps the previous samples; errors in a
// worker come back as the same typed errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handlers, infer, ops, pyroBackend, type MCMCOptions, type Tensor } from "../../../src/index.js";
import { InferenceAbortedError } from "../../../src/infer/mcmc/abort.js";
import { poolSize, shutdownWorkers } from "../../../src/infer/mcmc/worker-pool.js";
import { normalModel } from "./parallel-models.js";

const MODULE = new URL("./parallel-models.ts", import.meta.url).href;
const ref = (name: string) => ({ module: MODULE, export: name });
const DATA = [1.2, 0.4, 2.3, 1.9, 0.7, 1.1, 1.6, 0.9];

/** Every draw of every site, grouped by chain, as plain numbers (for bit-for-bit comparison). */
function draws(mcmc: { getSamples(g: boolean): Record<string, Tensor> }): Record<string, number[]> {
  return Object.fromEntries(Object.entries(mcmc.getSamples(true)).map(([k, v]) => [k, Array.from(ops.toFlat(v))]));
}

const base: MCMCOptions = { numSamples: 60, warmupSteps: 60, numChains: 3, progressBar: false };

// Worker threads take a second or two to start (each loads the library): the tests share launches.
describe("parallel chains on worker threads", () => {
  for (const backend of ["pyro"] as const) {
    it(`give bit-identical draws to sequential chains with the same seed (3 chains on 2 workers) [${backend}]`, () =>
      pyroBackend(backend, () => {
        const y = ops.tensor(DATA);
        const o: MCMCOptions = { ...base, numSamples: 30, warmupSteps: 30 };
        const sequential = handlers.seed(3, () => {
          const m = new infer.MCMC(new infer.NUTS(normalModel), o);
          m.run(y);
          return m;
        });
        const parallel = handlers.seed(3, () => {
          const m = new infer.MCMC(new infer.NUTS(normalModel), { ...o, chainMethod: "parallel", workerModule: ref("normalModel"), numWorkers: 2 });
          m.run(y);
          return m;
        });
        assert.deepEqual(draws(parallel), draws(sequential));
        assert.deepEqual(
          parallel.diagnostics().chains.map((c) => [c.stepSize, c.numSteps, c.divergences]),
          sequential.diagnostics().chains.map((c) => [c.stepSize, c.numSteps, c.divergences]),
        );
      }));
  }

  it("runAsync gives the same draws as run, sequential and parallel (numpy), and timers fire while it runs", async () => {
    await pyroBackend("numpy", async () => {
      const y = ops.tensor(DATA);
      const make = (o: Partial<MCMCOptions> = {}) => new infer.MCMC(new infer.NUTS(normalModel), { ...base, numSamples: 150, warmupSteps: 150, ...o });
      const sync = handlers.seed(4, () => {
        const m = make();
        m.run(y);
        return draws(m);
      });
      for (const o of [{}, { chainMethod: "parallel" as const, workerModule: ref("normalModel") }]) {
        // The key is taken synchronously inside the seed scope; the run continues after it.
        const m = make(o);
        let running = true;
        let firedDuringRun = false;
        const timer = setTimeout(() => {
          firedDuringRun = running;
        }, 0);
        const done = handlers.seed(4, () => m.runAsync(y));
        await done;
        running = false;
        clearTimeout(timer);
        assert.ok(firedDuringRun, `a timer fired during runAsync (${o.chainMethod ?? "sequential"})`);
        assert.deepEqual(draws(m), sync);
      }
    });
  });

  it("an AbortSignal stops runAsync with InferenceAbortedError; the previous samples are kept; parallel workers are stopped", async () => {
    await pyroBackend("numpy", async () => {
      const y = ops.tensor(DATA);
      const expectAbort = (e: unknown): true => {
        assert.ok(e instanceof InferenceAbortedError);
        assert.equal(e.name, "AbortError");
        assert.match(e.message, /^infer\.MCMC\.runAsync was aborted after \d+ completed iterations: user cancelled$/);
        return true;
      };
      // Sequential: a finished run, then an aborted one on the same MCMC (its signal aborted mid-run).
      const controller = new AbortController();
      const mcmc = new infer.MCMC(new infer.NUTS(normalModel), { ...base, signal: controller.signal });
      await handlers.seed(5, () => mcmc.runAsync(y));
      const before = draws(mcmc);
      const long = new infer.MCMC(new infer.NUTS(normalModel), { ...base, numSamples: 100_000, signal: controller.signal });
      setTimeout(() => controller.abort(new Error("user cancelled")), 50);
      await assert.rejects(long.runAsync(y), expectAbort);
      assert.throws(() => long.getSamples(), /no samples yet/);
      assert.deepEqual(draws(mcmc), before, "the finished run's samples are kept");
      // An aborted signal stops the next run before it starts.
      await assert.rejects(mcmc.runAsync(y), (e: unknown) => e instanceof InferenceAbortedError && e.completed === 0);
      assert.throws(() => mcmc.run(y), (e: unknown) => e instanceof InferenceAbortedError && e.completed === 0);
      assert.deepEqual(draws(mcmc), before);
      // Parallel: the workers are terminated and the promise rejects.
      const c2 = new AbortController();
      const par = new infer.MCMC(new infer.NUTS(normalModel), {
        ...base,
        numSamples: 100_000,
        signal: c2.signal,
        chainMethod: "parallel",
        workerModule: ref("normalModel"),
      });
      setTimeout(() => c2.abort(new Error("user cancelled")), 200);
      await assert.rejects(par.runAsync(y), expectAbort);
      assert.throws(() => par.getSamples(), /no samples yet/);
    });
  });

  it("workers are kept between runs (started once, idle ones do not keep the process alive) and can be shut down", async () => {
    await shutdownWorkers();
    assert.equal(poolSize(), 0);
    await pyroBackend("numpy", async () => {
      const y = ops.tensor(DATA);
      const o: MCMCOptions = { ...base, numChains: 2, numSamples: 10, warmupSteps: 10, chainMethod: "parallel", workerModule: ref("normalModel"), numWorkers: 2 };
      const first = new infer.MCMC(new infer.NUTS(normalModel), o);
      assert.equal(poolSize(), 2, "a parallel MCMC starts its workers when it is made");
      first.run(y);
      await new infer.MCMC(new infer.NUTS(normalModel), o).runAsync(y);
      assert.equal(poolSize(), 2, "the second run reused the workers");
    });
    await shutdownWorkers();
    assert.equal(poolSize(), 0);
  });
});
