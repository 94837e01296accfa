// handlers.inferConfig (Pyro's poutine.infer_config).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, pyro, pyroBackend } from "../../src/index.js";
import { InferConfigError } from "../../src/handlers/infer-config.js";

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.inferConfig (${backend})`, () => {
    const model = pyro.model(function* () {
      yield* pyro.param("p", 0.5);
      yield* pyro.sample("a", dist.Bernoulli(0.5), { infer: { keep: 1 } });
      yield* pyro.sample("b", dist.Normal(0, 1));
    });

    it("merges configFn(site) into the infer of sample and param sites", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const configured = handlers.inferConfig(model, {
          configFn: (msg) => (msg.fn?.support.isDiscrete ? { enumerate: "parallel" } : { tag: msg.name }),
        });
        const tr = handlers.trace(configured).getTrace();
        assert.deepEqual(tr.get("a")!.infer, { keep: 1, enumerate: "parallel" });
        assert.deepEqual(tr.get("b")!.infer, { tag: "b" });
        assert.deepEqual(tr.get("p")!.infer, { tag: "p" });
      }));

    it("does not mutate the infer of a replayed trace", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const recorded = handlers.trace(model).getTrace();
        const replayed = handlers.inferConfig(handlers.replay(model, { trace: recorded }), { configFn: () => ({ extra: true }) });
        const tr = handlers.trace(replayed).getTrace();
        assert.equal(tr.get("a")!.infer.extra, true);
        assert.equal(recorded.get("a")!.infer.extra, undefined);
      }));

    it("rejects a configFn that is not a function or returns a non-object", () =>
      inBackend(() => {
        assert.throws(() => handlers.inferConfig(model, { configFn: 1 as never }), InferConfigError);
        const bad = handlers.inferConfig({ configFn: () => null as never })(model);
        assert.throws(() => handlers.trace(bad).getTrace(), (e: unknown) => e instanceof InferConfigError && /'p'/.test(e.message));
      }));
  });
}
