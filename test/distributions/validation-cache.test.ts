/**
 * What validation remembers about a tensor (tensors are immutable, so a
 * tensor found in a support, or drawn from it, stays there): the record is by
 * constraint identity, so
 *  - a tensor recorded in several supports is known in each of them, and
 *    only in those; one recorded in `independent(base, n)` is also known in
 *    `base` (which the wrapped distribution checks);
 *  - `toEvent(n)` distributions over one base support share one support
 *    object, and a plate's index distribution one per plate size, so a draw
 *    recorded by one is known to the next (a guide's draw scored by the
 *    model, a plate's indices drawn on every run).
 *
 * A recorded tensor is shown to be known by recording a tensor that is NOT in
 * the support: validation then accepts it without reading it, which is
 * exactly what the record is for (draws are in their support by construction).
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { constraints, DistributionValueError } from "../../src/distributions/index.js";
import { checkSample, trustInSupport } from "../../src/distributions/validation.js";
import { Subsample } from "../../src/handlers/subsample-dist.js";
import { ndarrayOps as ops } from "../../src/tensor/ndarray/index.js";
import { backends } from "./helpers.js";

const check = (value: ReturnType<typeof ops.tensor>, support: Parameters<typeof checkSample>[2]) =>
  checkSample(ops, "Test", support, value, [], []);

describe("validation records", () => {
  it("a tensor recorded in several supports is known in each of them, and only in those", () => {
    const v = ops.tensor(-1);
    trustInSupport(v, constraints.positive);
    trustInSupport(v, constraints.unitInterval);
    trustInSupport(v, constraints.positive);
    check(v, constraints.positive);
    check(v, constraints.unitInterval);
    assert.throws(() => check(v, constraints.boolean), DistributionValueError);
    assert.throws(() => check(ops.tensor(-1), constraints.positive), DistributionValueError);
  });

  for (const be of backends) {
    it(`toEvent distributions over one base support share their support (${be.name})`, () => {
      const a = be.dist.Normal(be.ops.zeros([3]), 1).toEvent(1);
      const b = be.dist.Normal(be.ops.ones([3]), 2).toEvent(1);
      assert.equal(a.support, b.support);
      assert.equal(a.support.name, "independent(real, 1)");
      assert.notEqual(be.dist.Normal(be.ops.zeros([2, 3]), 1).toEvent(2).support, a.support);
      // a value recorded in one is known to the other, and to the base (NaN is outside `real`)
      const v = be.ops.tensor([0, NaN, 1]);
      trustInSupport(v, a.support);
      assert.doesNotThrow(() => b.logProb(v));
      assert.doesNotThrow(() => be.dist.Normal(0, 1).logProb(v));
      assert.throws(() => b.logProb(be.ops.tensor([0, NaN, 1])), DistributionValueError);
    });
  }

  it("plates of one size share the support of their indices", () => {
    const ctx = { ops, validateArgs: true };
    const s = new Subsample(ctx, 5, 5).support;
    assert.equal(new Subsample(ctx, 5, 2).support, s);
    assert.equal(s.name, "integerInterval(0, 4)");
    assert.notEqual(new Subsample(ctx, 6, 6).support, s);
  });
});
