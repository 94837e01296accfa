/**
 * Shapes (Pyro semantics): batch and event shapes from broadcast parameters,
 * draws of shape `sampleShape ++ batchShape ++ eventShape`, `expand`,
 * `toEvent`, `mask`, `enumerateSupport`, capability flags and supports.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DistributionArgumentError, DistributionCapabilityError, Independent, MaskedDistribution, Normal,
  type Distribution, type DistributionsModule,
} from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertThrowsWith, backends, flat } from "./helpers.js";

interface ShapeCase {
  readonly name: string;
  readonly make: (d: DistributionsModule) => Distribution;
  readonly batch: number[];
  readonly event: number[];
  readonly rsample: boolean;
  readonly enumerate: boolean;
  readonly support: string;
}

const CASES: readonly ShapeCase[] = [
  { name: "Normal", make: (d) => d.Normal([[0], [1]], [1, 2, 3]), batch: [2, 3], event: [], rsample: true, enumerate: false, support: "real" },
  { name: "Bernoulli", make: (d) => d.Bernoulli([0.1, 0.5]), batch: [2], event: [], rsample: false, enumerate: true, support: "boolean" },
  { name: "Categorical", make: (d) => d.Categorical({ logits: [[0, 0, 0, 0], [1, 2, 3, 4]] }), batch: [2], event: [], rsample: false, enumerate: true, support: "integerInterval(0, 3)" },
  { name: "Beta", make: (d) => d.Beta([1, 2], 3), batch: [2], event: [], rsample: true, enumerate: false, support: "unitInterval" },
  { name: "Binomial", make: (d) => d.Binomial({ totalCount: 10, probs: [[0.1], [0.5]] }), batch: [2, 1], event: [], rsample: false, enumerate: true, support: "integerInterval(0, [[10], [10]])" },
  { name: "Gamma", make: (d) => d.Gamma(2, [1, 2, 3]), batch: [3], event: [], rsample: true, enumerate: false, support: "nonnegative" },
  { name: "HalfCauchy", make: (d) => d.HalfCauchy([1, 2]), batch: [2], event: [], rsample: true, enumerate: false, support: "nonnegative" },
  { name: "HalfNormal", make: (d) => d.HalfNormal(1), batch: [], event: [], rsample: true, enumerate: false, support: "nonnegative" },
  { name: "Exponential", make: (d) => d.Exponential([[1, 2]]), batch: [1, 2], event: [], rsample: true, enumerate: false, support: "nonnegative" },
  { name: "Uniform", make: (d) => d.Uniform(0, 2), batch: [], event: [], rsample: true, enumerate: false, support: "interval(0, 2)" },
  { name: "Dirichlet", make: (d) => d.Dirichlet([[1, 2, 3], [1, 1, 1]]), batch: [2], event: [3], rsample: true, enumerate: false, support: "simplex" },
  { name: "Delta", make: (d) => d.Delta([[1, 2], [3, 4], [5, 6]], { eventDim: 1 }), batch: [3], event: [2], rsample: true, enumerate: false, support: "independent(real, 1)" },
  { name: "Unit", make: (d) => d.Unit([0, 1]), batch: [2], event: [0], rsample: false, enumerate: false, support: "realVector" },
  { name: "Independent", make: (d) => d.Normal([[0, 1], [2, 3], [4, 5]], 1).toEvent(1), batch: [3], event: [2], rsample: true, enumerate: false, support: "independent(real, 1)" },
  { name: "Masked", make: (d) => d.Normal([0, 1, 2], 1).mask([[true], [false]]), batch: [2, 3], event: [], rsample: true, enumerate: false, support: "real" },
  { name: "Transformed (stick-breaking)", make: (d) => d.TransformedDistribution(d.Normal([[0, 0], [1, 1]], 1), [d.transforms.StickBreakingTransform()]),
    batch: [2], event: [3], rsample: true, enumerate: false, support: "simplex" },
  { name: "Transformed (affine with batched loc)", make: (d) => d.TransformedDistribution(d.Normal(0, 1), [d.transforms.AffineTransform([1, 2, 3], 2)]),
    batch: [3], event: [], rsample: true, enumerate: false, support: "real" },
];

for (const be of backends) {
  describe(`shapes on ${be.name}`, () => {
    const { dist, ops } = be;
    const key = PRNGKey(3);

    for (const c of CASES) {
      it(`${c.name}: shapes, draws, logProb, expand, flags, support`, () => {
        const d = c.make(dist);
        assert.deepEqual([...d.batchShape], c.batch, "batchShape");
        assert.deepEqual([...d.eventShape], c.event, "eventShape");
        assert.equal(d.hasRsample, c.rsample, "hasRsample");
        assert.equal(d.hasEnumerateSupport, c.enumerate, "hasEnumerateSupport");
        assert.equal(d.support.name, c.support, "support");
        assert.equal(d.support.eventDim, c.event.length, "support eventDim");
        const x = d.sample(key, [4, 2]);
        assert.deepEqual([...x.shape], [4, 2, ...c.batch, ...c.event], "sample shape");
        assert.deepEqual([...d.logProb(x).shape], [4, 2, ...c.batch], "logProb shape");
        if (c.rsample) assert.deepEqual([...d.rsample(key, [3]).shape], [3, ...c.batch, ...c.event], "rsample shape");
        const e = d.expand([5, ...c.batch]);
        assert.deepEqual([...e.batchShape], [5, ...c.batch], "expanded batchShape");
        assert.deepEqual([...e.eventShape], c.event, "expanded eventShape");
        assert.deepEqual([...e.sample(key, [2]).shape], [2, 5, ...c.batch, ...c.event], "expanded sample shape");
        assert.deepEqual([...e.logProb(x.shape.length > 0 ? d.sample(key) : x).shape], [5, ...c.batch], "expanded logProb shape");
        if (c.batch.length > 0) {
          assertThrowsWith(() => d.expand(c.batch.map((n) => n + 1)), DistributionArgumentError, "cannot expand batch shape");
        }
      });
    }

    it("mean, variance and entropy have the batch (and event) shape", () => {
      const n = dist.Normal(0, [1, 2, 3]);
      assert.deepEqual([...n.mean.shape], [3]);
      assert.deepEqual([...n.variance.shape], [3]);
      assert.deepEqual([...n.entropy().shape], [3]);
      const dir = dist.Dirichlet([[1, 2, 3], [1, 1, 1]]);
      assert.deepEqual([...dir.mean.shape], [2, 3]);
      assert.deepEqual([...dir.entropy().shape], [2]);
      assert.deepEqual([...dist.Categorical([[0.5, 0.5]]).entropy().shape], [1]);
      assert.deepEqual([...dist.Binomial({ totalCount: 4, probs: [0.2, 0.5] }).entropy().shape], [2]);
    });

    it("toEvent: reinterprets batch dims, merges nested Independents, toEvent(0) is the identity", () => {
      const base = dist.Normal(ops.zeros([4, 3, 2]), 1);
      const all = base.toEvent();
      assert.deepEqual([all.batchShape, all.eventShape].map((s) => [...s]), [[], [4, 3, 2]]);
      assert.equal(base.toEvent(0), base);
      const nested = base.toEvent(1).toEvent(1);
      assert.ok(nested instanceof Independent);
      assert.equal(nested.reinterpretedBatchNdims, 2);
      assert.ok(nested.baseDist instanceof Normal);
      assert.deepEqual([[...nested.batchShape], [...nested.eventShape]], [[4], [3, 2]]);
      assert.equal(nested.support.name, "independent(real, 2)");
      assertThrowsWith(() => base.toEvent(4), DistributionArgumentError, "reinterpretedBatchNdims must be an integer in [0, 3]");
    });

    it("mask: broadcasts the batch shape, masks combine, mask(false) gives zeros", () => {
      const base = dist.Normal(ops.zeros([3]), 1);
      const m = base.mask(ops.tensor([[true], [false]]));
      assert.deepEqual([...m.batchShape], [2, 3]);
      const mm = m.mask(ops.tensor([true, true, false]));
      assert.ok(mm instanceof MaskedDistribution && mm.baseDist instanceof Normal);
      assert.deepEqual(flat(ops, mm.logProb(0)).map((v) => v !== 0), [true, true, false, false, false, false]);
      assert.deepEqual(flat(ops, base.mask(false).logProb(ops.zeros([5, 3]))), new Array(15).fill(0));
      assertThrowsWith(() => base.mask(ops.tensor([true, false])), DistributionArgumentError, "does not broadcast");
    });

    it("enumerateSupport: values along a new leftmost dim (Pyro layout)", () => {
      const b = dist.Bernoulli([0.1, 0.2, 0.3]);
      assert.deepEqual(ops.toArray(b.enumerateSupport()), [[0, 0, 0], [1, 1, 1]]);
      assert.deepEqual([...b.enumerateSupport(false).shape], [2, 1]);
      assert.deepEqual([...b.logProb(b.enumerateSupport(false)).shape], [2, 3]);
      const c = dist.Categorical(ops.ones([2, 4]));
      assert.deepEqual([...c.enumerateSupport().shape], [4, 2]);
      assert.deepEqual(ops.toArray(c.enumerateSupport(false)), [[0], [1], [2], [3]]);
      const locs = ops.tensor([10, 20, 30, 40]);
      assert.deepEqual(ops.toArray(ops.index(locs, c.enumerateSupport(false))), [[10], [20], [30], [40]]);
      assert.deepEqual([...ops.index(locs, c.sample(key, [3])).shape], [3, 2]);
      const bin = dist.Binomial({ totalCount: 3, probs: [0.2, 0.7] });
      assert.deepEqual(ops.toArray(bin.enumerateSupport()), [[0, 0], [1, 1], [2, 2], [3, 3]]);
      assertThrowsWith(() => dist.Binomial({ totalCount: [2, 3], probs: 0.5 }).enumerateSupport(), DistributionCapabilityError,
        "inhomogeneous totalCount");
      assertThrowsWith(() => dist.Normal(0, 1).enumerateSupport(), DistributionCapabilityError, "Normal does not implement enumerateSupport");
    });

    it("capabilities a family lacks throw DistributionCapabilityError", () => {
      assertThrowsWith(() => dist.Bernoulli(0.5).rsample(key), DistributionCapabilityError, "Bernoulli does not implement rsample");
      assertThrowsWith(() => dist.Beta(1, 1).cdf(0.5), DistributionCapabilityError, "Beta does not implement cdf");
    });
  });
}
