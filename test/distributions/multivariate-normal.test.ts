/**
 * MultivariateNormal and LowRankMultivariateNormal: logProb against a float64
 * JS reference (Gauss–Jordan inverse and log-determinant), the three MVN
 * parameterisations agreeing, batch broadcasting, derived matrices, entropy,
 * sample moments and validation.
 *
 * Tolerances: Cholesky and triangular solves are backward stable, so the
 * computed Mahalanobis term and log-determinant err by at most
 * ~c·n·ε·κ(Σ) relative (Higham, Accuracy and Stability, Thms 8.5 and 10.3),
 * with κ bounded by ‖Σ‖_F‖Σ⁻¹‖_F; we allow 64·n·κ·ε·(1 + M) with M the sum of
 * the magnitudes of the density's terms. Moments: 4 standard errors — the
 * sample mean of x_i has SE √(Σ_ii/N), the sample covariance of (x_i, x_j)
 * has SE √((Σ_ii Σ_jj + Σ_ij²)/N) for a Gaussian.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DistributionArgumentError } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertNear, assertThrowsWith, backends, flat } from "./helpers.js";
import { conditionBound, inverse, logAbsDet, matMul, mvnLogDensity, transpose, type Matrix } from "./matrix-helpers.js";

const COV: Matrix = [[2, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 1.5]];
const LOC = [0.1, -0.2, 0.3];
const XS = [[0.5, 0.4, -1], [1, 2, 3], [-2, 0, 0.7]];
const W: Matrix = [[1, 0.2], [0.5, -0.3], [0, 0.7]];
const D = [1, 0.5, 2];
const lowRankCov = (w: Matrix, d: readonly number[]): Matrix =>
  matMul(w, transpose(w)).map((row, i) => row.map((v, j) => v + (i === j ? d[i]! : 0)));

/** The float64 Cholesky factor (reference only). */
function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l: Matrix = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
    }
  }
  return l;
}

for (const be of backends) {
  describe(`MultivariateNormal on ${be.name}`, () => {
    const { dist, ops, eps } = be;
    const tolFor = (cov: Matrix, m: number) => 64 * cov.length * conditionBound(cov) * eps * (1 + m);

    it("logProb matches the reference for scaleTril, covarianceMatrix and precisionMatrix", () => {
      const ds = [
        dist.MultivariateNormal(LOC, COV),
        dist.MultivariateNormal(LOC, { covarianceMatrix: COV }),
        dist.MultivariateNormal(LOC, { scaleTril: cholesky(COV) }),
        dist.MultivariateNormal(LOC, { precisionMatrix: inverse(COV) }),
      ];
      for (const d of ds) {
        assert.deepEqual([...d.batchShape], []);
        assert.deepEqual([...d.eventShape], [3]);
        const lp = flat(ops, d.logProb(XS));
        XS.forEach((x, i) => {
          const [want, m] = mvnLogDensity(x, LOC, COV);
          assertNear(lp[i]!, want, tolFor(COV, m), `logProb(${x})`);
        });
      }
    });

    it("covarianceMatrix, precisionMatrix, scaleTril, variance and entropy", () => {
      const d = dist.MultivariateNormal(LOC, { precisionMatrix: inverse(COV) });
      const tol = 64 * 3 * conditionBound(COV) * eps * 3;
      flat(ops, d.covarianceMatrix).forEach((v, i) => assertNear(v, COV.flat()[i]!, tol, "covariance"));
      flat(ops, d.precisionMatrix).forEach((v, i) => assertNear(v, inverse(COV).flat()[i]!, tol, "precision"));
      flat(ops, d.scaleTril).forEach((v, i) => assertNear(v, cholesky(COV).flat()[i]!, tol, "scaleTril"));
      flat(ops, d.variance).forEach((v, i) => assertNear(v, COV[i]![i]!, tol, "variance"));
      const h = 0.5 * 3 * (1 + Math.log(2 * Math.PI)) + 0.5 * logAbsDet(COV);
      assertNear(ops.item(d.entropy()), h, tol, "entropy");
    });

    it("batch dims of loc and the matrix broadcast; expand", () => {
      const locs = [[0, 0, 0], [1, -1, 0.5]];
      const covs = [COV, lowRankCov(W, D)];
      const d = dist.MultivariateNormal(ops.reshape(ops.tensor(locs), [2, 1, 3]), { covarianceMatrix: covs });
      assert.deepEqual([...d.batchShape], [2, 2]);
      assert.deepEqual([...d.scaleTril.shape], [2, 2, 3, 3]);
      const lp = d.logProb(ops.reshape(ops.tensor(XS), [3, 1, 1, 3]));
      assert.deepEqual([...lp.shape], [3, 2, 2]);
      const got = flat(ops, lp);
      XS.forEach((x, s) => locs.forEach((loc, a) => covs.forEach((cov, b) => {
        const [want, m] = mvnLogDensity(x, loc, cov);
        assertNear(got[s * 4 + a * 2 + b]!, want, tolFor(cov, m), `logProb[${s}, ${a}, ${b}]`);
      })));
      const e = dist.MultivariateNormal(LOC, COV).expand([4, 2]);
      assert.deepEqual([...e.batchShape], [4, 2]);
      assert.deepEqual([...e.sample(PRNGKey(0), [5]).shape], [5, 4, 2, 3]);
    });

    it("sample mean and covariance within 4 standard errors", () => {
      const n = 20000;
      const d = dist.MultivariateNormal(LOC, { scaleTril: cholesky(COV) });
      assert.equal(d.hasRsample, true);
      const xs = flat(ops, d.sample(PRNGKey(11), [n]));
      const col = (j: number) => xs.filter((_, i) => i % 3 === j);
      const means = [0, 1, 2].map((j) => col(j).reduce((a, b) => a + b, 0) / n);
      means.forEach((m, j) => assertNear(m, LOC[j]!, 4 * Math.sqrt(COV[j]![j]! / n), `mean ${j}`));
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j <= i; j++) {
          const ci = col(i);
          const cj = col(j);
          const c = ci.reduce((s, v, k) => s + (v - means[i]!) * (cj[k]! - means[j]!), 0) / (n - 1);
          const se = Math.sqrt((COV[i]![i]! * COV[j]![j]! + COV[i]![j]! ** 2) / n);
          assertNear(c, COV[i]![j]!, 4 * se, `cov ${i}${j}`);
        }
      }
    });

    it("validation: bad matrices and mismatched shapes throw naming the argument", () => {
      assertThrowsWith(() => dist.MultivariateNormal([0, 0], [[1, 2], [2, 1]]), DistributionArgumentError,
        "MultivariateNormal: parameter covarianceMatrix must be positiveDefinite");
      assertThrowsWith(() => dist.MultivariateNormal([0, 0], { scaleTril: [[1, 1], [0, 1]] }), DistributionArgumentError,
        "parameter scaleTril must be lowerCholesky");
      assertThrowsWith(() => dist.MultivariateNormal([0, 0], { precisionMatrix: [[1, 0], [0.5, 1]] }), DistributionArgumentError,
        "parameter precisionMatrix must be positiveDefinite");
      assertThrowsWith(() => dist.MultivariateNormal([0, 0, 0], COV.slice(0, 2).map((r) => r.slice(0, 2))),
        DistributionArgumentError, "does not match loc");
      assertThrowsWith(() => dist.MultivariateNormal([0, 0], { scaleTril: [[1, 0], [0, 1]], covarianceMatrix: [[1, 0], [0, 1]] } as never),
        DistributionArgumentError, "exactly one of scaleTril, covarianceMatrix or precisionMatrix");
    });
  });

  describe(`LowRankMultivariateNormal on ${be.name}`, () => {
    const { dist, ops, eps } = be;
    const cov = lowRankCov(W, D);
    const tol = (m: number) => 64 * 3 * conditionBound(cov) * eps * (1 + m);

    it("logProb (Woodbury) matches the dense reference; derived matrices; entropy", () => {
      const d = dist.LowRankMultivariateNormal(LOC, W, D);
      const lp = flat(ops, d.logProb(XS));
      XS.forEach((x, i) => {
        const [want, m] = mvnLogDensity(x, LOC, cov);
        assertNear(lp[i]!, want, tol(m), `logProb(${x})`);
      });
      flat(ops, d.covarianceMatrix).forEach((v, i) => assertNear(v, cov.flat()[i]!, tol(3), "covariance"));
      flat(ops, d.precisionMatrix).forEach((v, i) => assertNear(v, inverse(cov).flat()[i]!, tol(3), "precision"));
      flat(ops, d.scaleTril).forEach((v, i) => assertNear(v, cholesky(cov).flat()[i]!, tol(3), "scaleTril"));
      flat(ops, d.variance).forEach((v, i) => assertNear(v, cov[i]![i]!, tol(3), "variance"));
      assertNear(ops.item(d.entropy()), 1.5 * (1 + Math.log(2 * Math.PI)) + 0.5 * logAbsDet(cov), tol(5), "entropy");
    });

    it("batch broadcasting of loc, covFactor and covDiag", () => {
      const d = dist.LowRankMultivariateNormal([[0, 0, 0], [1, 1, 1]], W, [[1, 1, 1], [2, 0.5, 1], [1, 3, 1]].map((r) => [r]));
      assert.deepEqual([...d.batchShape], [3, 2]);
      assert.deepEqual([...d.logProb(XS[0]!).shape], [3, 2]);
      assert.deepEqual([...d.rsample(PRNGKey(2), [4]).shape], [4, 3, 2, 3]);
      assert.deepEqual([...d.expand([5, 3, 2]).batchShape], [5, 3, 2]);
    });

    it("sample covariance within 4 standard errors of W Wᵀ + diag(D)", () => {
      const n = 20000;
      const xs = flat(ops, dist.LowRankMultivariateNormal(LOC, W, D).rsample(PRNGKey(5), [n]));
      const col = (j: number) => xs.filter((_, i) => i % 3 === j);
      const means = [0, 1, 2].map((j) => col(j).reduce((a, b) => a + b, 0) / n);
      means.forEach((m, j) => assertNear(m, LOC[j]!, 4 * Math.sqrt(cov[j]![j]! / n), `mean ${j}`));
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j <= i; j++) {
          const ci = col(i);
          const cj = col(j);
          const c = ci.reduce((s, v, k) => s + (v - means[i]!) * (cj[k]! - means[j]!), 0) / (n - 1);
          assertNear(c, cov[i]![j]!, 4 * Math.sqrt((cov[i]![i]! * cov[j]![j]! + cov[i]![j]! ** 2) / n), `cov ${i}${j}`);
        }
      }
    });

    it("validation", () => {
      assertThrowsWith(() => dist.LowRankMultivariateNormal(LOC, W, [1, 0, 1]), DistributionArgumentError,
        "LowRankMultivariateNormal: parameter covDiag must be independent(positive, 1)");
      assertThrowsWith(() => dist.LowRankMultivariateNormal([0, 0], W, D), DistributionArgumentError, "to match loc");
    });
  });
}
