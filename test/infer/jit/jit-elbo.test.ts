// JitTraceELBO on the funsor backend: the compiled loss and gradient equal
// TraceELBO's for the same step key and params (eight schools, logistic
// regression), SVI trains identically, random draws are regenerated from each
// step's key, and a change of structure (other arguments, a value read by the
// model that changes) re-traces. Both sides compute in float64; compiled code
// may sum in another order, so values agree to 1e-10 relative, not bit for bit.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { funsorBackend } from "../../../src/dispatch/standard-backends.js";
import type { AnyModel } from "../../../src/program/gen.js";
import {
  assertClose, assertSameGrads, logregData, logregGuide, logregModel, lossAndGrads, schoolsData, schoolsGuide, schoolsModel, stepKey,
} from "./helpers.js";

const rt = funsorBackend.runtime;

/** Moves every unconstrained param by `delta` (new params for the next step). */
function nudge(delta: number): void {
  const names = rt.paramStore.names();
  rt.paramStore.setUnconstrained(new Map(names.map((n) => [n, ops.add(rt.paramStore.getUnconstrained(n), delta)])));
}

const cases: [string, AnyModel<[Tensor, Tensor]>, AnyModel<[Tensor, Tensor]>, () => [Tensor, Tensor]][] = [
  ["eight schools", schoolsModel, schoolsGuide, schoolsData],
  ["logistic regression", logregModel, logregGuide, logregData],
];

describe("JitTraceELBO (funsor): compiled equals uncompiled", () => {
  for (const [name, model, guide, data] of cases) {
    it(`${name}: loss and gradient equal TraceELBO's at each step key, as params change`, () =>
      pyroBackend("funsor", () => {
        pyro.clearParamStore();
        const args = data();
        const jit = new infer.JitTraceELBO();
        const plain = new infer.TraceELBO();
        lossAndGrads(rt, plain, model, guide, args, stepKey(0)); // creates the params
        for (let i = 1; i <= 5; i++) {
          const a = lossAndGrads(rt, jit, model, guide, args, stepKey(i));
          const b = lossAndGrads(rt, plain, model, guide, args, stepKey(i));
          assertClose(a.loss, b.loss, `loss at step ${i}`);
          assertSameGrads(a.grads, b.grads);
          nudge(0.03);
        }
        const info = jit.jitInfo;
        assert.equal(info.variants, 1, `one compiled variant (${info.reason ?? "no reason"})`);
        assert.ok(info.compiledSteps >= 3, `most steps run compiled: ${JSON.stringify(info)}`);
      }));
  }

  for (const opts of [{ numParticles: 3 }, { numParticles: 4, vectorizeParticles: true }]) {
    it(`averages particles as TraceELBO does (${JSON.stringify(opts)})`, () =>
      pyroBackend("funsor", () => {
        pyro.clearParamStore();
        const args = schoolsData();
        const jit = new infer.JitTraceELBO(opts);
        const plain = new infer.TraceELBO(opts);
        // Both instances guess maxPlateNesting (extra runs) on their first call: make that call first.
        lossAndGrads(rt, plain, schoolsModel, schoolsGuide, args, stepKey(0));
        lossAndGrads(rt, jit, schoolsModel, schoolsGuide, args, stepKey(0));
        for (let i = 1; i <= 3; i++) {
          const b = lossAndGrads(rt, plain, schoolsModel, schoolsGuide, args, stepKey(i));
          const a = lossAndGrads(rt, jit, schoolsModel, schoolsGuide, args, stepKey(i));
          assertClose(a.loss, b.loss, `loss at step ${i}`);
          assertSameGrads(a.grads, b.grads);
        }
        assert.ok(jit.jitInfo.compiledSteps >= 2, JSON.stringify(jit.jitInfo)); // the first call also guesses the plate nesting (retraced once)
      }));
  }

  it("trains eight schools exactly as TraceELBO: same SVI losses and final params", () => {
    const train = (make: () => InstanceType<typeof infer.TraceELBO>) =>
      pyroBackend("funsor", () => {
        pyro.clearParamStore();
        const args = schoolsData();
        const svi = new infer.SVI(schoolsModel, schoolsGuide, optim.Adam({ lr: 0.05 }), make());
        const losses = Array.from({ length: 40 }, () => svi.step(...args));
        return { losses, loc: Array.from(ops.toFlat(pyro.getParam("theta_loc"))) };
      });
    const a = train(() => new infer.TraceELBO());
    const b = train(() => new infer.JitTraceELBO());
    a.losses.forEach((l, i) => assertClose(b.losses[i]!, l, `SVI loss ${i}`));
    a.loc.forEach((v, i) => assertClose(b.loc[i]!, v, `theta_loc[${i}]`));
  });

  it("regenerates the random draws from each step's key: the compiled loss varies at fixed params", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const args = schoolsData();
      const jit = new infer.JitTraceELBO();
      const plain = new infer.TraceELBO();
      lossAndGrads(rt, plain, schoolsModel, schoolsGuide, args, stepKey(0));
      lossAndGrads(rt, jit, schoolsModel, schoolsGuide, args, stepKey(0)); // compiles
      const compiled = [1, 2, 3, 4].map((i) => lossAndGrads(rt, jit, schoolsModel, schoolsGuide, args, stepKey(i)).loss);
      const uncompiled = [1, 2, 3, 4].map((i) => lossAndGrads(rt, plain, schoolsModel, schoolsGuide, args, stepKey(i)).loss);
      assert.equal(new Set(compiled).size, 4, `four different losses: ${compiled}`);
      compiled.forEach((l, i) => assertClose(l, uncompiled[i]!, `loss at key ${i + 1}`));
      assert.ok(jit.jitInfo.compiledSteps >= 4);
    }));
});

describe("JitTraceELBO (funsor): re-tracing when the structure changes", () => {
  it("re-traces for other model arguments", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const jit = new infer.JitTraceELBO();
      const plain = new infer.TraceELBO();
      const first = schoolsData();
      const second: [Tensor, Tensor] = [first[0], ops.add(first[1], 1)];
      lossAndGrads(rt, plain, schoolsModel, schoolsGuide, first, stepKey(0));
      for (const [i, args] of [first, first, second, second, first].entries()) {
        const b = lossAndGrads(rt, plain, schoolsModel, schoolsGuide, args, stepKey(i + 1));
        const a = lossAndGrads(rt, jit, schoolsModel, schoolsGuide, args, stepKey(i + 1));
        assertClose(a.loss, b.loss, `loss ${i}`);
        assertSameGrads(a.grads, b.grads);
      }
      assert.equal(jit.jitInfo.variants, 2, "one variant per arguments");
      assert.equal(jit.jitInfo.traces, 2, "each structure traced once; the last step reuses the first variant");
    }));

  it("re-traces when a value the model read changes (a branch on a param)", () => {
    const model = pyro.model(function* (y: Tensor) {
      const s = yield* pyro.param("s", 0.2);
      const x = yield* pyro.sample("x", dist.Normal(0, 1));
      const spread = ops.item(s) > 0.5 ? 2 : 1; // a JavaScript branch: a guard of the compiled graph
      yield* pyro.sample("y", dist.Normal(ops.mul(x, s), spread), { obs: y });
    });
    const guide = pyro.model(function* (_y: Tensor) {
      const loc = yield* pyro.param("loc", 0);
      yield* pyro.sample("x", dist.Normal(loc, 1));
    });
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const args: [Tensor] = [ops.tensor(1.5)];
      const jit = new infer.JitTraceELBO();
      const plain = new infer.TraceELBO();
      lossAndGrads(rt, plain, model, guide, args, stepKey(0));
      const step = (i: number) => {
        const a = lossAndGrads(rt, jit, model, guide, args, stepKey(i));
        const b = lossAndGrads(rt, plain, model, guide, args, stepKey(i));
        assertClose(a.loss, b.loss, `loss ${i}`);
        assertSameGrads(a.grads, b.grads);
      };
      step(1);
      step(2);
      assert.equal(jit.jitInfo.traces, 1);
      pyro.getParamStore().set("s", 0.8); // the branch flips
      step(3);
      step(4);
      assert.equal(jit.jitInfo.traces, 2, "the guard failed once, and the new branch was traced");
      assert.equal(jit.jitInfo.variants, 2);
    });
  });
});
