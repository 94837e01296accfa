// JitTraceEnumELBO on the funsor backend: the compiled enumerated loss and
// gradient equal TraceEnumELBO's — a Gaussian mixture with latent component
// means (a reparameterized guide draw plus an enumerated assignment per
// point), and an HMM under pyro.markov with learned transition logits — and
// SVI with it recovers the mixture's components. Float64 throughout; compiled
// sums may run in another order: 1e-10 relative.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { funsorBackend } from "../../../src/dispatch/standard-backends.js";
import { assertClose, assertSameGrads, lossAndGrads, mixtureData, mixtureGuide, mixtureModel, stepKey } from "./helpers.js";

const rt = funsorBackend.runtime;

const hmm = pyro.model(function* (ys: Tensor) {
  const logits = yield* pyro.param("trans_logits", ops.tensor([[1, -1], [-0.5, 0.5]]));
  const locs = yield* pyro.param("emit_locs", ops.tensor([-1, 1]));
  const probs = ops.exp(ops.sub(logits, ops.logsumexp(logits, { axis: -1, keepdims: true })));
  let x: Tensor = ops.tensor(0);
  const T = ys.shape[0]!;
  yield* pyro.markov(T, function* (t) {
    x = yield* pyro.sample(`x_${t}`, dist.Categorical(ops.index(probs, x)), { infer: { enumerate: "parallel" } });
    yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: ops.index(ys, t) });
  });
});
const empty = pyro.model(function* (_ys: Tensor) {});

describe("JitTraceEnumELBO (funsor): compiled equals uncompiled", () => {
  it("a mixture with a latent component mean per component: loss and gradient at each step key", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const args: [Tensor] = [mixtureData()];
      const jit = new infer.JitTraceEnumELBO({ maxPlateNesting: 1 });
      const plain = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      lossAndGrads(rt, plain, mixtureModel, mixtureGuide, args, stepKey(0));
      for (let i = 1; i <= 4; i++) {
        const b = lossAndGrads(rt, plain, mixtureModel, mixtureGuide, args, stepKey(i));
        const a = lossAndGrads(rt, jit, mixtureModel, mixtureGuide, args, stepKey(i));
        assertClose(a.loss, b.loss, `loss at step ${i}`);
        assertSameGrads(a.grads, b.grads);
      }
      assert.equal(jit.jitInfo.variants, 1, jit.jitInfo.reason);
      assert.ok(jit.jitInfo.compiledSteps >= 3);
    }));

  it("an HMM under pyro.markov (the forward algorithm, compiled)", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const ys = ops.tensor(Array.from({ length: 12 }, (_, t) => Math.sin(t) * 1.5));
      const jit = new infer.JitTraceEnumELBO({ maxPlateNesting: 0 });
      const plain = new infer.TraceEnumELBO({ maxPlateNesting: 0 });
      lossAndGrads(rt, plain, hmm, empty, [ys], stepKey(0));
      for (let i = 1; i <= 3; i++) {
        const b = lossAndGrads(rt, plain, hmm, empty, [ys], stepKey(i));
        const a = lossAndGrads(rt, jit, hmm, empty, [ys], stepKey(i));
        assertClose(a.loss, b.loss, `loss at step ${i}`);
        assertSameGrads(a.grads, b.grads);
        pyro.getParamStore().set("emit_locs", ops.add(pyro.getParam("emit_locs"), ops.tensor([-0.1, 0.1])));
      }
      assert.ok(jit.jitInfo.compiledSteps >= 2, JSON.stringify(jit.jitInfo));
    }));

  it("trains the mixture as TraceEnumELBO does, and finds the three components", () => {
    const train = (make: () => InstanceType<typeof infer.TraceEnumELBO>) =>
      pyroBackend("funsor", () => {
        pyro.clearParamStore();
        const x = mixtureData();
        const svi = new infer.SVI(mixtureModel, mixtureGuide, optim.Adam({ lr: 0.1 }), make());
        const losses = Array.from({ length: 150 }, () => svi.step(x));
        return { losses, locs: Array.from(ops.toFlat(pyro.getParam("locs_loc"))) };
      });
    const a = train(() => new infer.TraceEnumELBO({ maxPlateNesting: 1 }));
    const b = train(() => new infer.JitTraceEnumELBO({ maxPlateNesting: 1 }));
    a.losses.forEach((l, i) => assertClose(b.losses[i]!, l, `SVI loss ${i}`));
    // The data sit around -4, 0 and 4 (four points each, sd ≈ 0.35): the posterior means of
    // the sorted component locations are within 0.5 (≈ 1/√4 posterior sd of a unit-variance mean, plus the noise).
    const sorted = [...b.locs].sort((p, q) => p - q);
    [-3.95, 0.2, 3.975].forEach((m, k) => assert.ok(Math.abs(sorted[k]! - m) < 0.5, `component ${k}: ${sorted[k]} vs ${m}`));
  });
});
