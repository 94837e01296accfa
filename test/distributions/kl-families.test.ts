/**
 * The KL rules added for issue 3 — same-family pairs, the cross-family pairs
 * torch registers, and the Gaussian pairs (MultivariateNormal and
 * LowRankMultivariateNormal, all four combinations) — each against a Monte
 * Carlo estimate E_p[log p(x) - log q(x)] within 4 empirical standard errors
 * plus the float rounding of the log densities (1e3·ε, as `kl.test.ts`) and of
 * the float64 sum behind the mean (N·ε₆₄·mean|d|), KL(p, p)
 * = 0 for the same-family ones, and the pairs whose support is not covered
 * giving ∞.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Distribution } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertNear, backends, flat, moments } from "./helpers.js";

const N = 20000;

for (const be of backends) {
  describe(`klDivergence of the added families on ${be.name}`, () => {
    const { dist, ops, eps } = be;
    const cov = [[2, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 1.5]];
    const w = [[1, 0.2], [0.5, -0.3], [0, 0.7]];
    const mvn = () => dist.MultivariateNormal([0.1, -0.2, 0.3], cov);
    const lowRank = () => dist.LowRankMultivariateNormal([0, 0.5, -0.5], w, [1, 0.5, 2]);

    const same: [string, Distribution, Distribution][] = [
      ["HalfNormal", dist.HalfNormal([1, 2]), dist.HalfNormal([1.5, 0.7])],
      ["Uniform", dist.Uniform([0, 1], [1, 2]), dist.Uniform(-1, 3)],
      ["Binomial", dist.Binomial({ totalCount: 10, probs: [0.2, 0.7] }), dist.Binomial({ totalCount: 10, logits: [0.5, -1] })],
      ["Poisson", dist.Poisson([0.5, 4]), dist.Poisson([1, 3])],
      ["Geometric", dist.Geometric([0.3, 0.8]), dist.Geometric({ logits: [0, -1] })],
      ["OneHotCategorical", dist.OneHotCategorical([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]), dist.OneHotCategorical({ logits: [0, 1, 2] })],
      ["Cauchy", dist.Cauchy([0, 1], [1, 0.5]), dist.Cauchy([1, 1], [2, 1])],
      ["Laplace", dist.Laplace([0, 1], [1, 0.5]), dist.Laplace([1, -1], [2, 1])],
      ["Gumbel", dist.Gumbel([0, 1], [1, 0.5]), dist.Gumbel([1, -1], [2, 1])],
      ["Pareto", dist.Pareto([1, 2], [3, 5]), dist.Pareto([0.5, 2], [2, 4])],
      ["Chi2 (as Gamma)", dist.Chi2([3, 5]), dist.Chi2([4, 2])],
      ["MultivariateNormal ‖ MultivariateNormal", mvn(), dist.MultivariateNormal([0, 0, 1], { scaleTril: [[1, 0, 0], [0.3, 1.2, 0], [0, -0.2, 0.8]] })],
      ["MultivariateNormal ‖ LowRank", mvn(), lowRank()],
      ["LowRank ‖ MultivariateNormal", lowRank(), mvn()],
      ["LowRank ‖ LowRank", lowRank(), dist.LowRankMultivariateNormal([0.3, 0, 0], [[0.5], [1], [0.2]], [0.5, 1, 1])],
      ["batched MVN ‖ MVN", dist.MultivariateNormal([[0, 0], [1, 1]], [[1, 0.2], [0.2, 1]]),
        dist.MultivariateNormal([0, 1], { precisionMatrix: [[[2, 0], [0, 1]], [[1, 0.5], [0.5, 1]]] })],
    ];
    const cross: [string, Distribution, Distribution][] = [
      ["Beta ‖ Normal", dist.Beta(2, 3), dist.Normal(0.5, 1)],
      ["Exponential ‖ Normal", dist.Exponential(2), dist.Normal(1, 2)],
      ["Gamma ‖ Normal", dist.Gamma(3, 2), dist.Normal(1, 0.8)],
      ["Gumbel ‖ Normal", dist.Gumbel(1, 2), dist.Normal(0, 3)],
      ["Laplace ‖ Normal", dist.Laplace(1, 0.5), dist.Normal(0, 1.5)],
      ["Pareto ‖ Normal", dist.Pareto(1, 6), dist.Normal(1, 1)],
      ["Uniform ‖ Normal", dist.Uniform(-1, 2), dist.Normal(0, 1)],
      ["Beta ‖ Exponential", dist.Beta(2, 3), dist.Exponential(2)],
      ["Gamma ‖ Exponential", dist.Gamma(3, 2), dist.Exponential(0.7)],
      ["Pareto ‖ Exponential", dist.Pareto(1, 4), dist.Exponential(0.7)],
      ["Uniform ‖ Exponential", dist.Uniform(0, 2), dist.Exponential(0.7)],
      ["Beta ‖ Gamma", dist.Beta(2, 3), dist.Gamma(2, 3)],
      ["Exponential ‖ Gamma", dist.Exponential(2), dist.Gamma(0.8, 1.5)],
      ["Pareto ‖ Gamma", dist.Pareto(1, 4), dist.Gamma(2, 1)],
      ["Uniform ‖ Gamma", dist.Uniform(0, 2), dist.Gamma(2, 1)],
      ["Exponential ‖ Gumbel", dist.Exponential(2), dist.Gumbel(0.5, 1)],
      ["Gamma ‖ Gumbel", dist.Gamma(3, 2), dist.Gumbel(1, 1.5)],
      ["Normal ‖ Gumbel", dist.Normal(0.5, 1), dist.Gumbel(0, 2)],
      ["Uniform ‖ Gumbel", dist.Uniform(-1, 2), dist.Gumbel(0, 1)],
      ["Normal ‖ Laplace", dist.Normal([0.5, -1], [1, 0.3]), dist.Laplace(0, [2, 1])],
      ["Uniform ‖ Beta", dist.Uniform(0.2, 0.9), dist.Beta(2, 3)],
      ["Beta ‖ Uniform", dist.Beta(2, 3), dist.Uniform(-0.5, 1.5)],
      ["Uniform ‖ Pareto", dist.Uniform(1.5, 3), dist.Pareto(1, 2)],
    ];

    for (const [name, p, q] of [...same, ...cross]) {
      it(`${name}: analytic = Monte Carlo`, () => {
        assert.ok(dist.hasAnalyticKL(p, q));
        const kl = flat(ops, dist.klDivergence(p, q));
        const x = p.sample(PRNGKey(9), [N]);
        const d = flat(ops, ops.sub(p.logProb(x), q.logProb(x)));
        const batch = kl.length;
        for (let b = 0; b < batch; b++) {
          const col = d.filter((_, i) => i % batch === b);
          const { mean, variance } = moments(col);
          // Plus the float64 rounding of summing N terms for the mean: N·ε₆₄·mean|d|.
          const sumErr = N * Number.EPSILON * (col.reduce((s, v) => s + Math.abs(v), 0) / col.length);
          assertNear(kl[b]!, mean, 4 * Math.sqrt(variance / N) + 1e3 * eps + sumErr, `KL batch ${b}`);
        }
        if (same.some(([n]) => n === name)) {
          flat(ops, dist.klDivergence(p, p)).forEach((v) => assertNear(v, 0, 1e3 * eps, "KL(p, p)"));
        }
      });
    }

    it("pairs whose supports are not covered are ∞", () => {
      const inf: [Distribution, Distribution][] = [
        [dist.Normal(0, 1), dist.Gamma(1, 1)],
        [dist.Normal(0, 1), dist.Uniform(-1, 1)],
        [dist.Laplace(0, 1), dist.Exponential(1)],
        [dist.Gumbel(0, 1), dist.Beta(1, 1)],
        [dist.Exponential(1), dist.Uniform(0, 5)],
        [dist.Gamma(2, 1), dist.Pareto(1, 1)],
        [dist.Pareto(1, 2), dist.Uniform(0, 10)],
        [dist.Beta(2, 2), dist.Pareto(1, 1)],
      ];
      for (const [p, q] of inf) assert.deepEqual(flat(ops, dist.klDivergence(p, q)), [Infinity], `${p.name} ‖ ${q.name}`);
      assert.deepEqual(flat(ops, dist.klDivergence(dist.Uniform([0, 0], [1, 3]), dist.Uniform(0, 2))).map(Number.isFinite), [true, false]);
      assert.deepEqual(flat(ops, dist.klDivergence(dist.Pareto([0.5, 2], 2), dist.Pareto(1, 2))).map(Number.isFinite), [false, true]);
      assert.deepEqual(flat(ops, dist.klDivergence(dist.Uniform(-1, 1), dist.Exponential(1))), [Infinity]);
      assert.deepEqual(flat(ops, dist.klDivergence(dist.Uniform(0.5, 1.5), dist.Beta(2, 2))), [Infinity]);
      assert.deepEqual(flat(ops, dist.klDivergence(dist.Binomial({ totalCount: 5, probs: 0.5 }), dist.Binomial({ totalCount: 3, probs: 0.5 }))), [Infinity]);
      assert.equal(dist.hasAnalyticKL(dist.Binomial({ totalCount: 3, probs: 0.5 }), dist.Binomial({ totalCount: 5, probs: 0.5 })), false);
      assert.ok(!Number.isFinite(ops.item(dist.klDivergence(dist.Pareto(1, 0.8), dist.Exponential(1)))));
    });
  });
}
