// RenyiELBO (Pyro's RenyiELBO): the bound against its formula computed by
// hand from the particles' draws, the α → 0 (IWAE) limit, pathwise gradients
// against finite differences, and Pyro's treatment of non-reparameterized sites.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, ops, pyro, pyroBackend } from "../../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../../src/dispatch/standard-backends.js";
import { ElboOptionError } from "../../../src/infer/elbo/elbo.js";
import { gradientEstimate, lossEstimate } from "./helpers.js";

const LOG2PI = Math.log(2 * Math.PI);
const logNormal = (x: number, loc: number, sd: number) => -0.5 * LOG2PI - Math.log(sd) - (0.5 * (x - loc) ** 2) / sd ** 2;
const logMeanExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0) / xs.length);
};
/** The Rényi bound of order α from log-weights l: 1/(1−α) · log mean exp((1−α) l). */
const renyi = (l: number[], alpha: number) => logMeanExp(l.map((v) => (1 - alpha) * v)) / (1 - alpha);

const XS = [0.9, 1.6, 0.2];
const drawn: number[] = [];
// A global latent: no plate is common to all sites, so each particle has one log-weight.
const globalModel = pyro.model(function* () {
  const z = yield* pyro.sample("z", dist.Normal(0, 1));
  yield* pyro.plate("data", 3, function* () {
    yield* pyro.sample("x", dist.Normal(z, 1), { obs: XS });
  });
});
const globalGuide = pyro.model(function* () {
  const m = yield* pyro.param("m", 0.4);
  const s = yield* pyro.param("s", 0.8, { constraint: dist.constraints.positive });
  const z = yield* pyro.sample("z", dist.Normal(m, s));
  drawn.push(...Array.from(ops.toFlat(z)));
});
const globalLogWeight = (z: number, m: number, s: number) =>
  logNormal(z, 0, 1) + XS.reduce((a, x) => a + logNormal(x, z, 1), 0) - logNormal(z, m, s);

// Local latents: every site is in the data plate, so each data point gets its own bound.
const localModel = pyro.model(function* () {
  yield* pyro.plate("data", 3, function* () {
    const z = yield* pyro.sample("z", dist.Normal(0, 1));
    yield* pyro.sample("x", dist.Normal(z, 1), { obs: XS });
  });
});
const LOCS = [0.1, 0.7, -0.2];
const localGuide = pyro.model(function* () {
  yield* pyro.plate("data", 3, function* () {
    const z = yield* pyro.sample("z", dist.Normal(ops.tensor(LOCS), 0.9));
    drawn.push(...Array.from(ops.toFlat(z)));
  });
});

for (const [backend, rt, tol] of [
  ["numpy", numpyBackend.runtime, 1e-12],
  ["pyro", pyroTfjsBackend.runtime, 2e-5],
] as const) {
  describe(`RenyiELBO (${backend})`, () => {
    const within = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

    for (const vectorizeParticles of [false, true]) {
      it(`equals 1/(1−α)·log mean exp((1−α)(log p − log q)) of its particles (vectorized: ${vectorizeParticles})`, () =>
        pyroBackend(backend, () => {
          pyro.clearParamStore();
          const k = 5;
          for (const alpha of [0, 0.5, -1, 2]) {
            const elbo = new infer.RenyiELBO({ alpha, numParticles: k, vectorizeParticles });
            drawn.length = 0;
            const loss = lossEstimate(rt, elbo, globalModel, globalGuide, [], 7);
            const zs = drawn.slice(drawn.length - k);
            within(loss, -renyi(zs.map((z) => globalLogWeight(z, 0.4, 0.8)), alpha), `global, α = ${alpha}`);

            drawn.length = 0;
            const localLoss = lossEstimate(rt, new infer.RenyiELBO({ alpha, numParticles: k, vectorizeParticles }), localModel, localGuide, [], 8);
            // Draws come particle-major: zs[i·3 + j] is particle i, data point j.
            const local = drawn.slice(drawn.length - 3 * k);
            let bound = 0;
            for (let j = 0; j < 3; j++) {
              const l = Array.from({ length: k }, (_, i) => {
                const z = local[i * 3 + j]!;
                return logNormal(z, 0, 1) + logNormal(XS[j]!, z, 1) - logNormal(z, LOCS[j]!, 0.9);
              });
              bound += renyi(l, alpha);
            }
            within(localLoss, -bound, `local, α = ${alpha}`);
          }
        }));
    }

    it("tends to the IWAE bound as α → 0", () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        drawn.length = 0;
        const iwae = lossEstimate(rt, new infer.RenyiELBO({ alpha: 0, numParticles: 4 }), globalModel, globalGuide, [], 3);
        const zs = drawn.slice();
        within(iwae, -logMeanExp(zs.map((z) => globalLogWeight(z, 0.4, 0.8))), "α = 0 vs IWAE by hand");
        // d bound / dα at α = 0 is −KL(w̃ ‖ uniform) ∈ [−log K, 0] (w̃: the self-normalized weights),
        // so at α = 1e-4 the loss (−bound) rises by between 0 and 1e-4·log 4, up to O(α²).
        const near = lossEstimate(rt, new infer.RenyiELBO({ alpha: 1e-4, numParticles: 4 }), globalModel, globalGuide, [], 3);
        const rise = near - iwae;
        assert.ok(rise >= -tol * (1 + Math.abs(iwae)) && rise <= 1e-4 * Math.log(4) * 1.01 + tol * (1 + Math.abs(iwae)), `α = 1e-4: ${near} vs α = 0: ${iwae}`);
        // To second order, with β = 1 − α and f(β) = log mean exp(β l)/β: f' = KL and
        // f'' = Var_w̃(l) − 2·KL at β = 1, so the rise f(1) − f(1 − α) is α·KL − α²/2·(Var − 2·KL) + O(α³ ≈ 1e-12).
        const l = zs.map((z) => globalLogWeight(z, 0.4, 0.8));
        const lme = logMeanExp(l);
        const w = l.map((v) => Math.exp(v - lme) / 4);
        const kl = l.reduce((a, v, i) => a + w[i]! * (v - lme), 0);
        const mean = l.reduce((a, v, i) => a + w[i]! * v, 0);
        const variance = l.reduce((a, v, i) => a + w[i]! * (v - mean) ** 2, 0);
        const expected = 1e-4 * kl - (1e-8 / 2) * (variance - 2 * kl);
        if (backend === "numpy") assert.ok(Math.abs(rise - expected) < 1e-10, `rise ${rise} vs ${expected}`);
      }));
  });
}

describe("RenyiELBO gradients (numpy)", () => {
  const rt = numpyBackend.runtime;
  const store = () => pyro.getParamStore();

  it("are the exact pathwise gradients of the same-key bound (central differences)", () =>
    pyroBackend("numpy", () => {
      for (const alpha of [0, 0.5]) {
        const elbo = new infer.RenyiELBO({ alpha, numParticles: 6 });
        const lossAt = (m: number, u: number) => {
          store().set("m", m);
          store().set("s", Math.exp(u), { constraint: dist.constraints.positive });
          return lossEstimate(rt, elbo, globalModel, globalGuide, [], 21);
        };
        const [m0, u0] = [0.4, Math.log(0.8)];
        lossAt(m0, u0);
        const { grads } = gradientEstimate(rt, elbo, globalModel, globalGuide, [], ["m", "s"], 21);
        // float64 central differences with h = 1e-5: truncation h²·|f'''|/6 ≈ 1e-10, rounding 1e-16/h ≈ 1e-11.
        const h = 1e-5;
        const fdM = (lossAt(m0 + h, u0) - lossAt(m0 - h, u0)) / (2 * h);
        const fdU = (lossAt(m0, u0 + h) - lossAt(m0, u0 - h)) / (2 * h);
        assert.ok(Math.abs(grads[0]! - fdM) < 1e-7, `α = ${alpha} d/dm: ${grads[0]} vs ${fdM}`);
        assert.ok(Math.abs(grads[1]! - fdU) < 1e-7, `α = ${alpha} d/du: ${grads[1]} vs ${fdU}`);
      }
    }));

  it("weights a non-reparameterized site's score by α/(1−α) and the self-normalized weights (Pyro's treatment)", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      store().set("t", 0.3);
      const zs: number[] = [];
      const coinModel = pyro.model(function* () {
        const z = yield* pyro.sample("z", dist.Bernoulli(0.3));
        yield* pyro.sample("x", dist.Normal(ops.mul(z, 2), 1), { obs: 1.2 });
      });
      const coinGuide = pyro.model(function* () {
        const t = yield* pyro.param("t", 0.3);
        zs.push(ops.item(yield* pyro.sample("z", dist.Bernoulli({ logits: t }))));
      });
      const q1 = 1 / (1 + Math.exp(-0.3));
      for (const alpha of [0, 0.5, -1]) {
        zs.length = 0;
        const k = 5;
        const { grads } = gradientEstimate(rt, new infer.RenyiELBO({ alpha, numParticles: k }), coinModel, coinGuide, [], ["t"], 5);
        const l = zs.map((z) => Math.log(z ? 0.3 : 0.7) + logNormal(1.2, 2 * z, 1) - Math.log(z ? q1 : 1 - q1));
        const lw = l.map((v) => (1 - alpha) * v);
        const lse = logMeanExp(lw) + Math.log(k);
        const expected = -zs.reduce((a, z, i) => a + Math.exp(lw[i]! - lse) * (alpha / (1 - alpha)) * (z ? 1 - q1 : -q1), 0);
        assert.ok(Math.abs(grads[0]! - expected) < 1e-12, `α = ${alpha}: ${grads[0]} vs ${expected}`);
      }
    }));

  it("rejects α = 1 and a single particle", () => {
    assert.throws(() => new infer.RenyiELBO({ alpha: 1 }), ElboOptionError);
    assert.throws(() => pyroBackend("numpy", () => new infer.RenyiELBO({ numParticles: 1 })), ElboOptionError);
  });
});
