import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { LaplaceHessianError } from "../../../src/infer/autoguide/errors.js";
import { logisticModel, N, D, P, reference, X, Y } from "./logistic.js";

// λ ~ Gamma(2, 1) (rate), x_i ~ Exponential(λ); loc ~ Normal(0, 1), y_j ~ Normal(loc, 1).
// The posterior of λ is Gamma(2 + n, 1 + Σx), mode (1 + n)/(1 + Σx) in the
// constrained space; the posterior of loc is Normal with mode Σy/(1 + m).
const xs = [0.21, 0.65, 0.05, 0.93, 0.33, 0.12, 0.48, 0.71, 0.09, 0.27, 1.4, 0.56, 0.19, 0.38, 0.02, 0.84, 0.44, 0.15, 0.61, 0.3];
const ys = [1.83, 0.41, 2.96, 1.27, 0.88, 2.15, 1.62, -0.34, 2.48, 1.09];
const rateMode = (1 + xs.length) / (1 + xs.reduce((a, b) => a + b, 0));
const locMode = ys.reduce((a, b) => a + b, 0) / (1 + ys.length);

const mapModel = pyro.model(function* (x: Tensor, y: Tensor) {
  const rate = yield* pyro.sample("rate", dist.Gamma(2, 1));
  const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
  yield* pyro.plate("xs", xs.length, function* () {
    yield* pyro.sample("x", dist.Exponential(rate), { obs: x });
  });
  yield* pyro.plate("ys", ys.length, function* () {
    yield* pyro.sample("y", dist.Normal(loc, 1), { obs: y });
  });
});

describe("AutoDelta", () => {
  for (const backend of ["numpy", "pyro"] as const) {
    it(`finds the posterior mode in the constrained space [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const guide = infer.autoguide.AutoDelta(mapModel);
        // A point-mass guide has no randomness: the loss is −log p(x, θ), and
        // plain gradient descent converges linearly. In u = log λ the
        // curvature at the mode is 1 + n = 21, in loc it is 1 + m = 11: with
        // η = 0.03 the errors shrink by |1 − 0.63| and |1 − 0.33| per step, so
        // 600 steps reach the floating point floor.
        const svi = new infer.SVI(mapModel, guide, optim.SGD({ lr: 0.03 }), new infer.TraceELBO());
        const x = ops.tensor(xs);
        const y = ops.tensor(ys);
        for (let i = 0; i < 600; i++) svi.step(x, y);
        const tol = backend === "numpy" ? 1e-10 : 1e-5;
        const m = guide.median(x, y);
        assert.ok(Math.abs(ops.item(m.rate!) - rateMode) < tol * rateMode, `rate ${ops.item(m.rate!)} vs ${rateMode}`);
        assert.ok(Math.abs(ops.item(m.loc!) - locMode) < tol, `loc ${ops.item(m.loc!)} vs ${locMode}`);
        assert.equal(ops.item(pyro.getParam("AutoDelta.rate")), ops.item(m.rate!));
        const q = guide.quantiles([0.25, 0.75], x, y);
        assert.deepEqual(Array.from(ops.toFlat(q.rate!)), [ops.item(m.rate!), ops.item(m.rate!)]);
      }));
  }
});

/** `|a − b| ≤ tol · √(C_ii C_jj)` for every entry of two covariance matrices. */
function assertCovClose(got: number[][], want: number[][], tol: number): void {
  for (let i = 0; i < want.length; i++) {
    for (let j = 0; j < want.length; j++) {
      const bound = tol * Math.sqrt(want[i]![i]! * want[j]![j]!);
      assert.ok(Math.abs(got[i]![j]! - want[i]![j]!) < bound, `cov[${i}][${j}] = ${got[i]![j]}, expected ${want[i]![j]}`);
    }
  }
}

describe("AutoLaplaceApproximation", () => {
  it("trains to the MAP and returns the analytic inverse Hessian as covariance [numpy]", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const x = ops.fromFlat(X, [N, D]);
      const y = ops.fromFlat(Y, [N]);
      const guide = infer.autoguide.AutoLaplaceApproximation(logisticModel);
      // Deterministic loss U(loc) (all sites are real: no Jacobian), convex with
      // Hessian between ≈ 80 and ≈ 130 along the path: gradient descent with
      // η = 0.005 contracts every direction by ≤ 0.6 per step.
      const svi = new infer.SVI(logisticModel, guide, optim.SGD({ lr: 0.005 }), new infer.TraceELBO());
      for (let i = 0; i < 400; i++) svi.step(x, y);
      const loc = Array.from(ops.toFlat(pyro.getParam("AutoLaplaceApproximation.loc")));
      loc.forEach((v, i) => assert.ok(Math.abs(v - reference.mode[i]!) < 1e-9, `loc ${loc} vs Newton ${reference.mode}`));
      const gaussian = guide.laplaceApproximation(x, y);
      const post = gaussian.getPosterior(x, y) as ReturnType<typeof dist.MultivariateNormal>;
      // Central differences with h ≈ 6e-6: truncation h²|U''''|/6 ≈ 1e-9, rounding
      // ε|∇U|/h ≈ 1e-16·1e3/6e-6 ≈ 2e-8 on entries ≈ 100 — relative 1e-6 is ample.
      assertCovClose(ops.toArray(post.covarianceMatrix) as number[][], reference.cov, 1e-6);
      const median = gaussian.median(x, y);
      assert.deepEqual(median.w!.shape, [D]);
      Array.from(ops.toFlat(median.w!)).forEach((v, i) => assert.ok(Math.abs(v - reference.mode[i]!) < 1e-9));
      // Marginal quantiles: mode ± Φ⁻¹(q)·sd with Φ⁻¹(0.975) = 1.959963984540054.
      const q = gaussian.quantiles([0.025, 0.975], x, y);
      const b = Array.from(ops.toFlat(q.b!));
      const z = 1.959963984540054;
      assert.ok(Math.abs(b[0]! - (reference.mode[3]! - z * reference.sd[3]!)) < 1e-7);
      assert.ok(Math.abs(b[1]! - (reference.mode[3]! + z * reference.sd[3]!)) < 1e-7);
      // It is a usable guide (fixed: it adds no params).
      const before = pyro.getParamStore().names().length;
      const tr = handlers.trace(gaussian).getTrace(x, y);
      assert.deepEqual(tr.nodes.get("w")!.value!.shape, [D]);
      assert.equal(pyro.getParamStore().names().length, before);
      assert.equal(P, 4);
    }));

  it("computes the inverse Hessian at the current point in float32 [pyro]", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const x = ops.fromFlat(X, [N, D]);
      const y = ops.fromFlat(Y, [N]);
      const guide = infer.autoguide.AutoLaplaceApproximation(logisticModel);
      handlers.trace(guide).getTrace(x, y);
      pyro.getParamStore().set("AutoLaplaceApproximation.loc", reference.mode);
      const post = guide.laplaceApproximation(x, y).getPosterior(x, y) as ReturnType<typeof dist.MultivariateNormal>;
      // float32 gradient: rounding ≈ 6e-8 · Σ|terms| ≈ 6e-8 · 500 ≈ 3e-5 over
      // h ≈ 5e-3 gives ≈ 6e-3 on Hessian entries ≈ 100 (relative 6e-5);
      // truncation h²|U''''|/6 ≈ 2.5e-4 — relative 2e-3 covers both with margin.
      assertCovClose(ops.toArray(post.covarianceMatrix) as number[][], reference.cov, 2e-3);
    }));

  it("refuses a Hessian that is not positive definite", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      // log p(x) = −x²/2 + x² = x²/2: U'' = −1 at the stationary point x = 0.
      const saddle = pyro.model(function* () {
        const v = yield* pyro.sample("v", dist.Normal(0, 1));
        yield* pyro.factor("bump", ops.square(v));
      });
      const guide = infer.autoguide.AutoLaplaceApproximation(saddle, { initLocFn: infer.autoguide.initToFeasible });
      assert.throws(() => guide.laplaceApproximation(), LaplaceHessianError);
    }));
});
