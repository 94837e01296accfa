// pyro.data(codec, value): external data decoded once at the boundary, with path-precise errors,
// named dims that must agree across fields, and tensors of the current backend.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as t from "io-ts/lib/index.js";
import { codecs, dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { DataCodecError, HostTensor } from "../../src/codecs/data.js";
import { DataDecodeError, decodeData } from "../../src/primitives/data.js";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";

const Schools = t.type({
  J: t.number,
  y: codecs.tensor(["J"]),
  sigma: codecs.tensor(["J"], { min: 0, minExclusive: true }),
});

const Regression = t.type({
  x: codecs.matrix("N", 2),
  y: codecs.vector("N", { integer: true, min: 0, max: 1 }),
});

/** The message of the error `f` throws. */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DataDecodeError, `expected DataDecodeError, got ${(e as Error).name}`);
    return e.message;
  }
  assert.fail("expected an error");
}

describe("pyro.data: decoding model data", () => {
  for (const backend of ["pyro", "numpy"]) {
    it(`returns tensors of the current backend, typed [${backend}]`, () =>
      pyroBackend(backend, () => {
        const d = pyro.data(Schools, { J: 3, y: [28, 8, -3], sigma: [15, 10, 16] });
        const y: Tensor = d.y; // the type says Tensor (a HostTensor would not compile here)
        assert.equal(d.J, 3);
        assert.deepEqual(ops.toArray(y), [28, 8, -3]);
        assert.deepEqual(d.sigma.shape, [3]);
        // The tensors work in a model on this backend.
        const model = pyro.model(function* () {
          yield* pyro.plate("J", d.J, function* () {
            yield* pyro.sample("obs", dist.Normal(0, d.sigma), { obs: d.y });
          });
        });
        assert.ok(Number.isFinite(ops.item(handlers.trace(model).getTrace().logProbSum(ops))));
      }));
  }

  it("every bad element, shape and field is reported with its path", () =>
    pyroBackend("numpy", () => {
      assert.equal(
        messageOf(() => pyro.data(Schools, { J: "3", y: [28, null, -3], sigma: [15, -10, 16] })),
        'pyro.data:\n  J: expected number, got "3"\n  y[1]: expected a finite number, got null\n  sigma[1]: expected a finite number > 0, got -10',
      );
      assert.equal(
        messageOf(() => pyro.data(Regression, { x: [[1, 2], [3], [5, 6]], y: [0, 1, 1] })),
        "pyro.data: x[1]: expected an array of 2 elements, got an array of 1 element",
      );
      assert.equal(
        messageOf(() => pyro.data(Regression, { x: [[1, 2], [3, 4]], y: [0, 2] }, { source: "pyro.data(logreg.json)" })),
        "pyro.data(logreg.json): y[1]: expected an integer in [0, 1], got 2",
      );
      assert.equal(messageOf(() => pyro.data(Schools, { J: 1, y: 5, sigma: [1] })), "pyro.data: y: expected an array (dim 0 of shape [J]), got 5");
      assert.equal(messageOf(() => pyro.data(Schools, { J: 1, sigma: [1] })), "pyro.data: y: expected an array (dim 0 of shape [J]), got undefined (missing)");
      assert.equal(
        messageOf(() => pyro.data(codecs.matrix(null, null), [[1, 2, 3], [4, 5]])),
        "pyro.data: [1]: expected an array of 3 elements (like its first sibling), got an array of 2 elements",
      );
    }));

  it("a named dim must have one size across the value", () =>
    pyroBackend("pyro", () => {
      assert.equal(
        messageOf(() => pyro.data(Schools, { J: 3, y: [28, 8, -3], sigma: [15, 10] })),
        "pyro.data: sigma: expected dim 0 (J) of size 3 as at y, got 2",
      );
      assert.equal(
        messageOf(() => pyro.data(Regression, { x: [[1, 2], [3, 4], [5, 6]], y: [0, 1] })),
        "pyro.data: y: expected dim 0 (N) of size 3 as at x, got 2",
      );
      const Nested = t.type({ groups: t.array(t.type({ obs: codecs.vector("K") })) });
      assert.equal(
        messageOf(() => pyro.data(Nested, { groups: [{ obs: [1, 2] }, { obs: [3] }] })),
        "pyro.data: groups[1].obs: expected dim 0 (K) of size 2 as at groups[0].obs, got 1",
      );
    }));

  it("scalars, typed arrays, NaN and Infinity", () =>
    pyroBackend("numpy", () => {
      const d = pyro.data(t.type({ s: codecs.scalar({ min: 0 }), v: codecs.vector(3) }), { s: 2.5, v: Float64Array.of(1, 2, 3) });
      assert.deepEqual(d.s.shape, []);
      assert.equal(ops.item(d.s), 2.5);
      assert.deepEqual(ops.toArray(d.v), [1, 2, 3]);
      assert.equal(messageOf(() => pyro.data(codecs.vector(2), [1, Number.NaN])), "pyro.data: [1]: expected a finite number, got NaN");
      assert.equal(messageOf(() => pyro.data(codecs.vector(2), [1, Infinity])), "pyro.data: [1]: expected a finite number, got Infinity");
      assert.equal(messageOf(() => pyro.data(codecs.vector(2), [1, 2, 3])), "pyro.data: expected an array of 2 elements, got an array of 3 elements");
    }));

  it("decodeData works with any Ops; codecs encode back to nested arrays; a bad declaration is a DataCodecError", () => {
    const d = decodeData(ndarrayOps as unknown as Ops, Regression, { x: [[1, 2]], y: [1] });
    assert.deepEqual(d.x.shape, [1, 2]);
    const r = Regression.decode({ x: [[1, 2], [3, 4]], y: [0, 1] });
    assert.ok(r._tag === "Right" && r.right.x instanceof HostTensor);
    if (r._tag === "Right") assert.deepEqual(Regression.encode(r.right), { x: [[1, 2], [3, 4]], y: [0, 1] });
    assert.throws(() => codecs.tensor([-1]), DataCodecError);
  });

  it("minipyro has no pyro.data: NotImplementedError", () =>
    pyroBackend("minipyro", () => {
      assert.throws(() => pyro.data, /does not implement pyro.data \(backend: minipyro\)/);
    }));
});
