import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NonFiniteParamError, dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../src/dispatch/standard-backends.js";
import type { ElboContext } from "../../src/infer/elbo/elbo.js";
import { lossAndParamGrads } from "../../src/infer/param-grads.js";
import { PRNGKey } from "../../src/tensor/random/key.js";

// Normal–Normal: loc ~ N(0, 1), x_i ~ N(loc, 1). Ten fixed observations.
const xs = [1.83, 0.41, 2.96, 1.27, 0.88, 2.15, 1.62, -0.34, 2.48, 1.09];
const precision = 1 + xs.length; // prior precision 1 + n / σ² with σ = 1
const postMean = xs.reduce((a, b) => a + b, 0) / precision;
const postSd = 1 / Math.sqrt(precision);

const model = pyro.model(function* (data: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
  yield* pyro.plate("data", xs.length, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
  });
});
const guide = pyro.model(function* (_data: Tensor) {
  const m = yield* pyro.param("m", 0);
  const s = yield* pyro.param("s", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("loc", dist.Normal(m, s));
});

describe("SVI", () => {
  it("recovers the conjugate Normal–Normal posterior mean and sd", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const data = ops.tensor(xs);
      const elbo = new infer.TraceELBO();
      // Phase 1: Adam to reach the optimum quickly.
      const adam = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), elbo);
      for (let i = 0; i < 1500; i++) adam.step(data);
      // Phase 2: plain SGD with a small constant rate η, averaging the iterates.
      // Near the optimum the reparameterized gradient in m is (z − μ)/σ² with
      // z − μ = σε, so its variance is 1/σ² and the curvature is 1/σ²: SGD's
      // stationary variance of m is η·Var(g)/(2·curvature) = η/2, with
      // autocorrelation time τ = σ²/η. For u = log s the gradient is ε² − 1
      // (variance 2) and the curvature 2: Var(u) = η/2, τ = 1/(2η). The mean of T
      // iterates has variance ≈ Var·2τ/T.
      const eta = 5e-3;
      const T = 3000;
      const sgd = new infer.SVI(model, guide, optim.SGD({ lr: eta }), elbo);
      let sumM = 0;
      let sumU = 0;
      for (let i = 0; i < T; i++) {
        sgd.step(data);
        sumM += ops.item(pyro.getParam("m"));
        sumU += Math.log(ops.item(pyro.getParam("s")));
      }
      const m = sumM / T;
      const s = Math.exp(sumU / T);
      const seM = Math.sqrt(((eta / 2) * 2 * (postSd ** 2 / eta)) / T);
      const seU = Math.sqrt(((eta / 2) * 2 * (1 / (2 * eta))) / T);
      // 4 standard errors, plus for u an O(η) stationary bias of SGD on a non-quadratic loss.
      assert.ok(Math.abs(m - postMean) < 4 * seM, `m = ${m}, posterior mean ${postMean}, tolerance ${4 * seM}`);
      assert.ok(
        Math.abs(Math.log(s / postSd)) < 4 * seU + eta,
        `s = ${s}, posterior sd ${postSd}, tolerance ${4 * seU + eta} on log s`,
      );
    }));

  it("computes ELBO gradients that match central finite differences of the same-key loss", () => {
    const rt = pyroTfjsBackend.runtime;
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const store = rt.paramStore;
      const data = ops.tensor(xs);
      const elbo = new infer.TraceELBO({ numParticles: 3 });
      const key = PRNGKey(11);
      const ctx = (run: Parameters<Parameters<typeof lossAndParamGrads>[2]>[0]) => ({ ops: rt.ops, run, validate: true });
      const lossAt = (m: number, u: number): number => {
        store.set("m", m);
        store.set("s", Math.exp(u), { constraint: dist.constraints.positive });
        return rt.withKey(key, () => elbo.lossAndSurrogate(ctx((p) => rt.run(p)), model, guide, [data]).loss);
      };
      const [m0, u0] = [0.7, -0.9];
      lossAt(m0, u0);
      const { params } = lossAndParamGrads(rt, key, (run) => elbo.lossAndSurrogate(ctx(run), model, guide, [data]), ["m", "s"]);
      const gM = ops.item(params.get("m")!.grad);
      const gU = ops.item(params.get("s")!.grad);
      // float32 loss of magnitude ~30 carries rounding error ~30·6e-8 ≈ 2e-6; with
      // h = 1e-2 the central difference has rounding error ~2e-4 and truncation
      // error h²/6·|f'''| ≈ 2e-4 (f''' is O(10) here): tolerance 2e-3 absolute.
      const h = 1e-2;
      const fdM = (lossAt(m0 + h, u0) - lossAt(m0 - h, u0)) / (2 * h);
      const fdU = (lossAt(m0, u0 + h) - lossAt(m0, u0 - h)) / (2 * h);
      assert.ok(Math.abs(gM - fdM) < 2e-3 * (1 + Math.abs(fdM)), `d/dm: autodiff ${gM} vs finite difference ${fdM}`);
      assert.ok(Math.abs(gU - fdU) < 2e-3 * (1 + Math.abs(fdU)), `d/du: autodiff ${gU} vs finite difference ${fdU}`);
    });
  });

  it("treats model latents the guide lacks as drawn from their prior (their log p cancels)", () =>
    pyroBackend("numpy", () => {
      // z ~ N(θ, 1), x ~ N(z, 1), empty guide: the ELBO is E_{z~p}[log N(x; z, 1)]
      // = −½ log 2π − ½((x − θ)² + 1), with gradient (x − θ) in θ.
      const m = pyro.model(function* (x: Tensor) {
        const theta = yield* pyro.param("theta", 0.5);
        const z = yield* pyro.sample("z", dist.Normal(theta, 1));
        yield* pyro.sample("x", dist.Normal(z, 1), { obs: x });
      });
      const empty = pyro.model(function* (_x: Tensor) {});
      pyro.clearParamStore();
      const x = ops.tensor(2);
      const rt = numpyBackend.runtime;
      const elbo = new infer.TraceELBO();
      const warn = console.warn;
      const warnings: string[] = [];
      console.warn = (msg: string) => void warnings.push(msg);
      try {
        const n = 4000;
        let sumLoss = 0;
        let sumLoss2 = 0;
        let sumGrad = 0;
        for (let i = 0; i < n; i++) {
          const { loss, params } = lossAndParamGrads(rt, PRNGKey(i), (run) =>
            elbo.lossAndSurrogate({ ops: rt.ops, run, validate: true }, m, empty, [x]), ["theta"]);
          sumLoss += loss;
          sumLoss2 += loss * loss;
          sumGrad += ops.item(params.get("theta")!.grad);
        }
        const meanLoss = sumLoss / n;
        const sdLoss = Math.sqrt(sumLoss2 / n - meanLoss ** 2);
        const exact = 0.5 * Math.log(2 * Math.PI) + 0.5 * ((2 - 0.5) ** 2 + 1);
        // Loss = ½(x − z)² + c with z ~ N(θ, 1): its sd is the sample sd; the mean's SE is sd/√n.
        assert.ok(Math.abs(meanLoss - exact) < 4 * (sdLoss / Math.sqrt(n)), `mean loss ${meanLoss} vs ${exact}`);
        // The gradient of −ELBO per draw is −(x − z) with z ~ N(θ, 1): sd 1, SE 1/√n.
        assert.ok(Math.abs(sumGrad / n - -(2 - 0.5)) < 4 / Math.sqrt(n), `mean gradient ${sumGrad / n}`);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, /not in the guide.*: z/);
      } finally {
        console.warn = warn;
      }
    }));

  it("refuses a step whose update is not finite, leaving the param store unchanged", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      const data = ops.tensor(xs);
      // SGD with lr 1e308 sends m to ∓infinity in one step.
      const svi = new infer.SVI(model, guide, optim.SGD({ lr: 1e308 }), new infer.TraceELBO());
      pyro.getParamStore().set("m", 0.25);
      assert.throws(() => svi.step(data), (e: unknown) => e instanceof NonFiniteParamError && /param 'm'/.test(e.message));
      assert.equal(ops.item(pyro.getParam("m")), 0.25);
    }));

  it("keeps the tfjs tensor count constant over 1,000 steps", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const data = ops.tensor(xs);
      const svi = new infer.SVI(model, guide, optim.ClippedAdam({ lr: 0.01 }), new infer.TraceELBO());
      for (let i = 0; i < 5; i++) svi.step(data);
      const before = ops.numTensors();
      for (let i = 0; i < 1000; i++) svi.step(data);
      assert.equal(ops.numTensors(), before);
    }));
});

describe("TraceMeanFieldELBO", () => {
  it("equals TraceELBO's loss in expectation when the guide has auxiliary sites (an autoguide)", () =>
    pyroBackend("numpy", () => {
      // AutoNormal samples auxiliary `loc_unconstrained` sites; both ELBOs estimate the same
      // bound, so their mean losses over the same keys agree (the KL part is analytic only
      // where a site's pair has one; elsewhere both are Monte Carlo over identical draws).
      pyro.clearParamStore();
      const data = ops.tensor(xs);
      const guide = infer.autoguide.AutoNormal(model);
      const rt = numpyBackend.runtime;
      const ctx: ElboContext = { ops: rt.ops, run: (p) => rt.run(p), validate: true };
      const mf = new infer.TraceMeanFieldELBO();
      const tr = new infer.TraceELBO();
      let a = 0;
      let b = 0;
      const n = 200;
      for (let i = 0; i < n; i++) {
        a += rt.withKey(PRNGKey(i), () => mf.lossAndSurrogate(ctx, model, guide, [data]).loss);
        b += rt.withKey(PRNGKey(i), () => tr.lossAndSurrogate(ctx, model, guide, [data]).loss);
      }
      // Same draws, same sites: every term agrees draw by draw, so the means agree to rounding.
      assert.ok(Math.abs(a / n - b / n) < 1e-9 * (1 + Math.abs(b / n)), `mean-field ${a / n} vs trace ${b / n}`);
    }));

  it("counts an autoguide's log-Jacobian on constrained sites like TraceELBO", () =>
    pyroBackend("numpy", () => {
      // A positive latent: AutoNormal samples log s and maps it through exp, so its Delta
      // site carries log|J|. Both ELBOs must give the same loss draw by draw.
      const positive = pyro.model(function* (x: Tensor) {
        const s = yield* pyro.sample("s", dist.Gamma(2, 1));
        yield* pyro.sample("x", dist.Normal(0, s), { obs: x });
      });
      pyro.clearParamStore();
      const guide = infer.autoguide.AutoNormal(positive);
      const rt = numpyBackend.runtime;
      const ctx: ElboContext = { ops: rt.ops, run: (p) => rt.run(p), validate: true };
      const x = ops.tensor(1.3);
      for (let i = 0; i < 20; i++) {
        const a = rt.withKey(PRNGKey(i), () => new infer.TraceMeanFieldELBO().lossAndSurrogate(ctx, positive, guide, [x]).loss);
        const b = rt.withKey(PRNGKey(i), () => new infer.TraceELBO().lossAndSurrogate(ctx, positive, guide, [x]).loss);
        assert.ok(Math.abs(a - b) < 1e-12 * (1 + Math.abs(b)), `draw ${i}: mean-field ${a} vs trace ${b}`);
      }
    }));
});
