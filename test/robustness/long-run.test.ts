// Long runs do not leak (issue 7, item 3): tfjs tensors are manual memory, so every SVI step and
// MCMC iteration must release what it makes. 2,000 SVI steps (and 1,000 async ones) and MCMC runs
// (sync and async) of 300 warmup + 1,200 samples on the pyro (tfjs) backend keep the live-tensor
// count exactly constant.
// The heap is reported (t.diagnostic), not asserted: a heap assertion without --expose-gc is flaky;
// bench/long-run/ runs 100,000 steps / 10,000 samples with a forced GC and prints the heap.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";

const data = [1.8, 0.4, 3.0, 1.3, 2.2, 2.9, 0.7, 1.5];

const model = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  const scale = yield* pyro.sample("scale", dist.LogNormal(0, 1));
  yield* pyro.plate("data", y.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: y });
  });
});

const guide = pyro.model(function* (_y: Tensor) {
  const m = yield* pyro.param("m", 0);
  const s = yield* pyro.param("s", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("loc", dist.Normal(m, s));
  const a = yield* pyro.param("a", 0);
  const b = yield* pyro.param("b", 0.5, { constraint: dist.constraints.positive });
  yield* pyro.sample("scale", dist.LogNormal(a, b));
});

const heapMB = (): number => process.memoryUsage().heapUsed / 2 ** 20;

describe("long runs keep the tfjs tensor count constant [pyro]", () => {
  it("2,000 SVI steps: the same live tensors after step 50 and after step 2,000", (t: TestContext) =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const y = ops.tensor(data);
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
      // The first steps create the params and the optimizer's moments: count from step 50 on.
      const counts: number[] = [];
      const heap: number[] = [];
      svi.run(
        {
          numSteps: 2000,
          onStep: (i) => {
            if (i === 49 || i === 999 || i === 1999) {
              counts.push(ops.numTensors());
              heap.push(heapMB());
            }
          },
        },
        y,
      );
      t.diagnostic(`live tensors after steps 50 / 1000 / 2000: ${counts.join(" / ")}; heap ${heap.map((h) => h.toFixed(1)).join(" / ")} MB`);
      assert.equal(counts[1], counts[0]);
      assert.equal(counts[2], counts[0]);
      // The store holds 4 params; with Adam's two moments each and the data tensor, a handful of tensors in all.
      assert.ok(counts[0]! < 40, `${counts[0]} live tensors`);
    }));

  it("1,000 SVI steps with runAsync: no tensor outlives its step across the awaits", async (t: TestContext) => {
    await pyroBackend("pyro", async () => {
      pyro.clearParamStore();
      const y = ops.tensor(data);
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
      await svi.runAsync({ numSteps: 50 }, y);
      const before = ops.numTensors();
      await svi.runAsync({ numSteps: 1000 }, y);
      const after = ops.numTensors();
      t.diagnostic(`live tensors before / after 1,000 async steps: ${before} / ${after}`);
      assert.equal(after, before);
    });
  });

  it("MCMC (NUTS, 300 warmup + 1,200 samples) with run and runAsync: the tensor count returns to where it was", async (t: TestContext) => {
    await pyroBackend("pyro", async () => {
      const y = ops.tensor(data);
      const before = ops.numTensors();
      const heapBefore = heapMB();
      const mcmc = handlers.seed(5, () => new infer.MCMC(new infer.NUTS(model), { numSamples: 1200, warmupSteps: 300, progressBar: false }));
      mcmc.run(y);
      const afterFirst = ops.numTensors();
      await mcmc.runAsync(y);
      const afterAsync = ops.numTensors();
      t.diagnostic(
        `live tensors before / after run / after runAsync: ${before} / ${afterFirst} / ${afterAsync}; ` +
          `heap ${heapBefore.toFixed(1)} → ${heapMB().toFixed(1)} MB`,
      );
      assert.equal(afterFirst, before);
      assert.equal(afterAsync, before);
      // getSamples makes tensors for the caller (theirs to keep or dispose).
      const s = mcmc.getSamples();
      assert.deepEqual(s.loc!.shape, [1200]);
      ops.dispose(Object.values(s));
      assert.equal(ops.numTensors(), before);
    });
  });
});
