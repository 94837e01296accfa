import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { importanceSamplingMean, logisticModel, N, D, P, reference, X, Y } from "./logistic.js";

// Normal–Normal: loc ~ N(0, 1), x_i ~ N(loc, 1). Ten fixed observations (as test/infer/svi.test.ts).
const xs = [1.83, 0.41, 2.96, 1.27, 0.88, 2.15, 1.62, -0.34, 2.48, 1.09];
const precision = 1 + xs.length;
const postMean = xs.reduce((a, b) => a + b, 0) / precision;
const postSd = 1 / Math.sqrt(precision);

const conjugate = pyro.model(function* (data: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
  yield* pyro.plate("data", xs.length, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
  });
});

/**
 * AutoNormal's guide for `loc` is Normal(m, s) (an auxiliary site, then a
 * Delta through the identity), the same family and gradient as the
 * hand-written guide of svi.test.ts, so the same argument gives the
 * tolerance: after Adam reaches the optimum, plain SGD with rate η has
 * stationary variance η/2 in m (autocorrelation time σ²/η) and η/2 in
 * u = log s (time 1/(2η)); the mean of T iterates has variance ≈ Var·2τ/T.
 * Four standard errors, plus for u an O(η) stationary bias.
 */
function checkConjugate(backend: "numpy" | "pyro", adamSteps: number, T: number): void {
  pyroBackend(backend, () => {
    pyro.clearParamStore();
    const data = ops.tensor(xs);
    const guide = infer.autoguide.AutoNormal(conjugate);
    const elbo = new infer.TraceELBO();
    const adam = new infer.SVI(conjugate, guide, optim.Adam({ lr: 0.05 }), elbo);
    for (let i = 0; i < adamSteps; i++) adam.step(data);
    const eta = 5e-3;
    const sgd = new infer.SVI(conjugate, guide, optim.SGD({ lr: eta }), elbo);
    let sumM = 0;
    let sumU = 0;
    for (let i = 0; i < T; i++) {
      sgd.step(data);
      sumM += ops.item(pyro.getParam("AutoNormal.locs.loc"));
      sumU += Math.log(ops.item(pyro.getParam("AutoNormal.scales.loc")));
    }
    const m = sumM / T;
    const s = Math.exp(sumU / T);
    const seM = Math.sqrt(((eta / 2) * 2 * (postSd ** 2 / eta)) / T);
    const seU = Math.sqrt(((eta / 2) * 2 * (1 / (2 * eta))) / T);
    assert.ok(Math.abs(m - postMean) < 4 * seM, `m = ${m}, posterior mean ${postMean}, tolerance ${4 * seM}`);
    assert.ok(Math.abs(Math.log(s / postSd)) < 4 * seU + eta, `s = ${s}, posterior sd ${postSd}`);
    // The median is the transformed loc (identity here).
    assert.equal(ops.item(guide.median(data).loc!), ops.item(pyro.getParam("AutoNormal.locs.loc")));
  });
}

describe("AutoNormal", () => {
  it("recovers the conjugate Normal–Normal posterior mean and sd [numpy]", () => checkConjugate("numpy", 1000, 3000));
  it("recovers the conjugate Normal–Normal posterior mean and sd [pyro, shorter run]", () => checkConjugate("pyro", 500, 1000));

  it("recovers the posterior means of a Bayesian logistic regression [numpy]", () =>
    pyroBackend("numpy", () => {
      // Reference: the posterior mean by importance sampling from the Laplace
      // approximation (20000 draws; its standard error `seIS` is computed).
      // A mean-field Gaussian fit to a near-Gaussian posterior has its mean
      // within about |posterior mean − mode| of the posterior mean: to second
      // order both the VI mean and the posterior mean are the mode minus
      // ½H⁻¹∇³U:S, with S the guide's covariance (diag 1/H_jj) resp. the
      // posterior's (H⁻¹); the features are nearly uncorrelated, so the
      // difference is a fraction of the gap itself. SVI noise: SGD (η = 1e-3)
      // iterates averaged over T = 3000 steps; their standard error `seSVI`
      // comes from 10 batch means of 300 iterates each — long against the
      // iterates' autocorrelation time 1/(η·H_jj) ≈ 10 steps (H_jj ≈ 100).
      const { mean, se: seIS } = importanceSamplingMean();
      pyro.clearParamStore();
      const x = ops.fromFlat(X, [N, D]);
      const y = ops.fromFlat(Y, [N]);
      const guide = infer.autoguide.AutoNormal(logisticModel);
      const adam = new infer.SVI(logisticModel, guide, optim.Adam({ lr: 0.02 }), new infer.TraceELBO());
      for (let i = 0; i < 1000; i++) adam.step(x, y);
      const sgd = new infer.SVI(logisticModel, guide, optim.SGD({ lr: 1e-3 }), new infer.TraceELBO());
      const T = 3000;
      const B = 10;
      const batches = Array.from({ length: B }, () => new Array<number>(P).fill(0));
      for (let i = 0; i < T; i++) {
        sgd.step(x, y);
        const w = ops.toFlat(pyro.getParam("AutoNormal.locs.w"));
        const v = [w[0]!, w[1]!, w[2]!, ops.item(pyro.getParam("AutoNormal.locs.b"))];
        v.forEach((value, k) => (batches[Math.floor(i / (T / B))]![k]! += value / (T / B)));
      }
      for (let k = 0; k < P; k++) {
        const avg = batches.reduce((a, r) => a + r[k]!, 0) / B;
        const seSVI = Math.sqrt(batches.reduce((a, r) => a + (r[k]! - avg) ** 2, 0) / (B - 1) / B);
        const gap = Math.abs(mean[k]! - reference.mode[k]!);
        const tol = gap + 4 * Math.hypot(seSVI, seIS[k]!);
        assert.ok(Math.abs(avg - mean[k]!) < tol, `θ_${k}: AutoNormal ${avg}, posterior mean ${mean[k]}, tolerance ${tol}`);
      }
    }));
});

// A model with constrained sites and a plate, for medians and quantiles.
const shaped = pyro.model(function* () {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 2));
  const s = yield* pyro.sample("s", dist.HalfNormal(1));
  yield* pyro.sample("w", dist.Dirichlet([1, 2, 3]));
  yield* pyro.plate("g", 2, function* () {
    yield* pyro.sample("z", dist.Normal(loc, s));
  });
});

describe("AutoNormal median and quantiles", () => {
  for (const backend of ["numpy", "pyro"] as const) {
    it(`are T(loc) and T(loc + Φ⁻¹(q)·scale) [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const guide = infer.autoguide.AutoNormal(shaped);
        handlers.trace(guide).getTrace();
        const store = pyro.getParamStore();
        const positive = dist.constraints.positive;
        const set = (site: string, loc: number | number[], scale: number | number[]) => {
          store.set(`AutoNormal.locs.${site}`, loc, { eventDim: site === "w" ? 1 : 0 });
          store.set(`AutoNormal.scales.${site}`, scale, { constraint: positive, eventDim: site === "w" ? 1 : 0 });
        };
        set("loc", 0.3, 0.5);
        set("s", -0.4, 0.2);
        set("w", [0.1, -0.2], [0.3, 0.4]);
        set("z", [1, -1], [0.1, 0.2]);
        // float64: a few rounding errors; float32: a few ulps (≈ 1e-7 each) of O(1) values.
        const tol = backend === "numpy" ? 1e-12 : 2e-6;
        const close = (got: Tensor, want: number[]) => {
          const g = Array.from(ops.toFlat(got));
          assert.equal(g.length, want.length);
          g.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < tol * (1 + Math.abs(want[i]!)), `${g} vs ${want}`));
        };
        const median = guide.median();
        close(median.loc!, [0.3]);
        close(median.s!, [Math.exp(-0.4)]);
        close(median.w!, Array.from(ops.toFlat(dist.bijectTo(dist.constraints.simplex).forward([0.1, -0.2]))));
        close(median.z!, [1, -1]);
        assert.deepEqual(median.z!.shape, [2]);

        const qs = [0.1, 0.5, 0.9];
        // Φ⁻¹(0.1) = −Φ⁻¹(0.9) = −1.2815515655446004 (standard tables).
        const zq = [-1.2815515655446004, 0, 1.2815515655446004];
        const q = guide.quantiles(qs);
        close(q.loc!, zq.map((z) => 0.3 + 0.5 * z));
        close(q.s!, zq.map((z) => Math.exp(-0.4 + 0.2 * z)));
        close(q.z!, zq.flatMap((z) => [1 + 0.1 * z, -1 + 0.2 * z]));
        assert.deepEqual(q.z!.shape, [3, 2]);
        assert.deepEqual(q.w!.shape, [3, 3]);
        close(q.w!, zq.flatMap((z) => Array.from(ops.toFlat(dist.bijectTo(dist.constraints.simplex).forward([0.1 + 0.3 * z, -0.2 + 0.4 * z])))));
      }));
  }
});
