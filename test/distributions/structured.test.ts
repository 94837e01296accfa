/**
 * The structured families: Multinomial, OneHotCategorical, MixtureSameFamily,
 * FoldedDistribution, ImproperUniform and LKJCholesky — logProb against
 * references computed here (JS float64, @stdlib gammaln), the LKJ density's
 * normalisation, and sample moments.
 *
 * Tolerances: logProb as `helpers.ts` (64·ε·(1 + M)). The LKJ normalisation
 * integral uses Gauss–Legendre quadrature in θ with `u = sin θ` (`x = atanh u`),
 * where the integrand is a polynomial in cos θ (η with 2(η - 1) whole), so
 * the 16-node rule is exact to ~1e-15; the float error of the 16³ terms is
 * at most ~1e3·ε·(1 + M) relative, M the largest |log integrand|. Moments:
 * 4 standard errors (`assertMoments`).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import gammaln from "@stdlib/math-base-special-gammaln";
import erf from "@stdlib/math-base-special-erf";
import { DistributionCapabilityError, DistributionValueError } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertFrequency, assertMoments, assertNear, assertThrowsWith, backends, flat } from "./helpers.js";
import { mvnLogDensity } from "./matrix-helpers.js";

const N = 20000;
const normalLogPdf = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, v) => a + Math.exp(v - m), 0));
};

/** Gauss–Legendre nodes and weights on [-1, 1] (Newton's method on P_n). */
function gaussLegendre(n: number): [number[], number[]] {
  const xs: number[] = [];
  const ws: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let [p0, p1] = [1, x];
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    xs.push(x);
    ws.push(2 / ((1 - x * x) * dp * dp));
  }
  return [xs, ws];
}

for (const be of backends) {
  describe(`structured families on ${be.name}`, () => {
    const { dist, ops, eps } = be;

    it("Multinomial: logProb, moments, counts sum to totalCount", () => {
      const probs = [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]];
      const x = [[2, 3, 5], [10, 0, 0]];
      const d = dist.Multinomial({ totalCount: 10, probs });
      assert.deepEqual([...d.batchShape], [2]);
      assert.deepEqual([...d.eventShape], [3]);
      const lp = flat(ops, d.logProb(x));
      x.forEach((xs, b) => {
        const t = [gammaln(11), ...xs.map((k) => -gammaln(k + 1)), ...xs.map((k, j) => (k === 0 ? 0 : k * Math.log(probs[b]![j]!)))];
        const m = t.reduce((a, v) => a + Math.abs(v), 0);
        assertNear(lp[b]!, t.reduce((a, v) => a + v, 0), 64 * eps * (1 + m), `logProb[${b}]`);
      });
      const logits = dist.Multinomial({ totalCount: 10, logits: probs[0]!.map(Math.log) });
      assertNear(ops.item(logits.logProb(x[0]!)), lp[0]!, 64 * eps * 30, "logits");
      const draws = flat(ops, dist.Multinomial({ totalCount: 10, probs: probs[0]! }).sample(PRNGKey(3), [N]));
      for (let r = 0; r < N; r++) assert.equal(draws[3 * r]! + draws[3 * r + 1]! + draws[3 * r + 2]!, 10);
      probs[0]!.forEach((p, j) => {
        const col = draws.filter((_, i) => i % 3 === j);
        const v = 10 * p * (1 - p);
        // Binomial(10, p) marginal: μ4 = v (1 + 3 (n - 2) p (1 - p)).
        assertMoments(col, 10 * p, v, v * (1 + 3 * 8 * p * (1 - p)), `Multinomial component ${j}`);
      });
      assertThrowsWith(() => d.logProb([1, 2, 3]), DistributionValueError, "multinomial(10)");
    });

    it("OneHotCategorical: logProb, frequencies, enumerateSupport", () => {
      const probs = [0.2, 0.3, 0.5];
      const d = dist.OneHotCategorical(probs);
      const lp = flat(ops, d.logProb([[1, 0, 0], [0, 0, 1]]));
      assertNear(lp[0]!, Math.log(0.2), 64 * eps * 3, "log 0.2");
      assertNear(lp[1]!, Math.log(0.5), 64 * eps * 3, "log 0.5");
      const xs = flat(ops, d.sample(PRNGKey(4), [N]));
      probs.forEach((p, k) => assertFrequency(xs.filter((v, i) => i % 3 === k && v === 1).length, N, p, `P(k = ${k})`));
      const e = dist.OneHotCategorical({ logits: [[0, 0, 0], [1, 2, 3]] });
      assert.deepEqual([...e.enumerateSupport().shape], [3, 2, 3]);
      assert.deepEqual([...e.enumerateSupport(false).shape], [3, 1, 3]);
      assert.deepEqual(flat(ops, e.enumerateSupport(false)), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
      assertThrowsWith(() => d.logProb([1, 1, 0]), DistributionValueError, "oneHot");
    });

    it("MixtureSameFamily: logProb = logsumexp of weighted components (batched, scalar and vector events)", () => {
      const w = [[0.3, 0.7], [0.5, 0.5]];
      const locs = [[-1, 2], [0, 4]];
      const scales = [[0.5, 1], [2, 0.3]];
      const d = dist.MixtureSameFamily(dist.Categorical(w), dist.Normal(locs, scales));
      assert.deepEqual([...d.batchShape], [2]);
      const xs = [[0.3, 3.9], [-1, 0]];
      const lp = flat(ops, d.logProb(xs));
      xs.flat().forEach((x, i) => {
        const b = i % 2;
        const t = [0, 1].map((k) => Math.log(w[b]![k]!) + normalLogPdf(x, locs[b]![k]!, scales[b]![k]!));
        assertNear(lp[i]!, logSumExp(t), 64 * eps * (1 + t.reduce((a, v) => a + Math.abs(v), 0)), `logProb[${i}]`);
      });
      const cov = [[1, 0.3], [0.3, 2]];
      const m = dist.MixtureSameFamily(dist.Categorical([0.4, 0.6]),
        dist.MultivariateNormal([[0, 0], [3, -1]], { covarianceMatrix: cov }));
      assert.deepEqual([...m.eventShape], [2]);
      const y = [0.5, -0.2];
      const t = [[0, 0], [3, -1]].map((mu, k) => Math.log([0.4, 0.6][k]!) + mvnLogDensity(y, mu, cov)[0]);
      assertNear(ops.item(m.logProb(y)), logSumExp(t), 64 * eps * 20, "MVN mixture");
      assert.deepEqual([...m.sample(PRNGKey(1), [5]).shape], [5, 2]);
    });

    it("MixtureSameFamily: sample moments and cdf (law of total variance)", () => {
      const [w, mu, s] = [[0.3, 0.7], [-1, 2], [0.5, 1]];
      const d = dist.MixtureSameFamily(dist.Categorical(w), dist.Normal(mu, s));
      const mean = w[0]! * mu[0]! + w[1]! * mu[1]!;
      const v = w.reduce((a, wk, k) => a + wk * (s[k]! ** 2 + (mu[k]! - mean) ** 2), 0);
      const m4 = w.reduce((a, wk, k) => a + wk * ((mu[k]! - mean) ** 4 + 6 * (mu[k]! - mean) ** 2 * s[k]! ** 2 + 3 * s[k]! ** 4), 0);
      assertNear(ops.item(d.mean), mean, 16 * eps, "mean");
      assertNear(ops.item(d.variance), v, 64 * eps * 4, "variance");
      assertMoments(flat(ops, d.sample(PRNGKey(6), [N])), mean, v, m4, "Mixture draws");
      const cdf = w.reduce((a, wk, k) => a + wk * 0.5 * (1 + erf((0.5 - mu[k]!) / (s[k]! * Math.SQRT2))), 0);
      assertNear(ops.item(d.cdf(0.5)), cdf, 64 * eps, "cdf");
    });

    it("FoldedDistribution: logProb, cdf frequencies, rsample", () => {
      const [mu, s] = [1, 2];
      const d = dist.FoldedDistribution(dist.Normal(mu, s));
      assert.equal(d.hasRsample, true);
      const ys = [0, 0.5, 3];
      flat(ops, d.logProb(ys)).forEach((v, i) => {
        const t = [normalLogPdf(ys[i]!, mu, s), normalLogPdf(-ys[i]!, mu, s)];
        assertNear(v, logSumExp(t), 64 * eps * 10, `logProb(${ys[i]})`);
      });
      const draws = flat(ops, d.rsample(PRNGKey(8), [N]));
      assert.ok(draws.every((v) => v >= 0));
      for (const y of [0.5, 1.5, 4]) {
        const p = 0.5 * (erf((y - mu) / (s * Math.SQRT2)) - erf((-y - mu) / (s * Math.SQRT2)));
        assertFrequency(draws.filter((v) => v <= y).length, N, p, `P(|X| <= ${y})`);
        assertNear(ops.item(d.cdf(y)), p, 64 * eps, `cdf(${y})`);
      }
      assertThrowsWith(() => d.logProb(-1), DistributionValueError, "nonnegative");
    });

    it("ImproperUniform: logProb 0 with broadcast batch shape; no sampling; support checked", () => {
      const d = dist.ImproperUniform(dist.constraints.positive, [3], []);
      assert.deepEqual(flat(ops, d.logProb(ops.ones([2, 3]))), [0, 0, 0, 0, 0, 0]);
      assert.deepEqual([...d.logProb(ops.ones([2, 1])).shape], [2, 3]);
      assertThrowsWith(() => d.sample(PRNGKey(0)), DistributionCapabilityError, "ImproperUniform does not implement sample");
      assertThrowsWith(() => d.logProb([-1, 1, 1]), DistributionValueError, "positive");
      const v = dist.ImproperUniform(dist.constraints.simplex, [], [3]);
      assert.deepEqual([...v.logProb([[0.2, 0.3, 0.5]]).shape], [1]);
      assert.deepEqual([...d.expand([4, 3]).batchShape], [4, 3]);
    });

    it("LKJCholesky in 2-D: the density of the correlation r is (1 - r²)^(η-1) / B(½, η)", () => {
      for (const eta of [0.5, 1, 3.5]) {
        const d = dist.LKJCholesky(2, eta);
        const rs = [-0.9, -0.3, 0, 0.45, 0.99];
        const ls = rs.map((r) => [[1, 0], [r, Math.sqrt(1 - r * r)]]);
        const lp = flat(ops, d.logProb(ls));
        rs.forEach((r, i) => {
          const logB = gammaln(0.5) + gammaln(eta) - gammaln(eta + 0.5);
          const want = (eta - 1) * Math.log1p(-r * r) - logB;
          // The float32 input √(1 - r²) is rounded: its log moves by ε/(1 - r²) relative.
          assertNear(lp[i]!, want, 64 * eps * (1 + Math.abs(want) + Math.abs(eta - 1) / (1 - r * r)), `η=${eta} r=${r}`);
        });
      }
    });

    it("LKJCholesky in 3-D: exp(logProb) ∘ CorrCholeskyTransform integrates to 1", () => {
      const [nodes, weights] = gaussLegendre(16);
      const thetas = nodes.map((t) => (t * Math.PI) / 2);
      const t = dist.transforms.CorrCholeskyTransform();
      for (const eta of [1, 2.5]) {
        const xs: number[][] = [];
        const ws: number[] = [];
        for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) for (let c = 0; c < 16; c++) {
          const th = [thetas[a]!, thetas[b]!, thetas[c]!];
          xs.push(th.map((v) => Math.atanh(Math.sin(v))));
          // dθ weights (π/2)³ w_a w_b w_c, and dx/dθ = 1 / cos θ per coordinate.
          ws.push((Math.PI / 2) ** 3 * weights[a]! * weights[b]! * weights[c]! / th.reduce((p, v) => p * Math.cos(v), 1));
        }
        const x = ops.tensor(xs);
        const y = t.forward(x);
        const logIntegrand = flat(ops, ops.add(dist.LKJCholesky(3, eta).logProb(y), t.logAbsDetJacobian(x, y)));
        const total = logIntegrand.reduce((s, v, i) => s + Math.exp(v) * ws[i]!, 0);
        const m = Math.max(...logIntegrand.map(Math.abs).filter(Number.isFinite));
        assertNear(total, 1, 1e3 * eps * (1 + m), `∫ p dL (η = ${eta})`);
      }
    });

    it("LKJCholesky draws: corrCholesky support; correlations have mean 0 and variance 1/(2η + d - 1)", () => {
      const [d, eta] = [3, 2];
      const lkj = dist.LKJCholesky(d, eta);
      const l = lkj.sample(PRNGKey(12), [N]);
      assert.deepEqual([...l.shape], [N, 3, 3]);
      assert.ok(flat(ops, dist.constraints.corrCholesky.check(ops, l)).every((v) => v === 1));
      const c = flat(ops, ops.matmul(l, ops.transpose(l, [0, 2, 1])));
      // r = 2B - 1 with B ~ Beta(a, a), a = η - 1 + d/2: Var r = 1/(2a + 1), E r⁴ = 3/((2a + 1)(2a + 3)).
      const a = eta - 1 + d / 2;
      for (const [i, j] of [[1, 0], [2, 0], [2, 1]] as const) {
        const r = c.filter((_, k) => k % 9 === i * 3 + j);
        assertMoments(r, 0, 1 / (2 * a + 1), 3 / ((2 * a + 1) * (2 * a + 3)), `r_${i}${j}`);
      }
      assert.deepEqual([...dist.LKJCholesky(3, [1, 2]).expand([4, 2]).sample(PRNGKey(1)).shape], [4, 2, 3, 3]);
    });
  });
}
