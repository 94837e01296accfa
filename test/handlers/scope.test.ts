// handlers.scope (Pyro's pyro.contrib.autoname.scope): prefixed site names.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { ScopeArgumentError } from "../../src/handlers/scope.js";

const num = (t: unknown): number => ops.item(t as Tensor);

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.scope (${backend})`, () => {
    const model = pyro.model(function* () {
      const s = yield* pyro.param("s", 1);
      const x = yield* pyro.sample("x", dist.Normal(0, s));
      yield* pyro.plate("data", 3, function* () {
        yield* pyro.sample("y", dist.Normal(x, 1));
      });
      return x;
    });

    it("prefixes sample sites (and plate index sites), not params; scopes nest outer first", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const tr = handlers.trace(handlers.scope(model, { prefix: "a" })).getTrace();
        assert.deepEqual([...tr.nodes.keys()], ["s", "a/x", "a/data", "a/y"]);
        // The plate keeps its own name in the plate stack.
        assert.deepEqual(tr.get("a/y")!.condIndepStack.map((f) => f.name), ["data"]);
        const nested = handlers.trace(handlers.scope(handlers.scope(model, { prefix: "a" }), { prefix: "b" })).getTrace();
        assert.deepEqual([...nested.nodes.keys()], ["s", "b/a/x", "b/a/data", "b/a/y"]);
      }));

    it("the site record is renamed: condition takes the prefixed names", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const scoped = handlers.scope({ prefix: "enc" })(model);
        const tr = handlers.trace(handlers.condition(scoped, { "enc/x": 2 })).getTrace();
        assert.equal(tr.get("enc/x")!.isObserved, true);
        assert.equal(num(tr.returnValue), 2);
        // @ts-expect-error: "x" is not a site of the scoped model
        handlers.condition(scoped, { x: 2 });
      }));

    it("rejects an empty prefix or a non-boolean inner", () =>
      inBackend(() => {
        assert.throws(() => handlers.scope(model, { prefix: "" }), ScopeArgumentError);
        assert.throws(() => handlers.scope(model, { prefix: "a", inner: "yes" as never }), ScopeArgumentError);
      }));
  });
}
