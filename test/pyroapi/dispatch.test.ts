// Port of pyroapi's test/test_dispatch.py and tests/test_mcmc.py.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  NotImplementedError,
  UnknownBackendError,
  dist,
  handlers,
  infer,
  pyro,
  pyroBackend,
  registerBackend,
  registeredBackends,
  ops,
} from "../../src/index.js";
import { canonicalBackends, conformance, printMatrixAfter } from "./harness.js";
import { MODELS, loadModel } from "./models.js";

describe("pyroapi test_dispatch", () => {
  for (const backend of canonicalBackends()) {
    it(`not_implemented [${backend}]`, () => {
      pyroBackend(backend, () => {
        assert.equal(typeof pyro.sample, "function");
        assert.equal(typeof pyro.param, "function");
        assert.throws(
          () => (pyro as unknown as Record<string, unknown>).nonexistent_primitive,
          (e: unknown) =>
            e instanceof NotImplementedError &&
            e.message === `This Pyro backend does not implement pyro.nonexistent_primitive (backend: ${backend})`,
        );
      });
    });
  }

  for (const name of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
    conformance(`model_sample ${name}`, "all", () => {
      const { model, modelArgs } = loadModel(name);
      pyro.run(handlers.seed(model, 2)(...(modelArgs as never[])));
    });
    conformance(`trace_handler ${name}`, "all", () => {
      const { model, modelArgs } = loadModel(name);
      const tr = handlers.trace(handlers.seed(model, 2)).getTrace(...(modelArgs as never[]));
      assert.ok(tr.nodes.size > 0);
    });
    conformance(`mcmc_interface ${name}`, ["pyro", "numpy", "funsor"], () => {
      handlers.seed(20, () => {
        const { model, modelArgs } = loadModel(name);
        const nuts = new infer.NUTS(model);
        const mcmc = new infer.MCMC(nuts, { numSamples: 10, warmupSteps: 10 });
        mcmc.run(...(modelArgs as never[]));
        mcmc.summary();
      });
    });
  }

  it("registerBackend adds an alias whose unspecified modules come from the default backend", () => {
    registerBackend("test-mixed", { infer: "minipyro", optim: "minipyro", pyro: "minipyro", handlers: "minipyro" });
    assert.ok(registeredBackends().includes("test-mixed"));
    pyroBackend("test-mixed", () => {
      // distributions come from pyro (the default backend), infer from minipyro, which has no NUTS.
      assert.equal(typeof dist.Normal, "function");
      assert.throws(() => (infer as unknown as Record<string, unknown>).NUTS, NotImplementedError);
      const m = pyro.model(function* () {
        return yield* pyro.sample("x", dist.Normal(0, 1));
      });
      assert.ok(handlers.trace(m).getTrace().nodes.has("x"));
    });
  });

  it("pyroBackend nests, restores on return and on throw, and seeds with 1", () => {
    const store = () => pyro.getParamStore();
    const pyroStore = pyroBackend("pyro", () => store());
    const miniStore = pyroBackend("minipyro", () => store());
    assert.notEqual(pyroStore, miniStore);
    pyroBackend("pyro", () => {
      assert.equal(store(), pyroStore);
      pyroBackend("minipyro", () => assert.equal(store(), miniStore));
      assert.equal(store(), pyroStore);
      assert.throws(() => pyroBackend("minipyro", () => { throw new Error("inner"); }), /inner/);
      assert.equal(store(), pyroStore);
    });
    const draw = () => ops.item(pyro.run(pyro.sample("x", dist.Normal(0, 1))));
    const first = pyroBackend("pyro", draw);
    assert.equal(pyroBackend("pyro", draw), first);
    assert.equal(pyroBackend("pyro", () => handlers.seed(1, draw)), first);
    assert.notEqual(pyroBackend("pyro", () => handlers.seed(2, draw)), first);
  });

  it("an unknown alias throws an error listing the registered backends", () => {
    assert.throws(
      () => pyroBackend("nope", () => 0),
      (e: unknown) => e instanceof UnknownBackendError && /registered backends: pyro, tfjs, minipyro/.test(e.message),
    );
  });
});

describe("pyroapi test_mcmc", () => {
  conformance("mcmc_run_ok", ["pyro", "numpy", "funsor"], () => {
    const model = pyro.model(function* () {
      yield* pyro.sample("x", dist.Normal(0, 1));
    });
    pyro.clearParamStore();
    const kernel = new infer.NUTS(model);
    const mcmc = new infer.MCMC(kernel, { numSamples: 2, warmupSteps: 2 });
    mcmc.run();
  });
});

printMatrixAfter("pyroapi test_dispatch / test_mcmc");
