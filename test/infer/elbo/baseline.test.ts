// TraceGraphELBO's baselines: the decaying average as explicit state, its
// step semantics, user baselines, and option errors; plus the ELBO through
// SVI on the pyro backend (no tensor leaks).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, optim, pyro, pyroBackend } from "../../../src/index.js";
import { numpyBackend } from "../../../src/dispatch/standard-backends.js";
import { BaselineOptionError } from "../../../src/infer/elbo/baseline.js";
import type { ElboContext } from "../../../src/infer/elbo/elbo.js";
import { EnumerationNotSupportedError } from "../../../src/infer/elbo/enumeration.js";
import { TraceGraphELBO } from "../../../src/infer/elbo/trace-graph-elbo.js";
import { lossAndParamGrads } from "../../../src/infer/param-grads.js";
import { PRNGKey } from "../../../src/tensor/random/key.js";

// z's downstream cost is log p(z) − log q(z) + 3 = 3 whatever z is (p = q, a factor 3 after z).
const model = pyro.model(function* () {
  yield* pyro.sample("z", dist.Bernoulli(0.5));
  yield* pyro.factor("f", 3);
});
const guideWith = (baseline: Record<string, unknown>) =>
  pyro.model(function* () {
    yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { baseline } });
  });

describe("TraceGraphELBO baselines (numpy)", () => {
  const rt = numpyBackend.runtime;
  const ctx = (step: unknown): ElboContext => ({ ops: rt.ops, run: (p) => rt.run(p), validate: true, step });
  const average = (elbo: TraceGraphELBO) => elbo.baselines.snapshot().get("z")?.values[0];

  it("keeps a decaying average β·avg + (1−β)·cost per site, updated once per step", () =>
    pyroBackend("numpy", () => {
      const elbo = new TraceGraphELBO();
      const guide = guideWith({ useDecayingAverageBaseline: true, baselineBeta: 0.8 });
      elbo.lossAndSurrogate(ctx("step 1"), model, guide, []);
      assert.ok(Math.abs(average(elbo)! - 3 * (1 - 0.8)) < 1e-12);
      // A re-evaluation of the same step (SVI re-runs when it discovers params) starts from the same state.
      elbo.lossAndSurrogate(ctx("step 1"), model, guide, []);
      assert.ok(Math.abs(average(elbo)! - 3 * (1 - 0.8)) < 1e-12);
      elbo.lossAndSurrogate(ctx("step 2"), model, guide, []);
      elbo.lossAndSurrogate(ctx(undefined), model, guide, []);
      assert.ok(Math.abs(average(elbo)! - 3 * (1 - 0.8 ** 3)) < 1e-12);
      // loss() evaluates without touching the state.
      elbo.loss(ctx(undefined), model, guide, []);
      assert.ok(Math.abs(average(elbo)! - 3 * (1 - 0.8 ** 3)) < 1e-12);
    }));

  it("subtracts the baseline from the cost: with baseline 3 the weight is log p(z) − log q(z)", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      rt.paramStore.set("t", 0.4);
      let drawn = NaN;
      const guideOf = (infer: Record<string, unknown>) =>
        pyro.model(function* () {
          const t = yield* pyro.param("t", 0.4);
          drawn = ops.item(yield* pyro.sample("z", dist.Bernoulli({ logits: t }), { infer }));
        });
      const grad = (infer: Record<string, unknown>) =>
        ops.item(
          lossAndParamGrads(rt, PRNGKey(1), (run) => new TraceGraphELBO().lossAndSurrogate({ ...ctx(1), run }, model, guideOf(infer), []), ["t"])
            .params.get("t")!.grad,
        );
      // The gradient of −ELBO is −cost·∇log q(z), cost = log p(z) − log q(z) + 3, q = Bernoulli(σ(0.4)).
      const q1 = 1 / (1 + Math.exp(-0.4));
      const check = (infer: Record<string, unknown>, offset: number) => {
        const g = grad(infer);
        const qz = drawn === 1 ? q1 : 1 - q1;
        const score = drawn === 1 ? 1 - q1 : -q1; // d log q(z) / dt
        const expected = -(Math.log(0.5) - Math.log(qz) + offset) * score;
        assert.ok(Math.abs(g - expected) < 1e-12, `gradient ${g} vs ${expected}`);
      };
      check({}, 3);
      check({ baseline: { baselineValue: 3 } }, 0);
      check({ baseline: { baselineValue: ops.tensor(1) } }, 2);
    }));

  it("rejects unknown options, neural baselines, a bad beta, and enumerated guide sites", () =>
    pyroBackend("numpy", () => {
      const run = (baseline: Record<string, unknown>) => new TraceGraphELBO().lossAndSurrogate(ctx(undefined), model, guideWith(baseline), []);
      assert.throws(() => run({ useDecayingAvgBaseline: true }), (e: unknown) => e instanceof BaselineOptionError && /useDecayingAvgBaseline/.test(e.message));
      assert.throws(() => run({ nnBaseline: () => 0 }), (e: unknown) => e instanceof BaselineOptionError && /not supported/.test(e.message));
      assert.throws(() => run({ useDecayingAverageBaseline: true, baselineBeta: 1 }), BaselineOptionError);
      const enumerated = pyro.model(function* () {
        yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      });
      assert.throws(() => new TraceGraphELBO().lossAndSurrogate(ctx(undefined), model, enumerated, []), EnumerationNotSupportedError);
    }));
});

describe("TraceGraphELBO in SVI (pyro)", () => {
  it("learns a Bernoulli guide and keeps the tfjs tensor count constant", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const data = ops.tensor([1, 1, 1, 0, 1, 1, 1, 1]);
      // z ∈ {0, 1} picks the coin's bias (0.2 or 0.8); 7 heads of 8 make z = 1 far more likely:
      // p(z=1 | data) = 0.5·0.8⁷·0.2 / (0.5·0.8⁷·0.2 + 0.5·0.2⁷·0.8) = 1 / (1 + 4⁻⁵) ≈ 0.999.
      const coin = pyro.model(function* (flips: typeof data) {
        const z = yield* pyro.sample("z", dist.Bernoulli(0.5));
        yield* pyro.plate("flips", 8, function* () {
          yield* pyro.sample("obs", dist.Bernoulli(ops.add(0.2, ops.mul(z, 0.6))), { obs: flips });
        });
      });
      const guide = pyro.model(function* (_flips: typeof data) {
        const t = yield* pyro.param("t", 0);
        yield* pyro.sample("z", dist.Bernoulli({ logits: t }), { infer: { baseline: { useDecayingAverageBaseline: true } } });
      });
      const svi = new infer.SVI(coin, guide, optim.Adam({ lr: 0.1 }), new infer.TraceGraphELBO());
      for (let i = 0; i < 5; i++) svi.step(data);
      const before = ops.numTensors();
      for (let i = 0; i < 300; i++) svi.step(data);
      assert.equal(ops.numTensors(), before);
      // The optimum is t = logit(0.999) ≈ 6.9; 300 Adam steps of 0.1 move t well past 3 (q(z=1) > 0.95).
      assert.ok(ops.item(pyro.getParam("t")) > 3, `t = ${ops.item(pyro.getParam("t"))}`);
    }));
});
