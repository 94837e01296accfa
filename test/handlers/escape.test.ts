// handlers.escape (Pyro's poutine.escape / NonlocalExit): leaving a run at a site.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { EscapeArgumentError, NonlocalExit } from "../../src/handlers/escape.js";
import { handlerScope } from "../../src/handlers/interpreter.js";
import { TraceHandler } from "../../src/handlers/trace.js";
import { scoped } from "../../src/program/program.js";

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.escape (${backend})`, () => {
    const after: string[] = [];
    const model = pyro.model(function* () {
      try {
        const a = yield* pyro.sample("a", dist.Normal(0, 1));
        yield* pyro.plate("data", 2, function* () {
          yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { enumerate: "sequential" } });
        });
        after.push("reached the end");
        return yield* pyro.sample("c", dist.Normal(a, 1));
      } finally {
        after.push("finally");
      }
    });
    // Pyro's discrete_escape: leave at the first site marked for sequential enumeration.
    const escapeAtDiscrete = (msg: { infer: { enumerate?: string } }) => msg.infer.enumerate === "sequential";

    it("throws NonlocalExit carrying the site's message, before the site is drawn", () =>
      inBackend(() => {
        after.length = 0;
        const escaped = handlers.escape(model, { escapeFn: (msg) => msg.name === "z" });
        let exit: unknown;
        try {
          pyro.run(escaped());
        } catch (e) {
          exit = e;
        }
        assert.ok(exit instanceof NonlocalExit);
        assert.equal(exit.site.name, "z");
        assert.equal(exit.site.value, null);
        assert.equal(exit.site.fn?.name, "Bernoulli");
        assert.deepEqual(exit.site.condIndepStack.map((f) => f.name), ["data"]);
        assert.equal(exit.site.infer.enumerate, "sequential");
        assert.match(exit.message, /'z'/);
        // The model's finally block ran; its code after the site did not.
        assert.deepEqual(after, ["finally"]);
      }));

    it("a trace outside keeps the partial trace; a trace inside also records the escaped site", () =>
      inBackend(() => {
        const outer = new TraceHandler();
        const inner = new TraceHandler();
        const innerTraced = () => scoped(handlerScope(() => inner), () => model());
        const program = scoped(handlerScope(() => outer), () => handlers.escape(innerTraced, { escapeFn: escapeAtDiscrete })());
        assert.throws(() => pyro.run(program), (e: unknown) => e instanceof NonlocalExit && e.site.name === "z");
        assert.deepEqual([...outer.trace.nodes.keys()], ["a", "data"]);
        assert.deepEqual([...inner.trace.nodes.keys()], ["a", "data", "z"]);
        assert.equal(inner.trace.get("z")!.value, null);
      }));

    it("runs to the end when escapeFn never fires; rejects a non-function escapeFn", () =>
      inBackend(() => {
        const tr = handlers.trace(handlers.escape({ escapeFn: () => false })(model)).getTrace();
        assert.deepEqual([...tr.nodes.keys()], ["a", "data", "z", "c"]);
        assert.ok(Number.isFinite(ops.item(tr.returnValue as Tensor)));
        assert.throws(() => handlers.escape(model, { escapeFn: "z" as never }), EscapeArgumentError);
      }));
  });
}
