/**
 * Validation (`validateArgs`, on by default): bad parameters throw
 * `DistributionArgumentError` naming distribution, argument, constraint,
 * value and index; bad values passed to `logProb` throw
 * `DistributionValueError` naming distribution, support and value; with
 * `validateArgs: false` nothing is checked.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DistributionArgumentError, DistributionValueError } from "../../src/distributions/index.js";
import { assertThrowsWith, backends, flat } from "./helpers.js";

for (const be of backends) {
  describe(`validation on ${be.name}`, () => {
    const { dist, distNoValidate, ops } = be;
    const arg = (f: () => unknown, msg: string) => assertThrowsWith(f, DistributionArgumentError, msg);
    const val = (f: () => unknown, msg: string) => assertThrowsWith(f, DistributionValueError, msg);

    it("parameters outside their constraint", () => {
      arg(() => dist.Normal(0, [1, 1, -1]), "Normal: parameter scale must be positive (> 0), got -1 at index [2]");
      arg(() => dist.Normal(NaN, 1), "Normal: parameter loc must be real (a real number, not NaN), got NaN");
      arg(() => dist.Bernoulli(1.1), "Bernoulli: parameter probs must be unitInterval (in [0, 1]), got 1.1");
      arg(() => dist.Bernoulli({ logits: [[0, NaN]] }), "Bernoulli: parameter logits must be real (a real number, not NaN), got NaN at index [0, 1]");
      arg(() => dist.Categorical([[0.5, 0.5], [-1, 2]]),
        "Categorical: parameter probs must be simplex (nonnegative and summing to 1 along the last dim), got [-1, 2] at index [1]");
      arg(() => dist.Beta(0, 1), "Beta: parameter concentration1 must be positive (> 0), got 0");
      arg(() => dist.Binomial({ totalCount: [10, 2.5], probs: 0.5 }),
        "Binomial: parameter totalCount must be nonnegativeInteger (an integer >= 0), got 2.5 at index [1]");
      arg(() => dist.Binomial({ totalCount: 3, probs: -0.5 }), "Binomial: parameter probs must be unitInterval");
      arg(() => dist.Gamma(1, -2), "Gamma: parameter rate must be positive (> 0), got -2");
      arg(() => dist.Exponential([1, 0]), "Exponential: parameter rate must be positive (> 0), got 0 at index [1]");
      arg(() => dist.HalfCauchy(-1), "HalfCauchy: parameter scale must be positive");
      arg(() => dist.HalfNormal(0), "HalfNormal: parameter scale must be positive");
      arg(() => dist.Dirichlet([[1, 1], [1, 0]]),
        "Dirichlet: parameter concentration must be independent(positive, 1) (> 0, for every entry of the last 1 dim(s)), got [1, 0] at index [1]");
      arg(() => dist.Uniform([0, 1], [1, 0.5]), "Uniform: parameter high must be greaterThan(low) (> low), got 0.5 at index [1]");
      arg(() => dist.Unit(NaN), "Unit: parameter logFactor must be real");
    });

    it("large parameters: the first offending element, wherever it is", () => {
      // 3000 elements, as a plate's logits: checked by one scan on ndarray, by a mask on tfjs.
      const logits = new Array<number>(3000).fill(0.5);
      logits[2999] = NaN;
      logits[1501] = NaN;
      arg(() => dist.Bernoulli({ logits: ops.reshape(ops.tensor(logits), [1000, 3]) }),
        "Bernoulli: parameter logits must be real (a real number, not NaN), got NaN at index [500, 1]");
      const scale = new Array<number>(3000).fill(1);
      scale[7] = -0;
      arg(() => dist.Normal(0, ops.reshape(ops.tensor(scale), [3, 1000])), "Normal: parameter scale must be positive (> 0), got 0 at index [0, 7]");
      scale[7] = 1;
      scale[2000] = NaN;
      arg(() => dist.Normal(0, ops.tensor(scale)), "Normal: parameter scale must be positive (> 0), got NaN at index [2000]");
    });

    it("the error carries the distribution and argument", () => {
      assert.throws(() => dist.Normal(0, -1), (e: unknown) =>
        e instanceof DistributionArgumentError && e.distribution === "Normal" && e.argument === "scale");
    });

    it("shapes and argument combinations", () => {
      arg(() => dist.Normal([0, 0], [1, 1, 1]), "Normal: parameters loc (batch shape [2]), scale (batch shape [3]) do not broadcast");
      arg(() => dist.Categorical({ logits: 1 }), "Categorical: parameter logits must have at least 1 dimension(s), got shape []");
      arg(() => dist.Categorical(0.5), "Categorical: parameter probs must have at least 1 dimension(s), got shape []");
      arg(() => dist.Bernoulli({ probs: 0.5, logits: 0 } as unknown as { probs: number }), "Bernoulli: exactly one of probs or logits must be given");
      arg(() => dist.Bernoulli({} as unknown as { probs: number }), "Bernoulli: exactly one of probs or logits must be given");
      arg(() => dist.Delta([1, 2], { eventDim: 2 }), "Delta: eventDim must be an integer in [0, 1] (the rank of v), got 2");
      arg(() => dist.Independent(dist.Normal(0, 1), 1), "Independent: reinterpretedBatchNdims must be an integer in [0, 0]");
    });

    it("logProb of values outside the support", () => {
      val(() => dist.Bernoulli(0.5).logProb([0, 1, 0.5]), "Bernoulli: value must be in the support boolean (0 or 1), got 0.5 at index [2]");
      val(() => dist.Categorical([0.2, 0.8]).logProb(2), "Categorical: value must be in the support integerInterval(0, 1) (an integer in [0, 1]), got 2");
      val(() => dist.Categorical([0.2, 0.8]).logProb([1, 0.5]), "got 0.5 at index [1]");
      val(() => dist.Binomial({ totalCount: 5, probs: 0.5 }).logProb(6), "Binomial: value must be in the support integerInterval(0, 5) (an integer in [0, 5]), got 6");
      val(() => dist.Beta(1, 1).logProb(1.5), "Beta: value must be in the support unitInterval (in [0, 1]), got 1.5");
      val(() => dist.Gamma(1, 1).logProb(-1), "Gamma: value must be in the support nonnegative (>= 0), got -1");
      val(() => dist.Uniform(0, 1).logProb(2), "Uniform: value must be in the support interval(0, 1) (in [0, 1]), got 2");
      val(() => dist.Dirichlet([1, 1, 1]).logProb([[0.2, 0.3, 0.5], [0.5, 0.6, -0.1]]), "Dirichlet: value must be in the support simplex");
      val(() => dist.Normal(0, 1).logProb(NaN), "Normal: value must be in the support real (a real number, not NaN), got NaN");
      val(() => dist.Normal(ops.zeros([2]), 1).toEvent(1).logProb([0, NaN]), "Normal: value must be in the support real (a real number, not NaN), got NaN at index [1]");
      const logNormal = dist.TransformedDistribution(dist.Normal(0, 1), [dist.transforms.ExpTransform()]);
      val(() => logNormal.logProb(-1), "TransformedDistribution: value must be in the support positive (> 0), got -1");
    });

    it("logProb of values of the wrong shape", () => {
      val(() => dist.Dirichlet([1, 1, 1]).logProb([0.5, 0.5]), "Dirichlet: value of shape [2] does not end in the event shape [3]");
      val(() => dist.Normal(ops.zeros([3]), 1).logProb(ops.zeros([2])), "Normal: value of shape [2] does not broadcast with the batch shape [3]");
    });

    it("validateArgs: false skips every check", () => {
      const d = distNoValidate;
      assert.ok(Number.isNaN(flat(ops, d.Normal(0, -1).logProb(0))[0]!));
      assert.equal(flat(ops, d.Bernoulli(0.5).logProb(2)).length, 1);
      d.Categorical([-1, 2]);
      d.Binomial({ totalCount: 2.5, probs: 0.5 });
      d.Uniform(1, 0);
      assert.equal(d.Beta(1, 1).logProb(1.5).shape.length, 0);
      assert.equal(d.Gamma(1, 1).validateArgs, false);
    });
  });
}
