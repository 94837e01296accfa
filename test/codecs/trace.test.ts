// A trace's values as JSON (issue 7, item 2): saved, loaded in another run (or process) and replayed
// bit for bit; a corrupt file fails with a path-precise TraceDecodeError before anything is built.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { TraceDecodeError, traceFromJSON, traceToJSON, traceValues } from "../../src/codecs/trace.js";

const model = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  const scale = yield* pyro.sample("scale", dist.HalfNormal(2), { infer: { note: "kept" } as never });
  yield* pyro.plate("data", y.shape[0]!, { subsampleSize: 2 }, function* () {
    const batch = yield* pyro.subsample(y, { eventDim: 0 });
    yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: batch });
  });
});

describe("trace JSON", () => {
  for (const backend of ["pyro", "numpy"]) {
    it(`a saved trace replays bit for bit, plate subsample indices included [${backend}]`, () =>
      pyroBackend(backend, () => {
        const y = ops.tensor([1, 2, 3, 4, 5]);
        const original = handlers.seed(3, () => handlers.trace(model).getTrace(y));
        const text = JSON.stringify(traceToJSON(ops, original));
        const loaded = traceFromJSON(ops, JSON.parse(text));
        assert.deepEqual([...loaded.nodes.keys()], [...original.nodes.keys()]);
        // A different seed would draw other values; replay restores the saved ones.
        const replayed = handlers.seed(99, () => handlers.trace(handlers.replay(model, { trace: loaded })).getTrace(y));
        for (const name of ["loc", "scale", "data"]) {
          assert.deepEqual(ops.toArray(replayed.nodes.get(name)!.value!), ops.toArray(original.nodes.get(name)!.value!), name);
        }
        assert.equal(ops.item(replayed.logProbSum(ops)), ops.item(original.logProbSum(ops)));
        const values = traceValues(ops, JSON.parse(text));
        assert.deepEqual(Object.keys(values), ["loc", "scale", "data", "obs"]);
        const conditioned = handlers.trace(handlers.condition(model, { loc: values.loc!, scale: values.scale! })).getTrace(y);
        assert.equal(ops.item(conditioned.nodes.get("loc")!.value!), ops.item(original.nodes.get("loc")!.value!));
      }));
  }

  it("a corrupt trace fails with every problem at its path", () =>
    pyroBackend("numpy", () => {
      const message = (u: unknown): string => {
        try {
          traceFromJSON(ops, u, "load(trace.json)");
        } catch (e) {
          assert.ok(e instanceof TraceDecodeError);
          return e.message;
        }
        return "decoded";
      };
      const ok = { format: "pyroapi/trace", version: 1, dtype: "float64", sites: [{ name: "x", type: "sample", observed: false, value: { shape: [2], values: [1, 2] } }] };
      assert.equal(message(ok), "decoded");
      assert.equal(message([]), "load(trace.json): expected a saved trace { format, version, dtype, sites }, got []");
      assert.equal(message({ ...ok, version: 2 }), "load(trace.json): version: expected 1, got 2");
      assert.equal(
        message({ ...ok, sites: [{ name: "x", type: "sample", observed: false, value: { shape: [2], values: [1, "b"] } }] }),
        'load(trace.json): sites[0].value.values[1]: expected a finite number, got "b"',
      );
      assert.equal(
        message({ ...ok, sites: [...ok.sites, { ...ok.sites[0], type: "plate" }] }),
        'load(trace.json): sites[1].type: expected "sample" or "param", got "plate"',
      );
      assert.equal(message({ ...ok, sites: [...ok.sites, ok.sites[0]] }), 'load(trace.json): sites[1].name: expected a site name not used before, got "x" again');
    }));
});
