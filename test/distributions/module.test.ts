/**
 * The `dist` module: factories without `new`, plain numbers and nested
 * arrays as parameters, the constraints and transforms members, and the
 * context the module carries.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  Bernoulli, constraints, Delta, Independent, makeDistributionsModule, Normal, TransformedDistribution,
} from "../../src/distributions/index.js";
import { backends, flat } from "./helpers.js";

for (const be of backends) {
  describe(`dist module on ${be.name}`, () => {
    const { dist, ops } = be;

    it("factories build instances without new, from numbers, nested arrays and tensors", () => {
      const a = dist.Normal(0, 1);
      assert.ok(a instanceof Normal);
      assert.equal(a.ops, ops);
      const b = dist.Normal([[0, 1]], ops.tensor([1, 2]));
      assert.deepEqual([...b.batchShape], [1, 2]);
      assert.ok(dist.Bernoulli({ logits: [[0, 1]] }) instanceof Bernoulli);
      assert.ok(dist.Delta(1) instanceof Delta);
      assert.ok(dist.Independent(dist.Normal([0, 1], 1), 1) instanceof Independent);
      assert.ok(dist.TransformedDistribution(dist.Normal(0, 1), dist.transforms.ExpTransform()) instanceof TransformedDistribution);
    });

    it("factory types are the constructors' (checked by tsc)", () => {
      const n: Normal = dist.Normal(0, [1, 2]);
      assert.deepEqual([...n.loc.shape], [2]);
      // @ts-expect-error Binomial needs probs or logits
      assert.throws(() => dist.Binomial({ totalCount: 1 }));
      // @ts-expect-error probs and logits exclude each other
      assert.throws(() => dist.Bernoulli({ probs: 0.5, logits: 0 }));
      // @ts-expect-error Normal takes two parameters
      assert.throws(() => dist.Normal(0));
    });

    it("exposes the constraints, transforms, transformTo and bijectTo", () => {
      assert.equal(dist.constraints, constraints);
      assert.equal(dist.constraints.positive.name, "positive");
      const t = dist.transformTo(dist.constraints.positive);
      assert.deepEqual(flat(ops, t.forward([0])), [1]);
      assert.equal(dist.bijectTo(dist.constraints.simplex).name, "StickBreakingTransform");
      assert.equal(dist.transforms.ComposeTransform([dist.transforms.ExpTransform(), dist.transforms.AffineTransform(1, 2)]).name,
        "ComposeTransform(ExpTransform, AffineTransform)");
    });

    it("carries its context: validateArgs decides validation", () => {
      assert.equal(dist.ctx.validateArgs, true);
      const quiet = makeDistributionsModule({ ops, validateArgs: false });
      assert.equal(quiet.Normal(0, -1).validateArgs, false);
      assert.equal(dist.Normal(0, 1).expand([2]).validateArgs, true);
    });

    it("a probs/logits family derives the other parameterisation on first read, once", () => {
      const calls = { sigmoid: 0, log: 0 };
      const counting = {
        ...ops,
        sigmoid: (x: Parameters<typeof ops.sigmoid>[0]) => (calls.sigmoid++, ops.sigmoid(x)),
        log: (x: Parameters<typeof ops.log>[0]) => (calls.log++, ops.log(x)),
      } as typeof ops;
      const d = makeDistributionsModule({ ops: counting, validateArgs: true });
      const fromLogits = d.Bernoulli({ logits: [0, Math.log(3)] });
      fromLogits.logProb([1, 0]);
      assert.equal(calls.sigmoid, 0, "logProb needs only the logits");
      // float32 on tfjs: a few ulps of 2⁻²³.
      const near = (got: number[], want: number[]) => want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) < 1e-6, `${got} vs ${want}`));
      near(flat(ops, fromLogits.probs), [0.5, 0.75]);
      assert.equal(fromLogits.probs, fromLogits.probs);
      assert.equal(calls.sigmoid, 1);
      const fromProbs = d.Bernoulli([0.5, 0.75]);
      assert.equal(calls.log, 0);
      near(flat(ops, fromProbs.logits), [0, Math.log(3)]);
      assert.equal(fromProbs.logits, fromProbs.logits);
      assert.equal(calls.log, 1, "log p − log1p(−p), computed once");
      assert.equal(fromLogits.kind, "logits");
      assert.equal(fromProbs.kind, "probs");
    });
  });
}
