/**
 * KL divergences: every registered pair against a Monte Carlo estimate
 * E_p[log p(x) - log q(x)] (within 4 empirical standard errors plus the
 * float rounding of the estimate), KL(p, p) = 0, the Delta, Independent and
 * Masked rules, and the error for a missing pair.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { KLNotImplementedError, type Distribution } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertNear, assertThrowsWith, backends, flat, moments } from "./helpers.js";

const N = 20000;

for (const be of backends) {
  describe(`klDivergence on ${be.name}`, () => {
    const { dist, ops, eps } = be;

    const pairs: [string, Distribution, Distribution][] = [
      ["Normal", dist.Normal([0, 1], [1, 0.5]), dist.Normal([1, 1], [2, 1])],
      ["Bernoulli", dist.Bernoulli([0.3, 0.9]), dist.Bernoulli({ logits: [0.5, -1] })],
      ["Categorical", dist.Categorical([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]), dist.Categorical({ logits: [0, 1, 2] })],
      ["Beta", dist.Beta([2, 0.7], [3, 1.5]), dist.Beta([1, 2], [1, 2])],
      ["Gamma", dist.Gamma([3, 0.8], [2, 1]), dist.Gamma([2, 1.5], [1, 3])],
      ["Exponential", dist.Exponential([2, 0.5]), dist.Exponential([1, 1])],
      ["Dirichlet", dist.Dirichlet([[1, 2, 3], [4, 4, 0.5]]), dist.Dirichlet([2, 2, 2])],
      ["Independent(Normal)", dist.Normal([[0, 1], [2, 3]], 1).toEvent(1), dist.Normal(0, [[1, 2], [3, 4]]).toEvent(1)],
      ["Masked(Normal)", dist.Normal([0, 1], 1).mask(ops.tensor([true, false])), dist.Normal(0, 2).mask(ops.tensor([true, false]))],
    ];

    for (const [name, p, q] of pairs) {
      it(`${name} ‖ ${name}: analytic = Monte Carlo, and KL(p, p) = 0`, () => {
        assert.ok(dist.hasAnalyticKL(p, q));
        const kl = flat(ops, dist.klDivergence(p, q));
        const x = p.sample(PRNGKey(7), [N]);
        const diff = ops.sub(p.logProb(x), q.logProb(x));
        const batch = kl.length;
        const d = flat(ops, diff);
        for (let b = 0; b < batch; b++) {
          const col = d.filter((_, i) => i % batch === b);
          const { mean, variance } = moments(col);
          // 4 SEs of the MC mean, plus the float rounding of log-densities of size ~10.
          assertNear(kl[b]!, mean, 4 * Math.sqrt(variance / N) + 1e3 * eps, `KL batch ${b}`);
        }
        flat(ops, dist.klDivergence(p, p)).forEach((v) => assertNear(v, 0, 1e3 * eps, "KL(p, p)"));
      });
    }

    it("Delta ‖ q is -q.logProb(v) (Pyro's rule)", () => {
      const q = dist.Normal(1, 2);
      const kl = ops.item(dist.klDivergence(dist.Delta(0.5), q));
      assertNear(kl, -ops.item(q.logProb(0.5)), 8 * eps);
      assert.ok(dist.hasAnalyticKL(dist.Delta(0.5), dist.Gamma(1, 1)));
    });

    it("Independent ‖ Independent with different reinterpreted dims", () => {
      const p = dist.Normal(ops.zeros([2, 3]), 1).toEvent(2);
      const q = dist.Normal(ops.ones([2, 3]), 1).toEvent(1).toEvent(1);
      assertNear(ops.item(dist.klDivergence(p, q)), 3, 64 * eps);
      const q1 = dist.Independent(dist.Normal(ops.ones([2, 3]), 1).toEvent(1), 1);
      assertNear(ops.item(dist.klDivergence(p, q1)), 3, 64 * eps);
    });

    it("a missing pair throws KLNotImplementedError naming both families", () => {
      assertThrowsWith(() => dist.klDivergence(dist.Normal(0, 1), dist.HalfNormal(1)), KLNotImplementedError,
        "no analytic KL divergence is registered for Normal ‖ HalfNormal");
      assert.equal(dist.hasAnalyticKL(dist.HalfCauchy(1), dist.HalfCauchy(2)), false);
      const ind = (d: Distribution) => d.expand([2]).toEvent(1);
      assert.equal(dist.hasAnalyticKL(ind(dist.HalfCauchy(1)), ind(dist.HalfCauchy(2))), false);
      assertThrowsWith(() => dist.klDivergence(ind(dist.Normal(0, 1)), ind(dist.HalfNormal(1))), KLNotImplementedError,
        "Independent ‖ Independent");
    });
  });
}
