import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { PredictiveError } from "../../src/infer/predictive.js";

// loc ~ N(1, 2²); mu = 2·loc (deterministic); obs_i ~ N(loc, 1), i < 3.
const model = pyro.model(function* (data: Tensor | undefined) {
  const loc = yield* pyro.sample("loc", dist.Normal(1, 2));
  yield* pyro.deterministic("mu", ops.mul(2, loc));
  yield* pyro.plate("data", 3, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
  });
  return ops.add(loc, 10);
});

const flat = (t: Tensor | undefined): number[] => Array.from(ops.toFlat(t!));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const column = (t: Tensor, j: number, k: number) => flat(t).filter((_, i) => i % k === j);

/**
 * Prior predictive moments: loc has mean 1 and variance 4; each obs has mean 1
 * and variance 4 + 1 = 5; two obs have covariance Var(loc) = 4. With n = 4000
 * draws the standard error of a mean is σ/√n, of a variance σ²√(2/n), of a
 * covariance √((σ_a²σ_b² + c²)/n) (Gaussian fourth moments); tolerance 4 SE.
 */
function checkPriorMoments(samples: Record<string, Tensor | undefined>, n: number): void {
  const loc = flat(samples.loc);
  const o0 = column(samples.obs!, 0, 3);
  const o1 = column(samples.obs!, 1, 3);
  assert.ok(Math.abs(mean(loc) - 1) < 4 * Math.sqrt(4 / n), `mean loc ${mean(loc)}`);
  const m0 = mean(o0);
  const m1 = mean(o1);
  const v0 = mean(o0.map((v) => (v - m0) ** 2));
  const c01 = mean(o0.map((v, i) => (v - m0) * (o1[i]! - m1)));
  assert.ok(Math.abs(m0 - 1) < 4 * Math.sqrt(5 / n), `mean obs ${m0}`);
  assert.ok(Math.abs(v0 - 5) < 4 * 5 * Math.sqrt(2 / n), `var obs ${v0}`);
  assert.ok(Math.abs(c01 - 4) < 4 * Math.sqrt((25 + 16) / n), `cov obs ${c01}`);
  flat(samples.mu).forEach((v, i) => assert.ok(Math.abs(v - 2 * loc[i]!) < 1e-5 * (1 + Math.abs(v))));
}

describe("Predictive", () => {
  it("draws from the prior with the prior's moments, sequentially and in parallel [numpy]", () =>
    pyroBackend("numpy", () => {
      const n = 4000;
      for (const parallel of [false, true]) {
        const samples = handlers.seed(3, () => new infer.Predictive(model, { numSamples: n, parallel }).call(undefined));
        assert.deepEqual(Object.keys(samples).sort(), ["loc", "mu", "obs"]);
        assert.deepEqual(samples.obs!.shape, [n, 3]);
        assert.deepEqual(samples.loc!.shape, [n]);
        checkPriorMoments(samples, n);
      }
    }));

  for (const backend of ["numpy", "pyro"] as const) {
    it(`replays given posterior samples, with returnSites and _RETURN [${backend}]`, () =>
      pyroBackend(backend, () => {
        const posteriorSamples = { loc: ops.tensor([0.5, 1.5, -1, 2]) };
        for (const parallel of [false, true]) {
          const pred = new infer.Predictive(model, { posteriorSamples, parallel });
          assert.equal(pred.numSamples, 4);
          const out = pred.call(undefined);
          assert.deepEqual(Object.keys(out).sort(), ["mu", "obs"]);
          assert.deepEqual(flat(out.mu), [1, 3, -2, 4]);
          assert.deepEqual(out.obs!.shape, [4, 3]);
          const some = new infer.Predictive(model, { posteriorSamples, returnSites: ["loc", "mu", "_RETURN"], parallel }).get(undefined);
          assert.deepEqual(flat(some.loc), [0.5, 1.5, -1, 2]);
          assert.deepEqual(flat(some._RETURN), [10.5, 11.5, 9, 12]);
          assert.deepEqual(some._RETURN!.shape, [4]);
          assert.equal(some.obs, undefined);
          // Observed data is returned as is (as Pyro): pass undefined to predict.
          const data = ops.tensor([7, 8, 9]);
          const observed = new infer.Predictive(model, { posteriorSamples, returnSites: ["obs"], parallel }).call(data);
          assert.deepEqual(flat(observed.obs), [7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9]);
        }
      }));

    it(`draws the latent sites from a guide [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const guide = infer.autoguide.AutoDelta(model);
        // Set up with data: "obs" is observed in the prototype, so the guide covers "loc" only.
        guide.median(ops.zeros([3]));
        pyro.getParamStore().set("AutoDelta.loc", 0.25);
        const out = new infer.Predictive(model, { guide, numSamples: 3 }).call(undefined);
        assert.deepEqual(Object.keys(out).sort(), ["loc", "mu", "obs"]);
        assert.deepEqual(flat(out.loc), [0.25, 0.25, 0.25]);
        assert.deepEqual(flat(out.mu), [0.5, 0.5, 0.5]);
        assert.deepEqual(out.obs!.shape, [3, 3]);
        // A vector guide vectorized in parallel: its packed latent unpacks under the outer plate.
        const diag = infer.autoguide.AutoDiagonalNormal(model);
        diag.median(ops.zeros([3]));
        const par = new infer.Predictive(model, { guide: diag, numSamples: 5, parallel: true }).call(undefined);
        assert.deepEqual(par.loc!.shape, [5]);
        assert.deepEqual(par.obs!.shape, [5, 3]);
        flat(par.mu).forEach((v, i) => assert.ok(Math.abs(v - 2 * flat(par.loc)[i]!) < 1e-5));
      }));
  }

  it("draws guide samples with the guide's moments in parallel [numpy]", () =>
    pyroBackend("numpy", () => {
      // z_j ~ Normal(j, 0.5) under AutoNormal with fixed params, observed sites predicted from them.
      const local = pyro.model(function* (data: Tensor | undefined) {
        const m = yield* pyro.sample("m", dist.Normal(0, 1));
        yield* pyro.plate("items", 4, function* () {
          const z = yield* pyro.sample("z", dist.Normal(m, 1));
          yield* pyro.sample("y", dist.Normal(z, 0.1), { obs: data });
        });
      });
      pyro.clearParamStore();
      const guide = infer.autoguide.AutoNormal(local);
      // Set the guide up with data, so that "y" is observed in its prototype (not a latent site of the guide).
      guide.median(ops.zeros([4]));
      const store = pyro.getParamStore();
      store.set("AutoNormal.locs.z", [0, 1, 2, 3], { eventDim: 0 });
      store.set("AutoNormal.scales.z", [0.5, 0.5, 0.5, 0.5], { constraint: dist.constraints.positive, eventDim: 0 });
      const n = 4000;
      const out = handlers.seed(5, () => new infer.Predictive(local, { guide, numSamples: n, parallel: true }).call(undefined));
      assert.deepEqual(out.z!.shape, [n, 4]);
      assert.deepEqual(out.y!.shape, [n, 4]);
      // Mean j ± 4·0.5/√n; sd 0.5 ± 4·0.5/√(2n); y − z has sd 0.1 ± 4·0.1/√(2n).
      for (let j = 0; j < 4; j++) {
        const z = column(out.z!, j, 4);
        const d = column(out.y!, j, 4).map((v, i) => v - z[i]!);
        const mz = mean(z);
        assert.ok(Math.abs(mz - j) < 4 * 0.5 / Math.sqrt(n), `mean z_${j} = ${mz}`);
        const sz = Math.sqrt(mean(z.map((v) => (v - mz) ** 2)));
        assert.ok(Math.abs(sz - 0.5) < 4 * 0.5 / Math.sqrt(2 * n), `sd z_${j} = ${sz}`);
        const sd = Math.sqrt(mean(d.map((v) => v * v)));
        assert.ok(Math.abs(sd - 0.1) < 4 * 0.1 / Math.sqrt(2 * n), `sd y − z = ${sd}`);
      }
    }));

  it("checks its options", () =>
    pyroBackend("numpy", () => {
      const posteriorSamples = { loc: ops.tensor([0.5, 1.5]) };
      assert.throws(() => new infer.Predictive(model, { posteriorSamples, numSamples: 3 }), PredictiveError);
      assert.throws(() => new infer.Predictive(model, {}), PredictiveError);
      assert.throws(
        () => new infer.Predictive(model, { posteriorSamples, guide: infer.autoguide.AutoNormal(model) }),
        PredictiveError,
      );
      assert.throws(
        // @ts-expect-error "nope" is not a site of the model
        () => new infer.Predictive(model, { numSamples: 2, returnSites: ["nope"] }).call(undefined),
        (e: unknown) => e instanceof PredictiveError && /'nope'/.test(e.message),
      );
      assert.throws(() => new infer.Predictive(model, { numSamples: 0 }), PredictiveError);
    }));
});
