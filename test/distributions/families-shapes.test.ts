/**
 * Shapes, `expand`, support membership of draws, `hasRsample`, enumeration
 * and argument validation of every family added for issue 3, on every backend.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DistributionArgumentError, DistributionCapabilityError, type Distribution, type DistributionsModule,
} from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertThrowsWith, backends, flat } from "./helpers.js";

interface ShapeCase {
  readonly make: (d: DistributionsModule) => Distribution;
  readonly batch: number[];
  readonly event: number[];
  readonly rsample: boolean;
}

const CASES: Record<string, ShapeCase> = {
  Cauchy: { make: (d) => d.Cauchy([0, 1], [[1], [2], [3]]), batch: [3, 2], event: [], rsample: true },
  StudentT: { make: (d) => d.StudentT([3, 4]), batch: [2], event: [], rsample: true },
  LogNormal: { make: (d) => d.LogNormal([0, 1], 1), batch: [2], event: [], rsample: true },
  Laplace: { make: (d) => d.Laplace(0, [1, 2]), batch: [2], event: [], rsample: true },
  Gumbel: { make: (d) => d.Gumbel([0, 1], 1), batch: [2], event: [], rsample: true },
  Weibull: { make: (d) => d.Weibull([1, 2], [0.5, 3]), batch: [2], event: [], rsample: true },
  Pareto: { make: (d) => d.Pareto([1, 2], 3), batch: [2], event: [], rsample: true },
  Chi2: { make: (d) => d.Chi2([1, 2]), batch: [2], event: [], rsample: true },
  InverseGamma: { make: (d) => d.InverseGamma([1, 2], 3), batch: [2], event: [], rsample: true },
  Poisson: { make: (d) => d.Poisson([1, 2]), batch: [2], event: [], rsample: false },
  Geometric: { make: (d) => d.Geometric({ logits: [0, 1] }), batch: [2], event: [], rsample: false },
  NegativeBinomial: { make: (d) => d.NegativeBinomial({ totalCount: [1, 2.5], probs: 0.3 }), batch: [2], event: [], rsample: false },
  BetaBinomial: { make: (d) => d.BetaBinomial([1, 2], 3, 5), batch: [2], event: [], rsample: false },
  Multinomial: { make: (d) => d.Multinomial({ totalCount: 4, probs: [[0.2, 0.8], [0.5, 0.5]] }), batch: [2], event: [2], rsample: false },
  OneHotCategorical: { make: (d) => d.OneHotCategorical([[0.2, 0.8], [0.5, 0.5]]), batch: [2], event: [2], rsample: false },
  DiscreteUniform: { make: (d) => d.DiscreteUniform([0, -2], 3), batch: [2], event: [], rsample: false },
  MultivariateNormal: { make: (d) => d.MultivariateNormal([[0, 0], [1, 1]], { scaleTril: [[1, 0], [0.5, 1]] }), batch: [2], event: [2], rsample: true },
  LowRankMultivariateNormal: { make: (d) => d.LowRankMultivariateNormal([[0, 0], [1, 1]], [[1], [0]], [1, 1]), batch: [2], event: [2], rsample: true },
  LKJCholesky: { make: (d) => d.LKJCholesky(3, [1, 2]), batch: [2], event: [3, 3], rsample: false },
  MixtureSameFamily: { make: (d) => d.MixtureSameFamily(d.Categorical([0.5, 0.5]), d.Normal([[0, 1], [2, 3]], 1)), batch: [2], event: [], rsample: false },
  FoldedDistribution: { make: (d) => d.FoldedDistribution(d.Normal([0, 1], 1)), batch: [2], event: [], rsample: true },
};

for (const be of backends) {
  describe(`shapes of the added families on ${be.name}`, () => {
    const { dist, ops } = be;
    for (const [name, c] of Object.entries(CASES)) {
      it(`${name}: shapes, expand, draws in the support`, () => {
        const d = c.make(dist);
        assert.equal(d.name, name);
        assert.deepEqual([...d.batchShape], c.batch);
        assert.deepEqual([...d.eventShape], c.event);
        assert.equal(d.hasRsample, c.rsample);
        const x = d.sample(PRNGKey(1), [4]);
        assert.deepEqual([...x.shape], [4, ...c.batch, ...c.event]);
        assert.ok(flat(ops, d.support.check(ops, x)).every((v) => v === 1), "draws lie in the support");
        assert.deepEqual([...d.logProb(x).shape], [4, ...c.batch]);
        const e = d.expand([3, ...c.batch]);
        assert.equal(e.name, name);
        assert.deepEqual([...e.batchShape], [3, ...c.batch]);
        assert.deepEqual([...e.sample(PRNGKey(2)).shape], [3, ...c.batch, ...c.event]);
        if (c.rsample) assert.deepEqual([...d.rsample(PRNGKey(3), [2]).shape], [2, ...c.batch, ...c.event]);
        else assertThrowsWith(() => d.rsample(PRNGKey(3)), DistributionCapabilityError, "rsample");
        assertThrowsWith(() => d.expand([5]), DistributionArgumentError, "cannot expand");
      });
    }

    it("enumerateSupport of BetaBinomial and DiscreteUniform; inhomogeneous parameters throw", () => {
      const bb = dist.BetaBinomial([1, 2], 3, 2);
      assert.deepEqual([...bb.enumerateSupport().shape], [3, 2]);
      assert.deepEqual(flat(ops, bb.enumerateSupport(false)), [0, 1, 2]);
      const total = flat(ops, ops.logsumexp(bb.logProb(bb.enumerateSupport()), 0));
      total.forEach((v) => assert.ok(Math.abs(v) < 1e3 * be.eps, "pmf sums to 1"));
      const du = dist.DiscreteUniform(-1, [2, 2]);
      assert.deepEqual(flat(ops, du.enumerateSupport(false)), [-1, 0, 1, 2]);
      assert.deepEqual([...du.enumerateSupport().shape], [4, 2]);
      assertThrowsWith(() => dist.BetaBinomial(1, 1, [2, 3]).enumerateSupport(), DistributionCapabilityError, "inhomogeneous totalCount");
      assertThrowsWith(() => dist.DiscreteUniform([0, 1], 3).enumerateSupport(), DistributionCapabilityError, "inhomogeneous low or high");
      assert.equal(dist.Multinomial({ probs: [0.5, 0.5] }).hasEnumerateSupport, false);
    });

    it("validation names the family, the parameter and the constraint", () => {
      const bad: [() => unknown, string][] = [
        [() => dist.Cauchy(0, -1), "Cauchy: parameter scale must be positive"],
        [() => dist.StudentT(0), "StudentT: parameter df must be positive"],
        [() => dist.LogNormal(0, 0), "LogNormal: parameter scale must be positive"],
        [() => dist.Laplace(NaN, 1), "Laplace: parameter loc must be real"],
        [() => dist.Gumbel(0, -2), "Gumbel: parameter scale must be positive"],
        [() => dist.Weibull(1, -1), "Weibull: parameter concentration must be positive"],
        [() => dist.Pareto(-1, 1), "Pareto: parameter scale must be positive"],
        [() => dist.Chi2(-3), "Chi2: parameter df must be positive"],
        [() => dist.InverseGamma(1, 0), "InverseGamma: parameter rate must be positive"],
        [() => dist.Poisson(-1), "Poisson: parameter rate must be nonnegative"],
        [() => dist.Geometric(1.5), "Geometric: parameter probs must be unitInterval"],
        [() => dist.NegativeBinomial({ totalCount: -1, probs: 0.5 }), "NegativeBinomial: parameter totalCount must be nonnegative"],
        [() => dist.BetaBinomial(1, 1, 2.5), "BetaBinomial: parameter totalCount must be nonnegativeInteger"],
        [() => dist.Multinomial({ totalCount: 2.5, probs: [1, 1] }), "Multinomial: parameter totalCount must be a nonnegative whole number"],
        [() => dist.OneHotCategorical([-1, 2]), "OneHotCategorical: parameter probs must be simplex"],
        [() => dist.DiscreteUniform(0.5, 3), "DiscreteUniform: parameter low must be integer"],
        [() => dist.DiscreteUniform(3, 1), "DiscreteUniform: parameter high must be integerGreaterThanEq(low)"],
        [() => dist.LKJCholesky(1), "LKJCholesky: dim must be a whole number >= 2"],
        [() => dist.LKJCholesky(3, -1), "LKJCholesky: parameter concentration must be positive"],
        [() => dist.MixtureSameFamily(dist.Categorical([0.5, 0.5]), dist.Normal([0, 1, 2], 1)), "must end in the number of mixture components 2"],
        [() => dist.MixtureSameFamily(dist.Bernoulli(0.5) as never, dist.Normal([0, 1], 1)), "mixtureDistribution must be a Categorical"],
        [() => dist.FoldedDistribution(dist.MultivariateNormal([0, 0], [[1, 0], [0, 1]])), "the base must be univariate"],
        [() => dist.ImproperUniform(dist.constraints.simplex, [], []), "eventShape must have at least 1 dim"],
      ];
      for (const [f, msg] of bad) assertThrowsWith(f, DistributionArgumentError, msg);
      assert.doesNotThrow(() => be.distNoValidate.Cauchy(0, -1));
    });
  });
}
