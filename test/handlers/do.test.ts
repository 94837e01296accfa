// handlers.do (Pyro's poutine.do): interventions, on the pyro and numpy backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { DoArgumentError } from "../../src/handlers/do.js";
import { TraceHandler } from "../../src/handlers/trace.js";
import { handlerScope } from "../../src/handlers/interpreter.js";
import { scoped } from "../../src/program/program.js";

const num = (t: unknown): number => ops.item(t as Tensor);

for (const backend of ["pyro", "numpy"] as const) {
  const inBackend = <A>(body: () => A): A => pyroBackend(backend, body);

  describe(`handlers.do (${backend})`, () => {
    // Pyro's test_counterfactual_query: x -> y -> z -> w, every combination of
    // intervening and observing, with do inside or outside condition.
    const observations: Record<string, number | null> = { x: 1, y: null, z: 1, w: 1 };
    const interventions: Record<string, number | null> = { x: null, y: 0, z: 2, w: 1 };
    const chain = pyro.model(function* () {
      const x = yield* pyro.sample("x", dist.Normal(0, 1));
      const y = yield* pyro.sample("y", dist.Normal(0, 1));
      const z = yield* pyro.sample("z", dist.Normal(0, 1));
      const w = yield* pyro.sample("w", dist.Normal(0, 1));
      return { x, y, z, w } as Record<string, Tensor>;
    });
    type Values = Partial<Record<"x" | "y" | "z" | "w", number>>;
    // Pyro's None entries mean "no intervention / not observed".
    const defined = (d: Record<string, number | null>): Values =>
      Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null)) as Values;

    for (const [intervene, observe, flip] of [
      [true, false, false],
      [false, true, false],
      [true, true, false],
      [true, true, true],
    ] as const) {
      it(`counterfactual query: intervene=${intervene} observe=${observe} doOutside=${flip}`, () =>
        inBackend(() => {
          let m = chain;
          if (!flip) {
            if (intervene) m = handlers.do(m, { data: defined(interventions) });
            if (observe) m = handlers.condition(m, defined(observations));
          } else {
            m = handlers.do(handlers.condition(m, defined(observations)), { data: defined(interventions) });
          }
          const tr = handlers.trace(m).getTrace();
          const returned = tr.returnValue as Record<string, Tensor>;
          for (const name of ["x", "y", "z", "w"]) {
            const site = tr.get(name)!;
            const obs = observations[name]!;
            const iv = interventions[name]!;
            if (!intervene && observe) {
              if (obs !== null) {
                assert.equal(site.isObserved, true);
                assert.equal(num(returned[name]), obs);
                assert.equal(num(site.value), obs);
              }
            } else if (intervene && !observe) {
              assert.equal(site.isObserved, false, name);
              if (iv !== null) assert.equal(num(returned[name]), iv);
              // The recorded site is a fresh draw from N(0, 1): it equals neither value (probability 0).
              assert.notEqual(num(site.value), obs);
              assert.notEqual(num(site.value), iv);
            } else {
              if (obs !== null) {
                assert.equal(site.isObserved, true);
                assert.equal(num(site.value), obs);
              }
              if (iv !== null) assert.equal(num(returned[name]), iv);
              if (iv !== obs && iv !== null && obs === null) assert.notEqual(num(site.value), iv);
            }
            // The renamed, intervened original never reaches an outer handler.
            assert.equal(tr.get(`${name}__CF`), undefined);
          }
        }));
    }

    it("downstream sites see the intervened value; the site's own distribution no longer matters", () =>
      inBackend(() => {
        pyro.clearParamStore();
        // Pyro's test_do_propagation: z ≈ 10 makes flip = 1 almost surely; do(z = -10) makes it 0.
        const m = pyro.model(function* (loc: number) {
          const z = yield* pyro.sample("z", dist.Normal(loc, 1e-4));
          const flip = yield* pyro.sample("flip", dist.Bernoulli({ logits: z }));
          yield* pyro.sample("x", dist.Normal(z, 1), { obs: 0.5 });
          return flip;
        });
        const free = handlers.trace(m).getTrace(10);
        assert.equal(num(free.returnValue), 1);
        for (const loc of [10, -3, 40]) {
          const tr = handlers.trace(handlers.do(m, { data: { z: -10 } })).getTrace(loc);
          assert.equal(num(tr.returnValue), 0);
          // x's distribution is centred on the intervention whatever z's prior is: the dependency is cut.
          tr.computeLogProb();
          const lpX = -0.5 * (0.5 + 10) ** 2 - 0.5 * Math.log(2 * Math.PI);
          assert.ok(Math.abs(num(tr.get("x")!.logProbSum) - lpX) < 1e-4 * Math.abs(lpX));
          // The trace's z is still a draw from its own prior N(loc, 1e-4).
          assert.ok(Math.abs(num(tr.get("z")!.value) - loc) < 1e-2);
          assert.equal(tr.get("z")!.isObserved, false);
        }
      }));

    it("an inner trace sees both the free copy and the observed name__CF original", () =>
      inBackend(() => {
        const m = pyro.model(function* () {
          const z = yield* pyro.sample("z", dist.Normal(0, 1));
          return yield* pyro.sample("y", dist.Normal(z, 1));
        });
        const inner = new TraceHandler();
        const traced = () => scoped(handlerScope(() => inner), () => m());
        const outer = handlers.trace(handlers.do(traced, { data: { z: 3 } })).getTrace();
        assert.deepEqual([...inner.trace.nodes.keys()], ["z", "z__CF", "y"]);
        const cf = inner.trace.get("z__CF")!;
        assert.equal(cf.isObserved, true);
        assert.equal(num(cf.value), 3);
        assert.deepEqual([...outer.nodes.keys()], ["z", "y"]);
      }));

    it("inside a subsampled plate the free copy gets the plate's frame and scale once", () =>
      inBackend(() => {
        const m = pyro.model(function* () {
          yield* pyro.plate("data", 10, { subsampleSize: 5 }, function* () {
            yield* pyro.sample("z", dist.Normal(0, 1));
          });
        });
        const tr = handlers.trace(handlers.do(m, { data: { z: ops.zeros([5]) } })).getTrace();
        const z = tr.get("z")!;
        assert.deepEqual(z.condIndepStack.map((f) => f.name), ["data"]);
        assert.equal(z.scale, 2);
        assert.deepEqual(z.value!.shape, [5]);
      }));

    it("the data-last form composes with pipe-style application; bad data is a typed error", () =>
      inBackend(() => {
        const m = pyro.model(function* () {
          const z = yield* pyro.sample("z", dist.Normal(0, 1));
          return ops.add(z, 1);
        });
        const tr = handlers.trace(handlers.do({ data: { z: 4 } })(m)).getTrace();
        assert.equal(num(tr.returnValue), 5);
        assert.throws(() => handlers.do(m, { data: 3 as never }), DoArgumentError);
        assert.throws(
          () => handlers.trace(handlers.do(m, { data: { z: "nope" as never } })).getTrace(),
          (e: unknown) => e instanceof DoArgumentError && /site 'z'/.test(e.message),
        );
      }));
  });
}
