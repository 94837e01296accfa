// Handler laws as properties over random small models (Pyro's
// tests/poutine/test_properties.py): replay reproduces a trace, condition is
// idempotent and commutes on disjoint sites, seeding is deterministic, block
// hides exactly what it selects.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { dist, handlers, ops, pyro, pyroBackend, type Model, type Tensor, type Trace } from "../../src/index.js";
import { NonlocalExit } from "../../src/handlers/escape.js";
import { handlerScope } from "../../src/handlers/interpreter.js";
import { TraceHandler } from "../../src/handlers/trace.js";
import { scoped } from "../../src/program/program.js";

interface SiteSpec {
  readonly kind: "normal" | "gamma" | "bernoulli" | "categorical";
  readonly a: number;
  readonly b: number;
  readonly plate: number;
}

const siteSpec: fc.Arbitrary<SiteSpec> = fc.record({
  kind: fc.constantFrom("normal", "gamma", "bernoulli", "categorical"),
  a: fc.double({ min: 0.2, max: 3, noNaN: true }),
  b: fc.double({ min: 0.2, max: 3, noNaN: true }),
  plate: fc.constantFrom(0, 1, 3),
});

/** A model with one site per spec, each depending on the previous site's value where it can. */
function build(specs: readonly SiteSpec[]): Model<[], unknown, Record<string, Tensor>> {
  return pyro.model(function* () {
    let prev: Tensor = ops.tensor(0);
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      const d =
        s.kind === "normal"
          ? dist.Normal(ops.mul(ops.tanh(ops.sum(prev)), s.a), s.b)
          : s.kind === "gamma"
            ? dist.Gamma(s.a, s.b)
            : s.kind === "bernoulli"
              ? dist.Bernoulli(s.a / (s.a + s.b))
              : dist.Categorical([s.a, s.b, 1]);
      const site = (name: string) => pyro.sample(name, d);
      prev =
        s.plate === 0
          ? yield* site(`s${i}`)
          : yield* pyro.plate(`p${i}`, s.plate, function* () {
              return yield* site(`s${i}`);
            });
    }
    return prev;
  });
}

const models = fc.array(siteSpec, { minLength: 1, maxLength: 5 });
const values = (tr: Trace): Record<string, number[]> =>
  Object.fromEntries(tr.sampleNodes().map((n) => [n.name, Array.from(ops.toFlat(n.value!))]));
const logJoint = (tr: Trace): number => ops.item(tr.logProbSum(ops));
const inPyro = <A>(body: () => A): A => pyroBackend("pyro", body);

describe("handler laws", () => {
  it("trace(replay(m, tr)) reproduces tr's values and log joint", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
          const m = build(specs);
          const tr = handlers.trace(handlers.seed(m, seed)).getTrace();
          const again = handlers.trace(handlers.replay(m, { trace: tr })).getTrace();
          assert.deepEqual(values(again), values(tr));
          assert.equal(logJoint(again), logJoint(tr));
        }),
        { numRuns: 30 },
      ),
    ));

  it("condition is idempotent and commutes on disjoint sites", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
          const m = build(specs);
          const tr = handlers.trace(handlers.seed(m, seed)).getTrace();
          const names = tr.sampleNodes().map((n) => n.name);
          const data = Object.fromEntries(names.map((n) => [n, tr.nodes.get(n)!.value!]));
          const half = Object.fromEntries(names.filter((_, i) => i % 2 === 0).map((n) => [n, data[n]!]));
          const rest = Object.fromEntries(names.filter((_, i) => i % 2 === 1).map((n) => [n, data[n]!]));
          const once = handlers.trace(handlers.condition(m, data)).getTrace();
          const twice = handlers.trace(handlers.condition(handlers.condition(m, data), data)).getTrace();
          assert.deepEqual(values(twice), values(once));
          assert.equal(logJoint(twice), logJoint(once));
          const ab = handlers.trace(handlers.condition(handlers.condition(m, half), rest)).getTrace();
          const ba = handlers.trace(handlers.condition(handlers.condition(m, rest), half)).getTrace();
          assert.deepEqual(values(ab), values(once));
          assert.deepEqual(values(ba), values(once));
          assert.ok(once.sampleNodes().every((n) => n.isObserved));
          // Conditioning every site on a trace's values gives that trace's log joint.
          assert.ok(Math.abs(logJoint(once) - logJoint(tr)) <= 1e-5 * (1 + Math.abs(logJoint(tr))));
        }),
        { numRuns: 30 },
      ),
    ));

  it("seed(m, s) draws the same values on every run", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
          const m = handlers.seed(build(specs), seed);
          assert.deepEqual(values(handlers.trace(m).getTrace()), values(handlers.trace(m).getTrace()));
        }),
        { numRuns: 20 },
      ),
    ));

  it("block hides exactly the selected sites", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, (specs) => {
          const m = build(specs);
          const all = [...handlers.trace(m).getTrace().nodes.keys()];
          const hide = all.filter((_, i) => i % 2 === 1);
          const kept = [...handlers.trace(handlers.block(m, { hide })).getTrace().nodes.keys()];
          assert.deepEqual(kept, all.filter((n) => !hide.includes(n)));
        }),
        { numRuns: 20 },
      ),
    ));

  it("uncondition(condition(m, d)) samples every site, keeping d in infer.obs", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
          const m = build(specs);
          const tr = handlers.trace(handlers.seed(m, seed)).getTrace();
          const data = Object.fromEntries(tr.sampleNodes().map((n) => [n.name, n.value!]));
          const un = handlers.trace(handlers.uncondition(handlers.condition(m, data))).getTrace();
          assert.deepEqual(un.sampleNodes().map((n) => n.name), Object.keys(data));
          for (const n of un.sampleNodes()) {
            assert.equal(n.isObserved, false);
            assert.equal(n.infer.wasObserved, true);
            assert.deepEqual(Array.from(ops.toFlat(n.infer.obs as Tensor)), values(tr)[n.name]);
          }
        }),
        { numRuns: 20 },
      ),
    ));

  it("trace(scope(m, p)) has exactly m's site names prefixed by p/, in order, with the same values", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), fc.constantFrom("a", "enc", "b/c"), (specs, seed, prefix) => {
          const m = build(specs);
          const plain = handlers.trace(handlers.seed(m, seed)).getTrace();
          const scopedTr = handlers.trace(handlers.seed(handlers.scope(m, { prefix }), seed)).getTrace();
          assert.deepEqual([...scopedTr.nodes.keys()], [...plain.nodes.keys()].map((n) => `${prefix}/${n}`));
          const prefixed = Object.fromEntries(Object.entries(values(plain)).map(([k, v]) => [`${prefix}/${k}`, v]));
          assert.deepEqual(values(scopedTr), prefixed);
        }),
        { numRuns: 20 },
      ),
    ));

  it("inferConfig is idempotent", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, (specs) => {
          const m = build(specs);
          const configFn = (msg: { name: string; fn: { support: { isDiscrete: boolean } } | null }) =>
            msg.fn?.support.isDiscrete ? { enumerate: "parallel" as const } : { tag: msg.name };
          const once = handlers.trace(handlers.inferConfig(m, { configFn })).getTrace();
          const twice = handlers.trace(handlers.inferConfig(handlers.inferConfig(m, { configFn }), { configFn })).getTrace();
          assert.deepEqual(
            [...twice.nodes.values()].map((n) => n.infer),
            [...once.nodes.values()].map((n) => n.infer),
          );
        }),
        { numRuns: 20 },
      ),
    ));

  it("condition(do(m, d), d) has the log joint of condition(m, d) and returns the same value", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
          const m = build(specs);
          const tr = handlers.trace(handlers.seed(m, seed)).getTrace();
          const data = Object.fromEntries(tr.sampleNodes().map((n) => [n.name, n.value!]));
          const conditioned = handlers.trace(handlers.condition(m, data)).getTrace();
          const counterfactual = handlers.trace(handlers.condition(handlers.do(m, { data }), data)).getTrace();
          assert.deepEqual(values(counterfactual), values(conditioned));
          assert.ok(Math.abs(logJoint(counterfactual) - logJoint(conditioned)) <= 1e-5 * (1 + Math.abs(logJoint(conditioned))));
          assert.deepEqual(
            Array.from(ops.toFlat(counterfactual.returnValue as Tensor)),
            Array.from(ops.toFlat(conditioned.returnValue as Tensor)),
          );
        }),
        { numRuns: 20 },
      ),
    ));

  it("escape at the k-th sample site leaves the first k sites of the same-seed trace", () =>
    inPyro(() =>
      fc.assert(
        fc.property(models, fc.integer({ min: 0, max: 1000 }), fc.nat(), (specs, seed, pick) => {
          const m = build(specs);
          const full = handlers.trace(handlers.seed(m, seed)).getTrace();
          const names = [...full.nodes.keys()];
          const k = pick % names.length;
          const outer = new TraceHandler();
          const escaped = handlers.seed(handlers.escape(m, { escapeFn: (msg) => msg.name === names[k] }), seed);
          assert.throws(
            () => pyro.run(scoped(handlerScope(() => outer), () => escaped())),
            (e: unknown) => e instanceof NonlocalExit && e.site.name === names[k],
          );
          assert.deepEqual([...outer.trace.nodes.keys()], names.slice(0, k));
          const prefix = Object.fromEntries(Object.entries(values(full)).filter(([n]) => names.indexOf(n) < k));
          assert.deepEqual(values(outer.trace), prefix);
        }),
        { numRuns: 20 },
      ),
    ));
});
