import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { NDArray } from "../../src/tensor/ndarray/index.js";

const model = pyro.model(function* (x: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(ops.zeros([1]), 1).toEvent(1));
  yield* pyro.sample("x", dist.Normal(loc, 1).toEvent(1), { obs: x });
});
const guide = pyro.model(function* (_x: Tensor) {
  const m = yield* pyro.param("m", ops.zeros([1]));
  yield* pyro.sample("loc", dist.Normal(m, 1).toEvent(1));
});

describe("backends interpret programs in their own environment", () => {
  it("runs a numpy SVI stepped outside pyroBackend on numpy (model bodies' dist/ops resolve to numpy)", () => {
    const { svi, x } = pyroBackend("numpy", () => {
      pyro.clearParamStore();
      return { svi: new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()), x: ops.tensor([2]) };
    });
    // Outside: the ambient backend is the default (pyro/tfjs), but the step runs on numpy.
    for (let i = 0; i < 3; i++) assert.ok(Number.isFinite(svi.step(x)));
    const m = pyroBackend("numpy", () => pyro.getParam("m"));
    assert.ok(m instanceof NDArray);
  });

  it("gives a traced model of one backend that backend's tensors when called from another", () => {
    const traceOnMinipyro = pyroBackend("minipyro", () => handlers.trace(model));
    const x = pyroBackend("minipyro", () => ops.tensor([1]));
    const tr = pyroBackend("numpy", () => traceOnMinipyro.getTrace(x));
    // minipyro computes with tfjs tensors: its run entered its own environment.
    assert.ok(!(tr.nodes.get("loc")!.value instanceof NDArray));
  });
});
