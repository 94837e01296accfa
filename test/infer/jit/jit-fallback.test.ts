// What JitTraceELBO does with draws it cannot simply regenerate, and off the
// funsor backend: an opaque sampler of a distribution that does not depend on
// params is regenerated whole (compiled); a non-reparameterized draw from a
// distribution that depends on params, or a random value drawn outside any
// sample site, makes the model run uncompiled (with the reason recorded) —
// always with TraceELBO's values; on numpy every step is TraceELBO's. Values
// agree to 1e-10 relative (float64, possibly different summation order).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { funsorBackend, numpyBackend } from "../../../src/dispatch/standard-backends.js";
import type { Runtime } from "../../../src/handlers/runtime.js";
import type { AnyModel } from "../../../src/program/gen.js";
import { assertClose, assertSameGrads, lossAndGrads, schoolsData, schoolsGuide, schoolsModel, stepKey } from "./helpers.js";

const mixture = pyro.model(function* (y: Tensor) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 1]));
  const z = yield* pyro.sample("z", dist.Categorical([0.3, 0.7]));
  yield* pyro.sample("y", dist.Normal(ops.index(locs, z), 1), { obs: y });
});

/** Compares JitTraceELBO with TraceELBO over `steps` keys; returns the JIT's info. */
function compare<Args extends readonly unknown[]>(
  rt: Runtime, backend: string, model: AnyModel<Args>, guide: AnyModel<Args>, args: () => Args, steps = 4,
) {
  return pyroBackend(backend, () => {
    pyro.clearParamStore();
    const a0 = args();
    const jit = new infer.JitTraceELBO();
    const plain = new infer.TraceELBO();
    lossAndGrads(rt, plain, model, guide, a0, stepKey(0));
    for (let i = 1; i <= steps; i++) {
      const b = lossAndGrads(rt, plain, model, guide, a0, stepKey(i));
      const a = lossAndGrads(rt, jit, model, guide, a0, stepKey(i));
      assertClose(a.loss, b.loss, `loss at step ${i}`);
      assertSameGrads(a.grads, b.grads);
    }
    return jit.jitInfo;
  });
}

describe("JitTraceELBO (funsor): draws that are not plain reparameterized noise", () => {
  it("regenerates a whole site from its own sampler when its distribution is fixed (a Categorical guide)", () => {
    const guide = pyro.model(function* (_y: Tensor) {
      yield* pyro.sample("z", dist.Categorical([0.5, 0.5]));
    });
    const info = compare(funsorBackend.runtime, "funsor", mixture, guide, () => [ops.tensor(0.7)] as [Tensor]);
    assert.equal(info.variants, 1, info.reason);
    assert.ok(info.compiledSteps >= 3);
  });

  it("regenerates a subsampled plate's indices on every step", () => {
    const model = pyro.model(function* (x: Tensor) {
      const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
      yield* pyro.plate("data", 20, { subsampleSize: 5 }, function* (idx) {
        yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: ops.index(x, idx) });
      });
    });
    const guide = pyro.model(function* (_x: Tensor) {
      const m = yield* pyro.param("m", 0);
      yield* pyro.sample("loc", dist.Normal(m, 1));
    });
    const info = compare(funsorBackend.runtime, "funsor", model, guide, () => [ops.arange(20)] as [Tensor]);
    assert.equal(info.variants, 1, info.reason);
    assert.ok(info.compiledSteps >= 3);
  });

  it("runs uncompiled when a non-reparameterized draw depends on params (score-function sites)", () => {
    const guide = pyro.model(function* (_y: Tensor) {
      const q = yield* pyro.param("q", ops.tensor([0.4, 0.6]), { constraint: dist.constraints.simplex });
      yield* pyro.sample("z", dist.Categorical(q));
    });
    const info = compare(funsorBackend.runtime, "funsor", mixture, guide, () => [ops.tensor(0.7)] as [Tensor]);
    assert.equal(info.variants, 0);
    assert.match(info.reason ?? "", /not reparameterized/);
    assert.ok(info.uncompiledSteps >= 3);
  });

  it("runs uncompiled when a reparameterized sampler is an opaque kernel of params (Gamma's implicit gradient)", () => {
    const model = pyro.model(function* (y: Tensor) {
      const rate = yield* pyro.sample("rate", dist.Gamma(2, 2));
      yield* pyro.sample("y", dist.Exponential(rate), { obs: y });
    });
    const guide = pyro.model(function* (_y: Tensor) {
      const a = yield* pyro.param("a", 2, { constraint: dist.constraints.positive });
      yield* pyro.sample("rate", dist.Gamma(a, 3));
    });
    const info = compare(funsorBackend.runtime, "funsor", model, guide, () => [ops.tensor(0.7)] as [Tensor]);
    assert.equal(info.variants, 0);
    assert.match(info.reason ?? "", /rate/);
  });

  it("runs uncompiled when a random value is drawn outside any sample site (ops.randn in the model)", () => {
    const model = pyro.model(function* (y: Tensor) {
      const x = yield* pyro.sample("x", dist.Normal(0, 1));
      const jitter = ops.mul(ops.randn(), 0.01);
      yield* pyro.sample("y", dist.Normal(ops.add(x, jitter), 1), { obs: y });
    });
    const guide = pyro.model(function* (_y: Tensor) {
      const loc = yield* pyro.param("loc", 0);
      yield* pyro.sample("x", dist.Normal(loc, 1));
    });
    const info = pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const jit = new infer.JitTraceELBO();
      const args: [Tensor] = [ops.tensor(0.5)];
      for (let i = 1; i <= 3; i++) lossAndGrads(funsorBackend.runtime, jit, model, guide, args, stepKey(i));
      return jit.jitInfo;
    });
    assert.equal(info.variants, 0);
    assert.match(info.reason ?? "", /outside any sample site/);
  });
});

describe("JitTraceELBO on a backend without lazy ops (numpy)", () => {
  it("computes exactly TraceELBO's loss and gradient, uncompiled, and accepts a change of structure", () => {
    const info = compare(numpyBackend.runtime, "numpy", schoolsModel, schoolsGuide, schoolsData);
    assert.equal(info.traces, 0);
    assert.equal(info.uncompiledSteps, 4);
    pyroBackend("numpy", () => {
      const jit = new infer.JitTraceELBO();
      lossAndGrads(numpyBackend.runtime, jit, schoolsModel, schoolsGuide, schoolsData(), stepKey(1));
      const [s, y] = schoolsData();
      assert.doesNotThrow(() => lossAndGrads(numpyBackend.runtime, jit, schoolsModel, schoolsGuide, [s, ops.add(y, 1)], stepKey(2)));
    });
  });
});
