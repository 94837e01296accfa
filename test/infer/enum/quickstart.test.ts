// The seed example (examples/quickstart.ts): with its assignment site z
// enumerated, TraceEnumELBO and an empty guide train to a lower loss than
// TraceELBO with the example's learnable Categorical guide, in the same steps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import type { ELBO } from "../../../src/infer/elbo/elbo.js";

// The example's data, model and guide, unchanged.
const trueLocs = [-4, 0, 4];
const data = Array.from({ length: 200 }, (_, i) => trueLocs[i % 3]! + Math.sin(7.3 * i));

const model = pyro.model(function* (x: Tensor) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 0.5, 1]));
  const p = ops.tensor([1 / 3, 1 / 3, 1 / 3]);
  yield* pyro.plate("data", x.shape[0]!, { dim: -1 }, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(p));
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});

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
const emptyGuide = pyro.model(function* (_x: Tensor) {});

const STEPS = 200;
const LAST = 50;

function train(backend: string, m: typeof model, g: typeof guide | typeof emptyGuide, elbo: ELBO): number {
  return pyroBackend(backend, () => {
    pyro.clearParamStore();
    pyro.setRngSeed(0);
    const x = ops.tensor(data);
    const svi = new infer.SVI(m, g, optim.Adam({ lr: 0.1 }), elbo);
    let sum = 0;
    for (let step = 1; step <= STEPS; step++) {
      const loss = svi.step(x);
      if (step > STEPS - LAST) sum += loss;
    }
    return sum / LAST;
  });
}

for (const backend of ["numpy", "pyro"] as const) {
  describe(`the seed example with TraceEnumELBO (${backend})`, () => {
    it("reaches a lower final loss than TraceELBO in the same number of steps", () => {
      // For any locs, TraceELBO's expected loss −ELBO(q, locs) ≥ −log p(x | locs) ≥ −log p(x | MLE);
      // TraceEnumELBO's loss is −log p(x | locs) exactly and its gradient is noise-free, so it
      // approaches the last bound while TraceELBO also pays KL(q ‖ posterior) and Monte Carlo noise.
      const enumLoss = train(backend, infer.configEnumerate(model), emptyGuide, new infer.TraceEnumELBO({ maxPlateNesting: 1 }));
      const traceLoss = train(backend, model, guide, new infer.TraceELBO());
      assert.ok(enumLoss < traceLoss, `mean of the last ${LAST} losses: TraceEnumELBO ${enumLoss}, TraceELBO ${traceLoss}`);
    });
  });
}
