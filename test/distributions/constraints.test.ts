/**
 * Constraints: printed names, event dims, discreteness, elementwise checks
 * (including tensor bounds and `independent` reductions).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { constraints, type Constraint } from "../../src/distributions/index.js";
import { backends, flat } from "./helpers.js";

const c = constraints;

/** [constraint, name, eventDim, isDiscrete, values, which are inside]. */
const TABLE: readonly [Constraint, string, number, boolean, number[], boolean[]][] = [
  [c.real, "real", 0, false, [-Infinity, 0, NaN], [true, true, false]],
  [c.positive, "positive", 0, false, [-1, 0, 2], [false, false, true]],
  [c.nonnegative, "nonnegative", 0, false, [-1, 0, 2], [false, true, true]],
  [c.unitInterval, "unitInterval", 0, false, [-0.1, 0, 1, 1.1], [false, true, true, false]],
  [c.interval(-1, 2), "interval(-1, 2)", 0, false, [-1.5, -1, 2, 3], [false, true, true, false]],
  [c.greaterThan(1), "greaterThan(1)", 0, false, [1, 1.5], [false, true]],
  [c.greaterThanEq(1), "greaterThanEq(1)", 0, false, [0.5, 1], [false, true]],
  [c.lessThan(3), "lessThan(3)", 0, false, [2, 3], [true, false]],
  [c.boolean, "boolean", 0, true, [0, 1, 0.5, 2], [true, true, false, false]],
  [c.integerInterval(0, 5), "integerInterval(0, 5)", 0, true, [-1, 0, 2.5, 5, 6], [false, true, false, true, false]],
  [c.nonnegativeInteger, "nonnegativeInteger", 0, true, [-1, 0, 1.5, 7], [false, true, false, true]],
  [c.positiveInteger, "positiveInteger", 0, true, [0, 1, 3], [false, true, true]],
];

for (const be of backends) {
  describe(`constraints on ${be.name}`, () => {
    const { ops } = be;
    const check = (k: Constraint, v: unknown) => flat(ops, k.check(ops, v as number[])).map((x) => x !== 0);

    for (const [k, name, eventDim, discrete, values, inside] of TABLE) {
      it(name, () => {
        assert.equal(k.name, name);
        assert.equal(String(k), name);
        assert.equal(k.eventDim, eventDim);
        assert.equal(k.isDiscrete, discrete);
        assert.ok(k.description.length > 0);
        assert.deepEqual(check(k, values), inside);
      });
    }

    it("simplex, realVector and independent reduce over event dims", () => {
      assert.equal(c.simplex.eventDim, 1);
      assert.deepEqual(check(c.simplex, [[0.2, 0.8], [0.5, 0.6], [-0.1, 1.1]]), [true, false, false]);
      assert.equal(c.realVector.name, "realVector");
      assert.deepEqual(check(c.realVector, [[1, 2], [NaN, 0]]), [true, false]);
      const k = c.independent(c.positive, 2);
      assert.equal(k.name, "independent(positive, 2)");
      assert.equal(k.eventDim, 2);
      assert.deepEqual(check(k, [[[1, 2], [3, 4]], [[1, 2], [3, -4]]]), [true, false]);
      assert.equal(c.independent(c.boolean, 1).isDiscrete, true);
    });

    it("tensor bounds broadcast against the value", () => {
      const k = c.interval(ops.tensor([0, 10]), ops.tensor([1, 20]));
      assert.equal(k.name, "interval(tensor[2], tensor[2])");
      assert.deepEqual(check(k, [[0.5, 0.5], [15, 15]]), [true, false, false, true]);
    });
  });
}

describe("firstOutside: validation's one-pass scan agrees with check", () => {
  const values = [0.5, -0, 0, 2, -Infinity, Infinity, NaN, -3, 1e-300];
  const ops = backends[1]!.ops;
  const firstFalse = (k: Constraint, v: readonly number[]) => flat(ops, k.check(ops, [...v])).findIndex((x) => x === 0);

  it("real and greaterThan with a number bound find the same first element as the mask", () => {
    for (const k of [c.real, c.positive, c.greaterThan(1), c.greaterThan(-Infinity)]) {
      // Every rotation of the values, so each kind of value comes first once.
      for (let r = 0; r < values.length; r++) {
        const v = [...values.slice(r), ...values.slice(0, r)];
        assert.equal(k.firstOutside!(Float64Array.from(v)), firstFalse(k, v), `${k.name} on [${v.join(", ")}]`);
      }
      assert.equal(k.firstOutside!(new Float64Array([2, 3])), -1, k.name);
      assert.equal(k.firstOutside!(new Float64Array(0)), -1, k.name);
    }
  });

  it("a tensor bound cannot be scanned: undefined, so validation builds the mask", () => {
    assert.equal(c.greaterThan(ops.tensor([0, 1])).firstOutside!(new Float64Array([1, 2])), undefined);
  });
});

