// Enumeration's typed errors: a continuous site marked for enumeration, a
// maxPlateNesting that cannot be guessed, dim collisions, out-of-scope
// markov dependencies, non-tree plates, unsupported scale and guide layouts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { numpyBackend } from "../../../src/dispatch/standard-backends.js";
import { EnumDimCollisionError, NotEnumerableError } from "../../../src/handlers/enumerate.js";
import { ConfigEnumerateError } from "../../../src/infer/enum/config-enumerate.js";
import { EnumElboError } from "../../../src/infer/enum/elbo-particle.js";
import { EnumFactorError } from "../../../src/infer/enum/factors.js";
import type { ELBO } from "../../../src/infer/elbo/elbo.js";
import { MaxPlateNestingError } from "../../../src/infer/elbo/trace-enum-elbo.js";
import type { AnyModel } from "../../../src/program/gen.js";

const rt = numpyBackend.runtime;
const empty = pyro.model(function* () {});
const lossOf = (elbo: ELBO, model: AnyModel<[]>, guide: AnyModel<[]> = empty): number =>
  pyroBackend("numpy", () => elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, model, guide, []));

describe("TraceEnumELBO errors", () => {
  it("refuses to enumerate a continuous site, naming it", () => {
    const m = pyro.model(function* () {
      const x = yield* pyro.sample("x", dist.Normal(0, 1), { infer: { enumerate: "parallel" } });
      yield* pyro.sample("y", dist.Normal(x, 1), { obs: 0.5 });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), m), (e: unknown) =>
      e instanceof NotEnumerableError && e.site === "x" && /Normal.*no enumerateSupport/.test(e.message));
  });

  it("refuses sequential enumeration with a clear message", () => {
    const m = pyro.model(function* () {
      yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { enumerate: "sequential" } });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), m), (e: unknown) =>
      e instanceof NotEnumerableError && /only infer.enumerate = "parallel"/.test(e.message));
  });

  it("says why maxPlateNesting could not be guessed", () => {
    // This model only runs with z enumerated (it needs all three values of z at once), so the
    // guess — one run without enumeration — fails.
    const m = pyro.model(function* () {
      const z = yield* pyro.sample("z", dist.Categorical([0.2, 0.3, 0.5]), { infer: { enumerate: "parallel" } });
      if (z.shape[0] !== 3) throw new Error("this model needs z enumerated");
      yield* pyro.sample("y", dist.Normal(ops.index(ops.tensor([-1, 0, 1]), z), 1), { obs: 0.3 });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO(), m), (e: unknown) =>
      e instanceof MaxPlateNestingError && /could not be guessed.*needs z enumerated.*maxPlateNesting/.test(e.message));
    assert.doesNotThrow(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), m));
  });

  it("names the plate and the enumerated site whose dims collide", () => {
    const m = pyro.model(function* () {
      const z = yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      yield* pyro.plate("outer", 2, { dim: -2 }, function* () {
        yield* pyro.sample("y", dist.Normal(z, 1), { obs: [[0.1], [0.2]] });
      });
    });
    // maxPlateNesting 1 puts z at dim -2, where plate "outer" also is.
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 1 }), m), (e: unknown) =>
      e instanceof EnumDimCollisionError && /plate "outer" at dim -2/.test(e.message) && /enumerated site 'z'/.test(e.message));
    assert.doesNotThrow(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 2 }), m));
  });

  it("names a site that depends on an enumerated variable out of its markov scope", () => {
    // x_t depends on x_{t-2}, but history 1 lets x_{t-2}'s dim be recycled by x_t.
    const m = pyro.model(function* () {
      const xs: Tensor[] = [];
      yield* pyro.markov(4, { history: 1 }, function* (t) {
        const probs = t < 2 ? ops.tensor([0.5, 0.5]) : ops.index(ops.tensor([[0.9, 0.1], [0.1, 0.9]]), xs[t - 2]!);
        xs.push(yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } }));
      });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), m), (e: unknown) =>
      e instanceof EnumDimCollisionError && /site 'x_2': enumeration reuses dim -1 \(last held by 'x_0'\)/.test(e.message));
    // With history 2 the same model is fine.
    const ok = pyro.model(function* () {
      const xs: Tensor[] = [];
      yield* pyro.markov(4, { history: 2 }, function* (t) {
        const probs = t < 2 ? ops.tensor([0.5, 0.5]) : ops.index(ops.tensor([[0.9, 0.1], [0.1, 0.9]]), xs[t - 2]!);
        xs.push(yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } }));
      });
    });
    assert.ok(Math.abs(lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), ok)) < 1e-12);
  });

  it("names a site outside the markov context that uses a chain's enumerated value", () => {
    const m = pyro.model(function* () {
      let x: Tensor | undefined;
      yield* pyro.markov(3, function* (t) {
        x = yield* pyro.sample(`x_${t}`, dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      });
      yield* pyro.sample("y", dist.Normal(x!, 1), { obs: 0.2 });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 0 }), m), (e: unknown) =>
      e instanceof EnumFactorError && e.site === "y" && /out of the site's pyro.markov scope/.test(e.message));
  });

  it("refuses different scales among sites that depend on enumerated variables", () => {
    const m = pyro.model(function* () {
      const z = yield* pyro.sample("z", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      yield* pyro.plate("data", 10, { subsampleSize: 5 }, function* () {
        yield* pyro.sample("y", dist.Normal(z, 1), { obs: 0 });
      });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 1 }), m), (e: unknown) =>
      e instanceof EnumElboError && /share one scale/.test(e.message));
  });

  it("refuses model enumeration more global than the guide's", () => {
    const m = pyro.model(function* () {
      const c = yield* pyro.sample("c", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      yield* pyro.plate("data", 2, function* () {
        const w = yield* pyro.sample("w", dist.Bernoulli(0.5));
        yield* pyro.sample("y", dist.Normal(ops.add(c, w), 1), { obs: [0, 1] });
      });
    });
    const g = pyro.model(function* () {
      yield* pyro.plate("data", 2, function* () {
        yield* pyro.sample("w", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
      });
    });
    assert.throws(() => lossOf(new infer.TraceEnumELBO({ maxPlateNesting: 1 }), m, g), (e: unknown) =>
      e instanceof EnumElboError && /no more global than guide enumeration.*'w'.*plate\("data"\)/.test(e.message));
  });
});

describe("configEnumerate", () => {
  it("marks enumerable latent sites only, keeping a site's own choice", () =>
    pyroBackend("numpy", () => {
      const m = pyro.model(function* () {
        yield* pyro.sample("a", dist.Bernoulli(0.5));
        yield* pyro.sample("b", dist.Normal(0, 1));
        yield* pyro.sample("c", dist.Categorical([0.5, 0.5]), { infer: { expand: true } });
        yield* pyro.sample("d", dist.Bernoulli(0.5), { obs: 1 });
      });
      const { handlers } = pyroBackend("numpy", (mods) => mods);
      const tr = handlers.trace(infer.configEnumerate(m)).getTrace();
      assert.deepEqual({ ...tr.get("a")!.infer }, { enumerate: "parallel", expand: false });
      assert.deepEqual({ ...tr.get("b")!.infer }, {});
      assert.deepEqual({ ...tr.get("c")!.infer }, { enumerate: "parallel", expand: true });
      assert.equal(tr.get("d")!.infer.enumerate, undefined);
      assert.throws(() => infer.configEnumerate(m, { default: "nope" as "parallel" }), ConfigEnumerateError);
    }));
});
