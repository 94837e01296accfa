// TraceEnumELBO with enumeration in the guide, with guide sites it samples,
// and with vectorized particles: values against closed forms, gradients
// against finite differences or their exact expectation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, pyro, pyroBackend } from "../../../src/index.js";
import { numpyBackend } from "../../../src/dispatch/standard-backends.js";
import type { ElboContext } from "../../../src/infer/elbo/elbo.js";
import { lossAndParamGrads } from "../../../src/infer/param-grads.js";
import { PRNGKey } from "../../../src/tensor/random/key.js";
import { gradientEstimate, stats } from "../elbo/helpers.js";

const rt = numpyBackend.runtime;
const logN = (y: number, m: number): number => -0.5 * (y - m) ** 2 - 0.5 * Math.log(2 * Math.PI);
const P = [0.2, 0.5, 0.3];
const LOCS = [-2, 0, 2];
const XS = [1.2, 2.5, 0.7];
const ctx = (run: ElboContext["run"]): ElboContext => ({ ops: rt.ops, run, validate: true });

/** log p(z = k) + Σ_i log p(x_i | z = k). */
const logJoint = (k: number): number => Math.log(P[k]!) + XS.reduce((s, x) => s + logN(x, LOCS[k]!), 0);

const model = pyro.model(function* (xs: number[]) {
  const z = yield* pyro.sample("z", dist.Categorical(P));
  yield* pyro.plate("data", xs.length, function* () {
    yield* pyro.sample("x", dist.Normal(ops.index(ops.tensor(LOCS), z), 1), { obs: xs });
  });
});
const enumGuide = pyro.model(function* (_xs: number[]) {
  const q = yield* pyro.param("q", ops.tensor([0.3, 0.3, 0.4]), { constraint: dist.constraints.simplex });
  yield* pyro.sample("z", dist.Categorical(q), { infer: { enumerate: "parallel" } });
});

describe("TraceEnumELBO with a guide-enumerated site (numpy)", () => {
  it("is Σ_z q(z) (log p(x, z) − log q(z)), with exact gradients", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      const exactLoss = (q: readonly number[]): number => -q.reduce((s, qk, k) => s + qk * (logJoint(k) - Math.log(qk)), 0);
      const got = elbo.loss(ctx((p) => rt.run(p)), model, enumGuide, [XS]);
      // float64 on both sides: they differ by rounding only (≲ 1e-13).
      assert.ok(Math.abs(got - exactLoss([0.3, 0.3, 0.4])) < 1e-10, `${got} vs ${exactLoss([0.3, 0.3, 0.4])}`);
      // The gradient with respect to the unconstrained q, against central differences of the
      // closed form along each unconstrained coordinate (truncation error h²·|f'''|/6 ≲ 1e-7 at h = 1e-4).
      const { params } = lossAndParamGrads(rt, PRNGKey(0), (run) => elbo.lossAndSurrogate(ctx(run), model, enumGuide, [XS]), ["q"]);
      const grad = Array.from(ops.toFlat(params.get("q")!.grad));
      const simplex = dist.constraints.simplex;
      const u0 = Array.from(ops.toFlat(dist.bijectTo(simplex).inverse(ops.tensor([0.3, 0.3, 0.4]))));
      const h = 1e-4;
      u0.forEach((_, i) => {
        const at = (d: number): number => {
          const u = u0.map((v, j) => (j === i ? v + d : v));
          return exactLoss(Array.from(ops.toFlat(dist.bijectTo(simplex).forward(ops.tensor(u)))));
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        assert.ok(Math.abs(grad[i]! - fd) < 1e-6, `coordinate ${i}: autodiff ${grad[i]}, finite difference ${fd}`);
      });
    }));

  it("combines with model enumeration no more global than the guide's", () =>
    pyroBackend("numpy", () => {
      // Guide enumerates a global c; the model enumerates a local w_i in the plate.
      const W = [[0.7, 0.3], [0.2, 0.8]];
      const M = [[-1, 1], [0, 3]];
      const m2 = pyro.model(function* (xs: number[]) {
        const c = yield* pyro.sample("c", dist.Bernoulli(0.4));
        yield* pyro.plate("data", xs.length, function* () {
          const w = yield* pyro.sample("w", dist.Categorical(ops.index(ops.tensor(W), c)), { infer: { enumerate: "parallel" } });
          const loc = ops.index(ops.reshape(ops.tensor(M), [4]), ops.add(ops.mul(c, 2), w));
          yield* pyro.sample("x", dist.Normal(loc, 1), { obs: xs });
        });
      });
      const g2 = pyro.model(function* (_xs: number[]) {
        yield* pyro.sample("c", dist.Bernoulli(0.55), { infer: { enumerate: "parallel" } });
      });
      const exact = [0, 1].reduce((s, c) => {
        const q = c === 1 ? 0.55 : 0.45;
        const lp = Math.log(c === 1 ? 0.4 : 0.6) + XS.reduce((a, x) => a + Math.log(W[c]![0]! * Math.exp(logN(x, M[c]![0]!)) + W[c]![1]! * Math.exp(logN(x, M[c]![1]!))), 0);
        return s + q * (lp - Math.log(q));
      }, 0);
      const got = new infer.TraceEnumELBO({ maxPlateNesting: 1 }).loss(ctx((p) => rt.run(p)), m2, g2, [XS]);
      assert.ok(Math.abs(got - -exact) < 1e-10, `${got} vs ${-exact}`);
    }));
});

describe("TraceEnumELBO with a sampled discrete guide site (numpy)", () => {
  it("gives score-function gradients whose mean is the exact gradient", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      // b is sampled by the guide (Bernoulli(θ), no reparameterization); z is enumerated in the model.
      const PZ = [[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]];
      const L = [0, 1].map((b) => {
        const marg = [0, 1, 2].reduce((s, k) => s + PZ[b]![k]! * Math.exp(XS.reduce((a, x) => a + logN(x, LOCS[k]!), 0)), 0);
        return Math.log(b === 1 ? 0.3 : 0.7) + Math.log(marg);
      });
      // A constant factor changes neither the gradient nor its mean, but centring the costs near
      // 0 shrinks the score-function estimator's variance, so the test can tell a missing or
      // mis-weighted score term (mean ≈ 0) from the exact gradient.
      const offset = -(L[0]! + L[1]!) / 2;
      const m3 = pyro.model(function* (xs: number[]) {
        yield* pyro.factor("offset", offset);
        const b = yield* pyro.sample("b", dist.Bernoulli(0.3));
        const z = yield* pyro.sample("z", dist.Categorical(ops.index(ops.tensor(PZ), b)), { infer: { enumerate: "parallel" } });
        yield* pyro.plate("data", xs.length, function* () {
          yield* pyro.sample("x", dist.Normal(ops.index(ops.tensor(LOCS), z), 1), { obs: xs });
        });
      });
      const theta = 0.3;
      const g3 = pyro.model(function* (_xs: number[]) {
        const t = yield* pyro.param("theta", theta, { constraint: dist.constraints.unitInterval });
        yield* pyro.sample("b", dist.Bernoulli(t));
      });
      // ELBO(θ) = Σ_b q(b)(L_b − log q(b)); dELBO/dθ = L_1 − L_0 − log θ + log(1 − θ); dθ/du = θ(1 − θ).
      const exactGrad = -(L[1]! - L[0]! - Math.log(theta) + Math.log(1 - theta)) * theta * (1 - theta);
      const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      const n = 1500;
      const grads: number[] = [];
      for (let s = 0; s < n; s++) grads.push(gradientEstimate(rt, elbo, m3, g3, [XS], ["theta"], s).grads[0]!);
      const { mean, se } = stats(grads);
      assert.ok(Math.abs(exactGrad) > 8 * se, "the test must be able to tell the gradient from 0");
      assert.ok(Math.abs(mean - exactGrad) < 4 * se, `mean gradient ${mean} ± ${se}, exact ${exactGrad}`);
    }));
});

describe("TraceEnumELBO with vectorized particles (numpy)", () => {
  it("gives the exact marginal likelihood for a model-only enumeration", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const mix = pyro.model(function* (xs: number[]) {
        yield* pyro.plate("data", xs.length, function* () {
          const z = yield* pyro.sample("z", dist.Categorical(P), { infer: { enumerate: "parallel" } });
          yield* pyro.sample("x", dist.Normal(ops.index(ops.tensor(LOCS), z), 1), { obs: xs });
        });
      });
      const empty = pyro.model(function* (_xs: number[]) {});
      const exact = XS.reduce((s, x) => s + Math.log(P.reduce((a, p, k) => a + p * Math.exp(logN(x, LOCS[k]!)), 0)), 0);
      for (const options of [{ numParticles: 3, vectorizeParticles: true }, { numParticles: 3, vectorizeParticles: true, maxPlateNesting: 1 }]) {
        const got = new infer.TraceEnumELBO(options).loss(ctx((p) => rt.run(p)), mix, empty, [XS]);
        assert.ok(Math.abs(got - -exact) < 1e-10, `${JSON.stringify(options)}: ${got} vs ${-exact}`);
      }
    }));
});

