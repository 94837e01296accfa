// numParticles with vectorizeParticles: the particles run in one pass along an
// outer plate. The estimates must have the distribution of the sequential ones
// (same means within standard errors) and, for a deterministic model and
// guide, the same values.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend } from "../../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../../src/dispatch/standard-backends.js";
import type { ELBO } from "../../../src/infer/elbo/elbo.js";
import { PARTICLES_PLATE } from "../../../src/infer/elbo/vectorize.js";
import { gradientEstimate, stats } from "./helpers.js";

type MakeElbo = (options: { numParticles: number; vectorizeParticles: boolean }) => ELBO;
const ELBOS: [string, MakeElbo][] = [
  ["TraceELBO", (o) => new infer.TraceELBO(o)],
  ["JitTraceELBO", (o) => new infer.JitTraceELBO(o)],
  ["TraceMeanFieldELBO", (o) => new infer.TraceMeanFieldELBO(o)],
  ["TraceGraphELBO", (o) => new infer.TraceGraphELBO(o)],
  // α = 0.5: at α = 0 a non-reparameterized site gets no gradient (Pyro's treatment).
  ["RenyiELBO", (o) => new infer.RenyiELBO({ ...o, alpha: 0.5 })],
];

// Deterministic: the only latent has a point-mass guide; the rest is observed.
const XS = [0.5, -1.2, 2.0];
const detModel = pyro.model(function* () {
  const shift = yield* pyro.param("shift", 0.3);
  const z = yield* pyro.sample("z", dist.Normal(0, 1));
  yield* pyro.plate("data", 3, function* () {
    yield* pyro.sample("x", dist.Normal(ops.add(z, shift), 1), { obs: XS });
  });
});
const detGuide = pyro.model(function* () {
  const v = yield* pyro.param("v", 0.7);
  yield* pyro.sample("z", dist.Delta(v));
});

// numpy: bit-for-bit equal. pyro (float32): the particle sums may round in another
// order, a few ulps (float32 ulp ≈ 1.2e-7 relative).
for (const [backend, rt, tol] of [
  ["numpy", numpyBackend.runtime, 0],
  ["pyro", pyroTfjsBackend.runtime, 1e-6],
] as const) {
  describe(`vectorized particles, deterministic model (${backend})`, () => {
    for (const [name, makeElbo] of ELBOS) {
      it(`${name}: the same loss and gradients as sequential particles`, () =>
        pyroBackend(backend, () => {
          pyro.clearParamStore();
          const run = (vectorizeParticles: boolean) =>
            gradientEstimate(rt, makeElbo({ numParticles: 4, vectorizeParticles }), detModel, detGuide, [], ["shift", "v"], 3);
          const seq = run(false);
          const vec = run(true);
          for (const [a, b, what] of [[vec.loss, seq.loss, "loss"], ...vec.grads.map((g, i) => [g, seq.grads[i]!, `grad ${i}`] as const)] as const) {
            assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: vectorized ${a} vs sequential ${b}`);
          }
        }));
    }
  });
}

describe("vectorized particles (numpy)", () => {
  it("run the model inside an outer particle plate left of the model's plates", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const elbo = new infer.TraceELBO({ numParticles: 5, vectorizeParticles: true });
      const seen: number[][] = [];
      const guide = pyro.model(function* () {
        const v = yield* pyro.param("v", 0.7);
        const z = yield* pyro.sample("z", dist.Normal(v, 1));
        seen.push([...z.shape]);
      });
      gradientEstimate(numpyBackend.runtime, elbo, detModel, guide, [], ["v"], 1);
      // The model nests one plate (dim -1), so the guess is 1 and the particles take dim -2.
      assert.equal(elbo.maxPlateNesting, 1);
      assert.deepEqual(seen[seen.length - 1], [5, 1]);
      const tr = handlers.trace(guide).getTrace();
      assert.deepEqual(tr.get("z")!.value!.shape, []);
      assert.equal(PARTICLES_PLATE, "num_particles_vectorized");
    }));

  // The TraceGraphELBO test model: a reparameterized w upstream of two discrete latents and a plate.
  const Y = 1.0;
  const OBS = [1.5, 0.8, 2.1];
  const model = pyro.model(function* () {
    const w = yield* pyro.sample("w", dist.Normal(0, 1));
    yield* pyro.sample("y", dist.Normal(w, 0.5), { obs: Y });
    const z1 = yield* pyro.sample("z1", dist.Bernoulli(0.4));
    const z2 = yield* pyro.sample("z2", dist.Bernoulli(0.7));
    yield* pyro.plate("data", 3, function* () {
      yield* pyro.sample("x", dist.Normal(ops.add(ops.add(ops.mul(z1, 2), z2), w), 1), { obs: OBS });
    });
  });
  const guide = pyro.model(function* () {
    const m = yield* pyro.param("m", 0.3);
    const s = yield* pyro.param("s", 0.8, { constraint: dist.constraints.positive });
    const t = yield* pyro.param("t", 0.2);
    yield* pyro.sample("w", dist.Normal(m, s));
    yield* pyro.sample("z1", dist.Bernoulli({ logits: t }));
    yield* pyro.sample("z2", dist.Bernoulli({ logits: ops.neg(t) }));
  });

  for (const [name, makeElbo] of [ELBOS[0]!, ELBOS[3]!, ELBOS[4]!]) {
    it(`${name}: loss and gradient have the sequential estimator's expectation (within standard errors)`, () =>
      pyroBackend("numpy", () => {
        pyro.clearParamStore();
        const rt = numpyBackend.runtime;
        const n = 400;
        const sample = (vectorizeParticles: boolean, seed0: number) => {
          const elbo = makeElbo({ numParticles: 3, vectorizeParticles });
          return Array.from({ length: n }, (_, i) => gradientEstimate(rt, elbo, model, guide, [], ["m", "s", "t"], seed0 + i));
        };
        const seq = sample(false, 1000);
        const vec = sample(true, 5000);
        const columns: [string, (e: { loss: number; grads: number[] }) => number][] = [
          ["loss", (e) => e.loss],
          ["d/dm", (e) => e.grads[0]!],
          ["d/du", (e) => e.grads[1]!],
          ["d/dt", (e) => e.grads[2]!],
        ];
        for (const [what, get] of columns) {
          const a = stats(seq.map(get));
          const b = stats(vec.map(get));
          // Independent samples: the difference of means has standard error √(se₁² + se₂²); allow 4 of them.
          assert.ok(Math.abs(a.mean - b.mean) < 4 * Math.hypot(a.se, b.se), `${what}: sequential ${a.mean} ± ${a.se}, vectorized ${b.mean} ± ${b.se}`);
        }
      }));
  }
});
