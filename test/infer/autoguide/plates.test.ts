import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { AutoGuideError, AutoGuideOptionError } from "../../../src/infer/autoguide/errors.js";
import { DiscreteLatentError } from "../../../src/infer/latents.js";

/** A global site and two local sites in one plate (so the guide enters the plate twice). */
function localModel(subsampleSize?: number) {
  return pyro.model(function* () {
    const mu = yield* pyro.sample("mu", dist.Normal(0, 1));
    yield* pyro.plate("items", 6, subsampleSize === undefined ? {} : { subsampleSize }, function* () {
      yield* pyro.sample("z", dist.Normal(mu, 1));
      yield* pyro.sample("u", dist.HalfNormal(1));
    });
  });
}

const values = (t: Tensor): number[] => Array.from(ops.toFlat(t));

describe("autoguides and plates", () => {
  for (const backend of ["numpy", "pyro"] as const) {
    it(`AutoNormal gives local sites params with the plate's dims and samples them in the same plate [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const model = localModel();
        const guide = infer.autoguide.AutoNormal(model);
        const tr = handlers.trace(guide).getTrace();
        assert.deepEqual(ops.shape(pyro.getParam("AutoNormal.locs.z")), [6]);
        assert.deepEqual(ops.shape(pyro.getParam("AutoNormal.scales.u")), [6]);
        assert.deepEqual(ops.shape(pyro.getParam("AutoNormal.locs.mu")), []);
        const modelTrace = handlers.trace(model).getTrace();
        for (const site of ["z", "u"]) {
          const g = tr.nodes.get(site)!;
          const m = modelTrace.nodes.get(site)!;
          assert.deepEqual(g.condIndepStack.map((f) => [f.name, f.dim, f.size]), m.condIndepStack.map((f) => [f.name, f.dim, f.size]));
          assert.deepEqual(g.value!.shape, [6]);
        }
        assert.deepEqual(tr.nodes.get("mu")!.condIndepStack, []);
        // One plate subsample site although the guide entered the plate twice.
        assert.equal([...tr.nodes.keys()].filter((k) => k === "items").length, 1);
        const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
        assert.ok(Number.isFinite(svi.step()));
      }));
  }

  it("AutoNormal indexes full-size params by the subsample indices, which the model replays [numpy]", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const model = localModel(3);
      const guide = infer.autoguide.AutoNormal(model);
      const tr = handlers.trace(guide).getTrace();
      const locs = pyro.getParam("AutoNormal.locs.z");
      assert.deepEqual(ops.shape(locs), [6]);
      const idx = tr.nodes.get("items")!.value!;
      assert.deepEqual(idx.shape, [3]);
      const aux = tr.nodes.get("z_unconstrained")!;
      assert.deepEqual(values(aux.fn!.mean), values(ops.take(locs, idx, 0)));
      assert.deepEqual(tr.nodes.get("z")!.value!.shape, [3]);
      // Subsampling scales the local sites by size / subsampleSize in both programs.
      assert.equal(tr.nodes.get("z")!.scale, 2);
      const modelTrace = handlers.trace(handlers.replay(model, { trace: tr })).getTrace();
      assert.deepEqual(values(modelTrace.nodes.get("items")!.value!), values(idx));
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
      for (let i = 0; i < 5; i++) assert.ok(Number.isFinite(svi.step()));
    }));

  it("AutoDelta repeats the prototype's subsampled values to the full plate size; createPlates fixes the indices [numpy]", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const model = localModel(3);
      const guide = infer.autoguide.AutoDelta(model, { createPlates: () => [{ name: "items", size: 6, subsample: [0, 2, 4] }] });
      const tr = handlers.trace(guide).getTrace();
      const z = values(pyro.getParam("AutoDelta.z"));
      assert.equal(z.length, 6);
      assert.deepEqual(z.slice(3), z.slice(0, 3));
      assert.deepEqual(values(tr.nodes.get("items")!.value!), [0, 2, 4]);
      assert.deepEqual(values(tr.nodes.get("z")!.value!), [z[0]!, z[2]!, z[4]!]);
    }));

  it("vector guides refuse subsampled plates; every guide refuses discrete latent sites", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const diag = infer.autoguide.AutoDiagonalNormal(localModel(3));
      assert.throws(() => handlers.trace(diag).getTrace(), (e: unknown) => e instanceof AutoGuideError && /subsampl/.test(e.message));
      const discrete = pyro.model(function* () {
        yield* pyro.sample("k", dist.Bernoulli(0.3));
      });
      for (const make of [infer.autoguide.AutoNormal, infer.autoguide.AutoDelta, infer.autoguide.AutoMultivariateNormal]) {
        assert.throws(() => handlers.trace(make(discrete)).getTrace(), (e: unknown) => e instanceof DiscreteLatentError && /'k'/.test(e.message));
      }
    }));

  it("checks options", () =>
    pyroBackend("numpy", () => {
      const model = localModel();
      assert.throws(() => infer.autoguide.AutoNormal(model, { initScale: -1 }), AutoGuideOptionError);
      assert.throws(() => infer.autoguide.AutoLowRankMultivariateNormal(model, { rank: 0 }), AutoGuideOptionError);
      assert.throws(() => infer.autoguide.AutoNormal(model).quantiles([0.5, 1.5]), AutoGuideOptionError);
      assert.throws(() => infer.autoguide.AutoNormal(model).samplePosterior(0), AutoGuideOptionError);
    }));

  it("samplePosterior stacks guide draws of every latent site", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const draws = infer.autoguide.AutoNormal(localModel()).samplePosterior(4);
      assert.deepEqual(draws.mu!.shape, [4]);
      assert.deepEqual(draws.z!.shape, [4, 6]);
      assert.ok(values(draws.u!).every((v) => v > 0));
    }));

  it("keeps the tfjs tensor count constant over SVI steps with an autoguide", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const model = localModel(3);
      for (const guide of [infer.autoguide.AutoNormal(model), infer.autoguide.AutoDelta(model)]) {
        const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
        for (let i = 0; i < 3; i++) svi.step();
        const before = ops.numTensors();
        for (let i = 0; i < 50; i++) svi.step();
        ops.tidy(() => {
          guide.median();
        });
        assert.equal(ops.numTensors(), before);
      }
    }));

  it("has the model's sites at the type level", () =>
    pyroBackend("numpy", () => {
      const model = localModel();
      const other = pyro.model(function* () {
        yield* pyro.sample("mu", dist.Normal(0, 1));
        yield* pyro.sample("extra", dist.Normal(0, 1));
      });
      const guide = infer.autoguide.AutoNormal(model);
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
      assert.ok(svi);
      // @ts-expect-error the guide samples "extra", which the model lacks
      new infer.SVI(model, infer.autoguide.AutoNormal(other), optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
      const m = guide.median();
      // @ts-expect-error "nope" is not a site of the model
      assert.equal(m.nope, undefined);
      assert.ok(m.mu !== undefined);
    }));
});
