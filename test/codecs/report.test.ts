// Path-precise decode reports.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as t from "io-ts/lib/index.js";
import { DecodeError, describeJSON, joinPath, problemsOf } from "../../src/codecs/report.js";
import { nestFlat, TensorJSONC, flattenNested } from "../../src/codecs/tensor-values.js";

const decodeProblems = <A>(codec: t.Decoder<unknown, A>, u: unknown) => {
  const r = codec.decode(u);
  return r._tag === "Left" ? problemsOf(r.left) : [];
};

describe("decode reports", () => {
  it("paths use .key for identifiers, [\"key\"] otherwise, [i] for array elements, and skip union branches", () => {
    const codec = t.type({ params: t.record(t.string, t.array(t.union([t.number, t.null]))) });
    assert.deepEqual(decodeProblems(codec, { params: { ok: [1], "a.b": [1, "x"] } }).map((p) => p.path), ['params["a.b"][1]', 'params["a.b"][1]']);
    assert.equal(joinPath(["params", "a.b", "shape"]), 'params["a.b"].shape');
    assert.equal(joinPath(["version"]), "version");
  });

  it("a failure without a custom message reads `expected <type>, got <value>`", () => {
    assert.deepEqual(decodeProblems(t.type({ n: t.number }), { n: "3" }), [{ path: "n", message: 'expected number, got "3"' }]);
    assert.equal(describeJSON(undefined), "undefined (missing)");
    assert.equal(describeJSON(Array.from({ length: 100 }, (_, i) => i)), "an array of 100 elements");
    assert.equal(describeJSON(Number.NaN), "NaN");
  });

  it("tensors as JSON check every element against the shape", () => {
    assert.deepEqual(decodeProblems(TensorJSONC, { shape: [2, 2], values: [[1, 2], [3, "4"]] }), [
      { path: "values[1][1]", message: 'expected a finite number, got "4"' },
    ]);
    assert.deepEqual(decodeProblems(TensorJSONC, { shape: [2, -1], values: [] })[0]!.path, "shape[1]");
    assert.deepEqual(nestFlat([1, 2, 3, 4, 5, 6], [2, 3]), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(nestFlat([7], []), 7);
    assert.deepEqual(nestFlat([], [2, 0]), [[], []]);
    assert.deepEqual(flattenNested([[1, 2, 3], [4, 5, 6]]), [1, 2, 3, 4, 5, 6]);
  });

  it("DecodeError lists up to five problems, each on its own line, after the source", () => {
    const one = new DecodeError("load(\"f\")", [{ path: "a", message: "expected x, got y" }]);
    assert.equal(one.message, 'load("f"): a: expected x, got y');
    const many = new DecodeError("src", Array.from({ length: 7 }, (_, i) => ({ path: `p${i}`, message: "bad" })));
    assert.equal(many.message, "src:\n  p0: bad\n  p1: bad\n  p2: bad\n  p3: bad\n  p4: bad\n  ... and 2 more");
  });
});
