// describeDistribution: the one-line description error messages use.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, pyroBackend } from "../../src/index.js";
import { describeDistribution } from "../../src/distributions/describe.js";

for (const backend of ["pyro", "numpy"]) {
  describe(`describeDistribution [${backend}]`, () => {
    it("lists tensor parameters by value, the given probs or logits, and wrapped distributions", () =>
      pyroBackend(backend, () => {
        assert.equal(describeDistribution(dist.Normal(0, 1)), "Normal(loc=0, scale=1)");
        assert.equal(describeDistribution(dist.Bernoulli({ logits: 0 })), "Bernoulli(logits=0)");
        assert.equal(describeDistribution(dist.Binomial({ totalCount: 10, probs: 0.5 })), "Binomial(totalCount=10, probs=0.5)");
        assert.equal(describeDistribution(dist.Categorical([0.25, 0.75])), "Categorical(probs=[0.25, 0.75])");
        assert.equal(describeDistribution(dist.Normal([0, 1], 1).toEvent(1)), "Independent(baseDist=Normal(loc=[0, 1], scale=[1, 1]))");
      }));
  });
}
