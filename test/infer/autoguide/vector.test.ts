import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend } from "../../../src/index.js";
import type { Distribution } from "../../../src/distributions/index.js";
import { inverse } from "./logistic.js";

// The posterior is a correlated 3-D Gaussian N(μ, Σ) with Σ = diag(s)(wwᵀ + I)diag(s):
// exactly of the rank-1 form of AutoLowRankMultivariateNormal (identifiable up to w → −w).
const s = [1, 0.5, 0.8];
const w = [1, 0.8, -0.5];
const mu = [1, -2, 0.5];
const sigma = s.map((si, i) => s.map((sj, j) => si * sj * (w[i]! * w[j]! + (i === j ? 1 : 0))));
const precision = inverse(sigma);

const gaussian = pyro.model(function* () {
  yield* pyro.sample("z", dist.MultivariateNormal(mu, { covarianceMatrix: sigma }));
});

/** Mean and covariance entries [μ0, μ1, μ2, Σ00, Σ11, Σ22, Σ01, Σ02, Σ12] of a posterior. */
function moments(q: Distribution, diagonal: boolean): number[] {
  const m = Array.from(ops.toFlat(q.mean));
  if (diagonal) {
    const v = Array.from(ops.toFlat(q.variance));
    return [...m, v[0]!, v[1]!, v[2]!, 0, 0, 0];
  }
  const c = Array.from(ops.toFlat((q as ReturnType<typeof dist.MultivariateNormal>).covarianceMatrix));
  return [...m, c[0]!, c[4]!, c[8]!, c[1]!, c[2]!, c[5]!];
}

/**
 * Adam to reach the optimum, then plain SGD (η = 0.02) whose iterates'
 * posterior moments are averaged over T = 5000 steps. Standard errors come
 * from 10 batch means of 500 steps, long against the slowest autocorrelation
 * time 1/(η λ_min(Σ⁻¹)) ≈ 1/(0.02 · 0.47) ≈ 110 steps. Tolerance: 4 standard
 * errors plus η(1 + |target|) for SGD's O(η) stationary bias on a
 * non-quadratic objective.
 */
function fitAndCheck(guideName: "AutoDiagonalNormal" | "AutoMultivariateNormal" | "AutoLowRankMultivariateNormal", target: number[]): void {
  pyroBackend("numpy", () => {
    pyro.clearParamStore();
    const guide =
      guideName === "AutoLowRankMultivariateNormal"
        ? infer.autoguide.AutoLowRankMultivariateNormal(gaussian, { rank: 1 })
        : infer.autoguide[guideName](gaussian);
    const adam = new infer.SVI(gaussian, guide, optim.Adam({ lr: 0.02 }), new infer.TraceELBO());
    for (let i = 0; i < 1500; i++) adam.step();
    const eta = 0.02;
    const sgd = new infer.SVI(gaussian, guide, optim.SGD({ lr: eta }), new infer.TraceELBO());
    const T = 5000;
    const B = 10;
    const batches = Array.from({ length: B }, () => new Array<number>(9).fill(0));
    for (let i = 0; i < T; i++) {
      sgd.step();
      moments(guide.getPosterior(), guideName === "AutoDiagonalNormal").forEach((v, k) => {
        batches[Math.floor(i / (T / B))]![k]! += v / (T / B);
      });
    }
    const names = ["μ0", "μ1", "μ2", "Σ00", "Σ11", "Σ22", "Σ01", "Σ02", "Σ12"];
    target.forEach((t, k) => {
      const avg = batches.reduce((a, r) => a + r[k]!, 0) / B;
      const se = Math.sqrt(batches.reduce((a, r) => a + (r[k]! - avg) ** 2, 0) / (B - 1) / B);
      const tol = 4 * se + eta * (1 + Math.abs(t));
      assert.ok(Math.abs(avg - t) < tol, `${guideName} ${names[k]}: ${avg}, expected ${t} ± ${tol}`);
    });
  });
}

describe("vector autoguides on a correlated Gaussian posterior", () => {
  const full = [...mu, sigma[0]![0]!, sigma[1]![1]!, sigma[2]![2]!, sigma[0]![1]!, sigma[0]![2]!, sigma[1]![2]!];

  it("AutoDiagonalNormal recovers the mean and the mean-field variances 1/(Σ⁻¹)_jj", () =>
    fitAndCheck("AutoDiagonalNormal", [...mu, 1 / precision[0]![0]!, 1 / precision[1]![1]!, 1 / precision[2]![2]!, 0, 0, 0]));
  it("AutoMultivariateNormal recovers the mean and the full covariance (correlations included)", () =>
    fitAndCheck("AutoMultivariateNormal", full));
  it("AutoLowRankMultivariateNormal (rank 1) recovers the mean and the covariance", () =>
    fitAndCheck("AutoLowRankMultivariateNormal", full));

  for (const backend of ["numpy", "pyro"] as const) {
    it(`pack several sites of several shapes and unpack them through their supports [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const model = pyro.model(function* () {
          yield* pyro.sample("a", dist.Normal(0, 1));
          yield* pyro.sample("p", dist.Dirichlet([1, 1, 1]));
          yield* pyro.plate("g", 2, function* () {
            yield* pyro.sample("r", dist.Gamma(2, 2));
          });
        });
        for (const make of [
          infer.autoguide.AutoDiagonalNormal,
          infer.autoguide.AutoMultivariateNormal,
          infer.autoguide.AutoLowRankMultivariateNormal,
          infer.autoguide.AutoLaplaceApproximation,
        ]) {
          const guide = make(model);
          const tr = handlers.trace(guide).getTrace();
          // latentDim = 1 + 2 (simplex of 3) + 2 (plate of 2).
          assert.deepEqual(guide.getPosterior().eventShape, [5]);
          assert.deepEqual(tr.nodes.get("p")!.value!.shape, [3]);
          assert.deepEqual(tr.nodes.get("r")!.value!.shape, [2]);
          assert.deepEqual(tr.nodes.get("r")!.condIndepStack.map((f) => f.name), ["g"]);
          const p = Array.from(ops.toFlat(tr.nodes.get("p")!.value!));
          assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5 && p.every((v) => v > 0));
          assert.ok(Array.from(ops.toFlat(tr.nodes.get("r")!.value!)).every((v) => v > 0));
          const med = guide.median();
          assert.deepEqual(med.r!.shape, [2]);
          assert.deepEqual(guide.quantiles([0.1, 0.9]).p!.shape, [2, 3]);
          const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
          assert.ok(Number.isFinite(svi.step()));
        }
      }));
  }
});
