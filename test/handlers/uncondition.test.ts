// handlers.uncondition (Pyro's poutine.uncondition): observed sites are sampled.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";

const num = (t: unknown): number => ops.item(t as Tensor);

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.uncondition (${backend})`, () => {
    const model = pyro.model(function* () {
      const z = yield* pyro.sample("z", dist.Normal(0, 1));
      const x = yield* pyro.sample("x", dist.Normal(ops.add(z, 100), 1), { obs: 0.25 });
      yield* pyro.deterministic("twice", ops.mul(x, 2));
      return x;
    });

    it("samples observed sites, keeping the observation in infer.obs", () =>
      inBackend(() => {
        const tr = handlers.trace(handlers.uncondition(handlers.condition(model, { z: -100 }))).getTrace();
        const z = tr.get("z")!;
        const x = tr.get("x")!;
        for (const [site, obs] of [[z, -100], [x, 0.25]] as const) {
          assert.equal(site.isObserved, false, site.name);
          assert.equal(site.infer.wasObserved, true);
          assert.equal(num(site.infer.obs), obs);
        }
        // z ~ N(0, 1) and x ~ N(z + 100, 1): far from the observations.
        assert.ok(Math.abs(num(z.value)) < 6);
        assert.ok(Math.abs(num(x.value) - num(z.value) - 100) < 6);
        // Downstream code sees the drawn value.
        assert.equal(num(tr.returnValue), num(x.value));
        // A deterministic site is drawn from its point mass: the same value, now latent.
        assert.equal(num(tr.get("twice")!.value), 2 * num(x.value));
        assert.equal(tr.get("twice")!.isObserved, false);
      }));

    it("leaves a plate's given subsample indices alone (Pyro records no site for them)", () =>
      inBackend(() => {
        const m = pyro.model(function* () {
          return yield* pyro.plate("data", 10, { subsample: [7, 3] }, function* (idx) {
            yield* pyro.sample("obs", dist.Normal(0, 1), { obs: ops.zeros([2]) });
            return idx;
          });
        });
        const tr = handlers.trace(handlers.uncondition()(m)).getTrace();
        assert.deepEqual(Array.from(ops.toFlat(tr.returnValue as Tensor)), [7, 3]);
        assert.equal(tr.get("data")!.isObserved, true);
        assert.equal(tr.get("obs")!.isObserved, false);
      }));
  });
}
