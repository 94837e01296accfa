// pyro.markov: runs its steps, annotates sites with what they can see, and
// lets enumeration recycle dims along a chain.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, PrimitiveArgumentError, type Tensor } from "../../src/index.js";
import { enumerate } from "../../src/handlers/enumerate.js";
import { MARKOV_DEPTH_KEY, MARKOV_SCOPE_KEY } from "../../src/handlers/markov.js";

const chain = (history: number, steps: number) =>
  pyro.model(function* () {
    let x: Tensor | undefined;
    const ys = yield* pyro.markov(steps, { history }, function* (t) {
      const probs = x === undefined ? ops.tensor([0.5, 0.5]) : ops.index(ops.tensor([[0.9, 0.1], [0.2, 0.8]]), x);
      x = yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } });
      yield* pyro.sample(`y_${t}`, dist.Normal(x, 1), { obs: t / 10 });
      return t * 2;
    });
    return ys;
  });

for (const backend of ["numpy", "pyro"] as const) {
  describe(`pyro.markov (${backend})`, () => {
    it("runs the body once per step, in order, and returns the results", () =>
      pyroBackend(backend, () => {
        const tr = handlers.trace(chain(1, 4)).getTrace();
        assert.deepEqual(tr.returnValue, [0, 2, 4, 6]);
        assert.deepEqual([...tr.nodes.keys()], ["x_0", "y_0", "x_1", "y_1", "x_2", "y_2", "x_3", "y_3"]);
        // Without enumeration the values are ordinary draws.
        assert.deepEqual(tr.get("x_3")!.value!.shape, []);
      }));

    it("takes an array of step values", () =>
      pyroBackend(backend, () => {
        const m = pyro.model(function* () {
          return yield* pyro.markov(["a", "b"], function* (v) {
            yield* pyro.sample(`z_${v}`, dist.Normal(0, 1));
            return v.toUpperCase();
          });
        });
        const tr = handlers.trace(m).getTrace();
        assert.deepEqual(tr.returnValue, ["A", "B"]);
        assert.ok(tr.get("z_b") !== undefined);
      }));

    it("records each site's visible markov scope and depth", () =>
      pyroBackend(backend, () => {
        const tr = handlers.trace(chain(1, 4)).getTrace();
        const scope = (name: string) => Object.fromEntries(tr.get(name)!.infer[MARKOV_SCOPE_KEY] as Map<string, number>);
        assert.deepEqual(scope("x_0"), {});
        assert.deepEqual(scope("y_0"), { x_0: 1 });
        // History 1: step 3 sees step 2 and what came before it in step 3.
        assert.deepEqual(scope("x_3"), { x_2: 1, y_2: 1 });
        assert.deepEqual(scope("y_3"), { x_2: 1, y_2: 1, x_3: 1 });
        assert.equal(tr.get("y_3")!.infer[MARKOV_DEPTH_KEY], 1);
        const tr2 = handlers.trace(chain(2, 4)).getTrace();
        assert.deepEqual(Object.keys(Object.fromEntries(tr2.get("x_3")!.infer[MARKOV_SCOPE_KEY] as Map<string, number>)).sort(), [
          "x_1", "x_2", "y_1", "y_2",
        ]);
      }));

    it("in the single-body form, runs the body in one context", () =>
      pyroBackend(backend, () => {
        const m = pyro.model(function* () {
          return yield* pyro.markov(function* () {
            const a = yield* pyro.sample("a", dist.Normal(0, 1));
            yield* pyro.sample("b", dist.Normal(a, 1));
            return "done";
          });
        });
        const tr = handlers.trace(m).getTrace();
        assert.equal(tr.returnValue, "done");
        assert.deepEqual(Object.fromEntries(tr.get("b")!.infer[MARKOV_SCOPE_KEY] as Map<string, number>), { a: 1 });
      }));

    it("lets enumeration recycle history + 1 dims along the chain", () =>
      pyroBackend(backend, () => {
        // The rank of an enumerated value tells its dim: [2] is dim -1, [2, 1] dim -2, [2, 1, 1] dim -3.
        const ranks = (history: number): number[] => {
          const tr = handlers.trace(enumerate(chain(history, 7), { firstAvailableDim: -1 })).getTrace();
          return Array.from({ length: 7 }, (_, t) => tr.get(`x_${t}`)!.value!.shape.length);
        };
        assert.deepEqual(ranks(1), [1, 2, 1, 2, 1, 2, 1]);
        assert.deepEqual(ranks(2), [1, 2, 3, 1, 2, 3, 1]);
        // Each observation's log-density spans only the dims of the variables it can see.
        const tr = handlers.trace(enumerate(chain(1, 7), { firstAvailableDim: -1 })).getTrace();
        const y6 = tr.get("y_6")!;
        assert.deepEqual(y6.fn!.logProb(y6.value!).shape, [2]);
      }));

    it("rejects a negative history and malformed arguments", () =>
      pyroBackend(backend, () => {
        assert.throws(() => pyro.markov(3, { history: -1 }, function* () {}), PrimitiveArgumentError);
        assert.throws(() => pyro.markov(1.5, function* () {}), PrimitiveArgumentError);
        assert.throws(() => pyro.markov(3, {} as never), PrimitiveArgumentError);
        assert.throws(() => pyro.markov("x" as never), PrimitiveArgumentError);
      }));
  });
}
