// handlers.lift (Pyro's poutine.lift): params become sample sites of a prior.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { LiftError } from "../../src/handlers/lift.js";

const num = (t: unknown): number => ops.item(t as Tensor);

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.lift (${backend})`, () => {
    const regression = pyro.model(function* (x: number) {
      const w = yield* pyro.param("weight", 0.5);
      const b = yield* pyro.param("bias", 0.1);
      yield* pyro.sample("y", dist.Normal(ops.add(ops.mul(w, x), b), 1), { obs: 2 });
      return { w, b };
    });

    it("one distribution lifts every param to a latent sample site drawn from it", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const tr = handlers.trace(handlers.lift(regression, { prior: dist.Normal(100, 1e-3) })).getTrace(1);
        for (const name of ["weight", "bias"]) {
          const site = tr.get(name)!;
          assert.equal(site.type, "sample");
          assert.equal(site.isObserved, false);
          // A draw from N(100, 1e-3), not the param's initial value.
          assert.ok(Math.abs(num(site.value) - 100) < 0.01, `${name} = ${num(site.value)}`);
        }
        const { w, b } = tr.returnValue as { w: Tensor; b: Tensor };
        assert.equal(num(w), num(tr.get("weight")!.value));
        assert.equal(num(b), num(tr.get("bias")!.value));
        // y's density uses the lifted values; the weight's prior density is in the log joint.
        assert.deepEqual(tr.sampleNodes().map((n) => n.name), ["weight", "bias", "y"]);
        assert.ok(tr.paramNodes().length === 0);
      }));

    it("an object of priors lifts only the params it names; a function chooses per param", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const byName = handlers.trace(handlers.lift(regression, { prior: { weight: dist.Normal(-50, 1e-3) } })).getTrace(1);
        assert.equal(byName.get("weight")!.type, "sample");
        assert.ok(Math.abs(num(byName.get("weight")!.value) + 50) < 0.01);
        assert.equal(byName.get("bias")!.type, "param");
        assert.ok(Math.abs(num(byName.get("bias")!.value) - 0.1) < 1e-6);

        const chosen = handlers
          .trace(handlers.lift(regression, { prior: (msg) => (msg.name === "bias" ? dist.Normal(7, 1e-3) : undefined) }))
          .getTrace(1);
        assert.equal(chosen.get("weight")!.type, "param");
        assert.equal(chosen.get("bias")!.type, "sample");
        assert.ok(Math.abs(num(chosen.get("bias")!.value) - 7) < 0.01);
      }));

    it("a repeated param statement in one run reuses the first draw, hidden from outer handlers", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const twice = pyro.model(function* () {
          const a = yield* pyro.param("p", 0);
          const b = yield* pyro.param("p", 0);
          return [a, b] as const;
        });
        const tr = handlers.trace(handlers.lift(twice, { prior: dist.Normal(0, 1) })).getTrace();
        const [a, b] = tr.returnValue as readonly [Tensor, Tensor];
        assert.equal(num(a), num(b));
        assert.deepEqual([...tr.nodes.keys()], ["p"]);
      }));

    it("names a prior entry no param used (validation on), and rejects priors of the wrong kind", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const typo = handlers.lift(regression, { prior: { wieght: dist.Normal(0, 1) } });
        assert.throws(
          () => handlers.trace(typo).getTrace(1),
          (e: unknown) => e instanceof LiftError && /'wieght'/.test(e.message) && /'weight'/.test(e.message),
        );
        assert.throws(() => handlers.lift(regression, { prior: 3 as never }), LiftError);
        assert.throws(() => handlers.lift(regression, { prior: { weight: 1 } as never }), LiftError);
      }));

    it("the data-last form lifts too, and the lifted names join the site record", () =>
      inBackend(() => {
        pyro.clearParamStore();
        const lifted = handlers.lift({ prior: { weight: dist.Normal(3, 1e-3) } })(regression);
        // "weight" is a site of the lifted model's type, so condition accepts it.
        const tr = handlers.trace(handlers.condition(lifted, { weight: 2 })).getTrace(1);
        assert.equal(tr.get("weight")!.isObserved, true);
        assert.equal(num((tr.returnValue as { w: Tensor }).w), 2);
      }));
  });
}
