/**
 * The seed example: a Gaussian mixture with a Categorical assignment per data
 * point, fitted with SVI and Adam — the same model and guide, run on every
 * backend that supports them.
 *
 * Run with `npm start`.
 */
import { dist, infer, ops, optim, pyro, pyroBackend, registeredBackends, type Tensor } from "../src/index.js";

// Data: 200 points from three well-separated clusters (a fixed stream, so every backend sees the same data).
const trueLocs = [-4, 0, 4];
const data = Array.from({ length: 200 }, (_, i) => trueLocs[i % 3]! + Math.sin(7.3 * i));

// The model: cluster weights p, learnable cluster locations, a Categorical assignment per point.
const model = pyro.model(function* (x: Tensor) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 0.5, 1]));
  const p = ops.tensor([1 / 3, 1 / 3, 1 / 3]);
  yield* pyro.plate("data", x.shape[0]!, { dim: -1 }, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(p));
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});

// The guide: a learnable Categorical posterior over each point's cluster.
const guide = pyro.model(function* (x: Tensor) {
  const n = x.shape[0]!;
  yield* pyro.plate("data", n, { dim: -1 }, function* () {
    const q = yield* pyro.param("q", ops.div(ops.ones([n, 3]), 3), {
      constraint: dist.constraints.simplex,
      eventDim: 1,
    });
    yield* pyro.sample("z", dist.Categorical(q));
  });
});

const steps = Number(process.env.EXAMPLE_STEPS ?? 400);
const every = Math.max(1, Math.floor(steps / 8));
// `npm start` runs every backend; `node --import tsx examples/quickstart.ts numpy` runs one.
const only = process.argv[2];
for (const backend of registeredBackends().filter((b) => b !== "tfjs" && (only === undefined || b === only))) {
  pyroBackend(backend, () => {
    pyro.clearParamStore();
    const x = ops.tensor(data);
    const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.TraceELBO());
    const start = performance.now();
    const averages: string[] = [];
    let sum = 0;
    for (let step = 1; step <= steps; step++) {
      sum += svi.step(x);
      if (step % every === 0) {
        averages.push((sum / every).toFixed(1));
        sum = 0;
      }
    }
    const ms = (performance.now() - start) / steps;
    const locs = Array.from(ops.toFlat(pyro.getParam("locs")), (v) => v.toFixed(2));
    console.log(`${backend.padEnd(9)} loss (mean of each ${every} steps): ${averages.join(" → ")}`);
    console.log(`${"".padEnd(9)} learned locs [${locs.join(", ")}] (true [${trueLocs.join(", ")}]), ${ms.toFixed(2)} ms/step`);
  });
}
