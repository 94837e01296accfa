/**
 * 100,000 SVI steps on the pyro (tfjs) backend: the live-tensor count and
 * the heap (after forced GC) before, during and after.
 *
 *     node --expose-gc --import tsx bench/long-run/svi.ts [steps=100000] [backend=pyro]
 *
 * @module
 */
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { reading, show } from "./memory.js";

const steps = Number(process.argv[2] ?? 100_000);
const backend = process.argv[3] ?? "pyro";

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

pyroBackend(backend, () => {
  const y = ops.tensor([1.8, 0.4, 3.0, 1.3, 2.2, 2.9, 0.7, 1.5]);
  const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.005 }), new infer.TraceELBO());
  console.log(`SVI on ${backend}: ${steps} steps`);
  console.log(show("before", reading()));
  svi.run({ numSteps: 100 }, y);
  const warm = reading();
  console.log(show("after 100 steps", warm));
  const start = performance.now();
  const every = Math.max(1, Math.floor(steps / 10));
  let last = NaN;
  svi.run(
    {
      numSteps: steps,
      onStep: (i, loss) => {
        last = loss;
        if ((i + 1) % every === 0) console.log(show(`after ${i + 1 + 100} steps`, reading()), `  loss ${loss.toFixed(3)}`);
      },
    },
    y,
  );
  const seconds = (performance.now() - start) / 1000;
  const end = reading();
  console.log(show("end", end), `  loss ${last.toFixed(3)}`);
  console.log(`${steps} steps in ${seconds.toFixed(1)} s (${((seconds / steps) * 1e3).toFixed(3)} ms/step)`);
  console.log(`tensor count ${warm.tensors} → ${end.tensors} (${end.tensors === warm.tensors ? "constant" : "CHANGED"}); heap ${warm.heapMB.toFixed(1)} → ${end.heapMB.toFixed(1)} MB`);
  console.log(`m = ${ops.item(pyro.getParam("m")).toFixed(3)}, s = ${ops.item(pyro.getParam("s")).toFixed(3)}`);
});
