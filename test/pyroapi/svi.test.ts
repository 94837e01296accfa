// Port of pyroapi/tests/test_svi.py: model/guide pairs with valid structure
// must run two SVI steps on every backend.
import assert from "node:assert/strict";
import { describe } from "node:test";
import { dist, infer, ops, optim, pyro, type Model, AnyModel, type Tensor } from "../../src/index.js";
import type { ELBO } from "../../src/infer/elbo/elbo.js";
import { conformance, printMatrixAfter } from "./harness.js";

/** pyroapi's assert_ok: two SVI steps with a tiny learning rate run without error. */
function assertOk<Args extends readonly unknown[]>(
  model: AnyModel<Args>,
  guide: AnyModel<Args>,
  elbo: ELBO,
  ...args: Args
): void {
  pyro.clearParamStore();
  const adam = optim.Adam({ lr: 1e-6 });
  const inference = new infer.SVI(model, guide, adam, elbo);
  for (let i = 0; i < 2; i++) {
    const loss = inference.step(...args);
    assert.ok(Number.isFinite(loss), `loss ${loss} is finite`);
  }
}

const jitElbo = (jit: boolean) =>
  jit ? new infer.JitTraceELBO({ ignoreJitWarnings: true }) : new infer.TraceELBO({ ignoreJitWarnings: true });

describe("pyroapi test_svi", () => {
  conformance("generate_data", "all", () => {
    const model = pyro.model(function* (data?: Tensor) {
      const loc = yield* pyro.param("loc", ops.tensor(2.0));
      const scale = yield* pyro.param("scale", ops.tensor(1.0));
      return yield* pyro.sample("x", dist.Normal(loc, scale), { obs: data });
    });
    const data = pyro.run(model());
    assert.deepEqual(data.shape, []);
  });

  conformance("generate_data_plate", "all", () => {
    const numPoints = 1000;
    const model = pyro.model(function* (data?: Tensor) {
      const loc = yield* pyro.param("loc", ops.tensor(2.0));
      const scale = yield* pyro.param("scale", ops.tensor(1.0));
      return yield* pyro.plate("data", 1000, { dim: -1 }, function* () {
        return yield* pyro.sample("x", dist.Normal(loc, scale), { obs: data });
      });
    });
    pyro.clearParamStore();
    const data = pyro.run(model());
    assert.deepEqual(data.shape, [numPoints]);
    const mean = ops.item(ops.sum(data)) / numPoints;
    // The mean of 1000 N(2, 1) draws has sd 0.032: [1.9, 2.1] is ±3.2 sd (pyroapi's bound).
    assert.ok(mean >= 1.9 && mean <= 2.1, `mean ${mean} in [1.9, 2.1]`);
  });

  for (const jit of [false, true]) {
    for (const optimName of ["Adam", "ClippedAdam"] as const) {
      conformance(`optimizer_${optimName}_${jit ? "jit" : "py"}`, "all", () => {
        const model = pyro.model(function* (data: Tensor) {
          const p = yield* pyro.param("p", ops.tensor(0.5));
          yield* pyro.sample("x", dist.Bernoulli(p), { obs: data });
        });
        const guide = pyro.model(function* (_data: Tensor) {});
        const data = ops.tensor(0);
        pyro.clearParamStore();
        const optimizer = optim[optimName]({ lr: 1e-6 });
        const inference = new infer.SVI(model, guide, optimizer, jitElbo(jit));
        for (let i = 0; i < 2; i++) inference.step(data);
        assert.ok(pyro.getParamStore().has("p"));
      });
    }

    conformance(`nonempty_model_empty_guide_ok_${jit ? "jit" : "py"}`, "all", () => {
      const model = pyro.model(function* (data: Tensor) {
        const loc = yield* pyro.param("loc", ops.tensor(0.0));
        yield* pyro.sample("x", dist.Normal(loc, 1), { obs: data });
      });
      const guide = pyro.model(function* (_data: Tensor) {});
      assertOk(model, guide, jitElbo(jit), ops.tensor(2));
    });

    conformance(`plate_ok_${jit ? "jit" : "py"}`, "all", () => {
      const data = ops.randn(10);
      const model = pyro.model(function* () {
        const locs = yield* pyro.param("locs", ops.tensor([0.2, 0.3, 0.5]));
        const p = ops.tensor([0.2, 0.3, 0.5]);
        yield* pyro.plate("plate", data.shape[0]!, { dim: -1 }, function* () {
          const x = yield* pyro.sample("x", dist.Categorical(p));
          yield* pyro.sample("obs", dist.Normal(ops.index(locs, x), 1), { obs: data });
        });
      });
      const guide = pyro.model(function* () {
        const p = yield* pyro.param("p", ops.tensor([0.5, 0.3, 0.2]));
        yield* pyro.plate("plate", data.shape[0]!, { dim: -1 }, function* () {
          yield* pyro.sample("x", dist.Categorical(p));
        });
      });
      assertOk(model, guide, jitElbo(jit));
    });

    conformance(`nested_plate_plate_ok_${jit ? "jit" : "py"}`, "all", () => {
      const data = ops.randn(2, 3);
      const model = pyro.model(function* () {
        const loc = ops.tensor(3.0);
        yield* pyro.plate("plate_outer", data.shape[1]!, { dim: -1 }, function* () {
          const x = yield* pyro.sample("x", dist.Normal(loc, 1));
          yield* pyro.plate("plate_inner", data.shape[0]!, { dim: -2 }, function* () {
            yield* pyro.sample("y", dist.Normal(x, 1), { obs: data });
          });
        });
      });
      const guide = pyro.model(function* () {
        const loc = yield* pyro.param("loc", ops.tensor(0));
        const scale = yield* pyro.param("scale", ops.tensor(1));
        yield* pyro.plate("plate_outer", data.shape[1]!, { dim: -1 }, function* () {
          yield* pyro.sample("x", dist.Normal(loc, scale));
        });
      });
      assertOk(model, guide, jitElbo(jit));
    });

    conformance(`local_param_ok_${jit ? "jit" : "py"}`, "all", () => {
      const data = ops.randn(10);
      const n = data.shape[0]!;
      const model = pyro.model(function* () {
        const locs = yield* pyro.param("locs", ops.tensor([-1, 0, 1]));
        yield* pyro.plate("plate", n, { dim: -1 }, function* () {
          const x = yield* pyro.sample("x", dist.Categorical(ops.div(ops.ones([3]), 3)));
          yield* pyro.sample("obs", dist.Normal(ops.index(locs, x), 1), { obs: data });
        });
      });
      const guide = pyro.model(function* () {
        return yield* pyro.plate("plate", n, { dim: -1 }, function* () {
          const p = yield* pyro.param("p", ops.div(ops.ones([n, 3]), 3), { eventDim: 1 });
          yield* pyro.sample("x", dist.Categorical(p));
          return p;
        });
      });
      assertOk(model, guide, jitElbo(jit));
      // pyro.param("p") without an initial value returns the trained value.
      const expected = pyro.run(guide());
      const actual = pyro.getParam("p");
      assert.ok(ops.allclose(actual, expected));
    });

    conformance(`constraints_${jit ? "jit" : "py"}`, "all", () => {
      const data = ops.tensor(0.5);
      const model = pyro.model(function* () {
        const locs = yield* pyro.param("locs", ops.randn(3), { constraint: dist.constraints.real });
        const scales = yield* pyro.param("scales", ops.exp(ops.randn(3)), { constraint: dist.constraints.positive });
        const p = ops.tensor([0.5, 0.3, 0.2]);
        const x = yield* pyro.sample("x", dist.Categorical(p));
        yield* pyro.sample("obs", dist.Normal(ops.index(locs, x), ops.index(scales, x)), { obs: data });
      });
      const guide = pyro.model(function* () {
        const q = yield* pyro.param("q", ops.exp(ops.randn(3)), { constraint: dist.constraints.simplex });
        yield* pyro.sample("x", dist.Categorical(q));
      });
      assertOk(model, guide, jitElbo(jit));
      // The simplex param is a probability vector after training.
      const q = Array.from(ops.toFlat(pyro.getParam("q")));
      // float32 sum of three values near 1/3: error ≤ 3 ulp(1) ≈ 4e-7; 1e-5 leaves room for the transform.
      assert.ok(Math.abs(q.reduce((a, b) => a + b, 0) - 1) < 1e-5 && q.every((v) => v > 0), `q = ${q}`);
    });
  }

  conformance("mean_field_ok", "all", () => {
    const model = pyro.model(function* () {
      const x = yield* pyro.sample("x", dist.Normal(0, 1));
      yield* pyro.sample("y", dist.Normal(x, 1));
    });
    const guide = pyro.model(function* () {
      const loc = yield* pyro.param("loc", ops.tensor(0));
      const x = yield* pyro.sample("x", dist.Normal(loc, 1));
      yield* pyro.sample("y", dist.Normal(x, 1));
    });
    assertOk(model, guide, new infer.TraceMeanFieldELBO());
  });
});

printMatrixAfter("pyroapi test_svi");
