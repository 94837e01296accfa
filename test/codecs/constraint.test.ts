// The constraint registry: every constraint of dist.constraints is saved by
// name and parameters and rebuilt as the same set.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConstraintEncodeError, constraintCodecs } from "../../src/codecs/constraint.js";
import { problemsOf } from "../../src/codecs/report.js";
import type { Constraint } from "../../src/distributions/constraint.js";
import { BaseConstraint, constraints, Simplex, type Bound } from "../../src/distributions/constraints.js";
import type { Ops } from "../../src/tensor/ops.js";
import type { Tensor, TensorLike } from "../../src/tensor/types.js";
import { ops, pyroBackend } from "../../src/index.js";

/** One example of each constraint constructor of dist.constraints (keyed by member name). */
const CONSTRUCTED: Record<string, () => Constraint> = {
  interval: () => constraints.interval(-1, 2.5),
  greaterThan: () => constraints.greaterThan(3),
  greaterThanEq: () => constraints.greaterThanEq(-2),
  lessThan: () => constraints.lessThan(0.5),
  integerInterval: () => constraints.integerInterval(0, 5),
  independent: () => constraints.independent(constraints.interval(0, 1), 2),
  multinomial: () => constraints.multinomial(10),
};

/** The bounds and nested parts of a constraint, for comparing a rebuilt one with the original. */
function describeConstraint(c: Constraint): unknown {
  const o = c as unknown as Record<string, unknown>;
  const parts: Record<string, unknown> = { class: Object.getPrototypeOf(c), name: c.name, eventDim: c.eventDim };
  for (const k of ["lower", "upper", "totalCount", "reinterpretedBatchNdims"]) {
    const v = o[k];
    if (v !== undefined) parts[k] = typeof v === "number" ? v : { shape: (v as Tensor).shape, values: Array.from(ops.toFlat(v as Tensor)) };
  }
  if (o.base !== undefined) parts.base = describeConstraint(o.base as Constraint);
  return parts;
}

/** Encodes `c`, sends it through JSON text, validates and rebuilds it. */
function roundTrip(c: Constraint): Constraint {
  const json: unknown = JSON.parse(JSON.stringify(constraintCodecs.encode(c, ops as Ops)));
  const decoded = constraintCodecs.codec.decode(json);
  if (decoded._tag === "Left") assert.fail(JSON.stringify(problemsOf(decoded.left)));
  return constraintCodecs.build(decoded.right, ops as Ops);
}

describe("constraint codecs", () => {
  it("every constraint value of dist.constraints round-trips to the same object", () =>
    pyroBackend("numpy", () => {
      for (const [name, value] of Object.entries(constraints)) {
        if (typeof value === "function") continue;
        assert.deepEqual(constraintCodecs.encode(value as Constraint, ops as Ops), { name }, name);
        assert.equal(roundTrip(value as Constraint), value, name);
      }
    }));

  it("every constraint constructor of dist.constraints round-trips to an equal constraint", () =>
    pyroBackend("numpy", () => {
      const constructors = Object.entries(constraints).filter(([, v]) => typeof v === "function").map(([k]) => k).sort();
      // A new constructor in dist.constraints must get a codec and an example here.
      assert.deepEqual(Object.keys(CONSTRUCTED).sort(), constructors);
      for (const [name, make] of Object.entries(CONSTRUCTED)) {
        const c = make();
        const back = roundTrip(c);
        assert.notEqual(back, c);
        assert.deepEqual(describeConstraint(back), describeConstraint(c), name);
      }
      assert.deepEqual(constraintCodecs.encode(constraints.independent(constraints.positive, 1), ops as Ops), {
        name: "independent", base: { name: "positive" }, reinterpretedBatchNdims: 1,
      });
    }));

  it("saves tensor bounds as { shape, values } and rebuilds them in the backend", () => {
    for (const backend of ["numpy", "pyro"] as const) {
      pyroBackend(backend, () => {
        const c = constraints.interval(ops.tensor([0, -1.5]), ops.tensor([[2, 3], [4, 5]]));
        const json = constraintCodecs.encode(c, ops as Ops);
        assert.deepEqual(json, { name: "interval", lower: { shape: [2], values: [0, -1.5] }, upper: { shape: [2, 2], values: [[2, 3], [4, 5]] } });
        assert.deepEqual(describeConstraint(roundTrip(c)), describeConstraint(c));
      });
    }
  });

  it("a fresh instance of a parameterless constraint class saves under that constraint's name", () =>
    pyroBackend("numpy", () => {
      assert.deepEqual(constraintCodecs.encode(new Simplex(), ops as Ops), { name: "simplex" });
      assert.equal(roundTrip(new Simplex()), constraints.simplex);
    }));

  it("knows every member of dist.constraints by name", () => {
    const names = new Set(constraintCodecs.names());
    for (const k of Object.keys(constraints)) assert.ok(names.has(k), `registry lacks ${k}`);
  });

  it("rejects an unknown name at its path, listing the known constraints", () => {
    const r = constraintCodecs.codec.decode({ name: "independent", base: { name: "postive" }, reinterpretedBatchNdims: 1 });
    assert.equal(r._tag, "Left");
    const problems = r._tag === "Left" ? problemsOf(r.left) : [];
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, "base.name");
    assert.equal(problems[0]!.message, `unknown constraint "postive"; known constraints: ${constraintCodecs.names().join(", ")}`);
  });

  it("rejects bad parameters at their paths", () => {
    const r = constraintCodecs.codec.decode({ name: "interval", lower: "0", upper: { shape: [2], values: [1] } });
    const problems = r._tag === "Left" ? problemsOf(r.left) : [];
    assert.deepEqual(problems, [
      { path: "lower", message: 'expected a number or an object { shape, values }, got "0"' },
      { path: "upper.values", message: "expected a number array of 2 elements, got an array of 1 element" },
    ]);
    const r2 = constraintCodecs.codec.decode({ name: "independent", base: { name: "real" }, reinterpretedBatchNdims: -1 });
    assert.deepEqual(r2._tag === "Left" ? problemsOf(r2.left) : [], [
      { path: "reinterpretedBatchNdims", message: "expected a nonnegative integer, got -1" },
    ]);
  });

  it("refuses to save a constraint of an unregistered class, naming it", () =>
    pyroBackend("numpy", () => {
      class Even extends BaseConstraint {
        constructor() {
          super("even", "an even integer", 0, true);
        }
        check(o: Ops, value: TensorLike): Tensor {
          return o.eq(o.sub(value, o.mul(o.floor(o.div(value, 2)), 2)), 0);
        }
      }
      assert.throws(() => constraintCodecs.encode(new Even(), ops as Ops), (e: unknown) =>
        e instanceof ConstraintEncodeError && /cannot save constraint even: no codec is registered for its class \(known constraints: boolean,/.test(e.message));
      // Bounds must be finite: JSON has no Infinity.
      const b: Bound = Number.POSITIVE_INFINITY;
      assert.throws(() => constraintCodecs.encode(constraints.lessThan(b), ops as Ops), ConstraintEncodeError);
    }));
});
