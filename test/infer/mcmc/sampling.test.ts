import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { DiscreteLatentError } from "../../../src/infer/latents.js";
import { effectiveSampleSize, mean, variance } from "../../../src/infer/mcmc/diagnostics.js";
import { MCMCInitializationError } from "../../../src/infer/mcmc/initial-point.js";
import { MCMCOptionError } from "../../../src/infer/mcmc/kernels.js";
import { MCMCNotRunError } from "../../../src/infer/mcmc/mcmc.js";

/** The draws of a scalar quantity as one array per chain, from a grouped `[C, N]` tensor. */
function chainsOf(t: Tensor): Float64Array[] {
  const [c, n] = t.shape as [number, number];
  const flat = Float64Array.from(ops.toFlat(t));
  return Array.from({ length: c }, (_, i) => flat.subarray(i * n, (i + 1) * n));
}

/**
 * Checks E[x] = m and Var[x] = v within 4 Monte Carlo standard errors: MCSE(mean) = sd/√ESS(x),
 * MCSE(var) = sd((x − x̄)²)/√ESS((x − x̄)²), with ESS estimated from the chains themselves.
 * 4 MCSE leaves a two-sided false-alarm rate of 6e-5 per check.
 */
function checkMoments(chains: Float64Array[], m: number, v: number, what: string): void {
  const all = Float64Array.from(chains.flatMap((c) => [...c]));
  const xbar = mean(all);
  const s2 = variance(all);
  const mcseMean = Math.sqrt(s2 / effectiveSampleSize(chains));
  assert.ok(Math.abs(xbar - m) < 4 * mcseMean, `${what}: mean ${xbar}, expected ${m} ± ${4 * mcseMean}`);
  const sq = chains.map((c) => c.map((x) => (x - xbar) ** 2));
  const sqAll = Float64Array.from(sq.flatMap((c) => [...c]));
  const mcseVar = Math.sqrt(variance(sqAll) / effectiveSampleSize(sq));
  assert.ok(Math.abs(s2 - v) < 4 * mcseVar, `${what}: variance ${s2}, expected ${v} ± ${4 * mcseVar}`);
}

const stdNormal3 = pyro.model(function* () {
  yield* pyro.plate("d", 3, function* () {
    yield* pyro.sample("x", dist.Normal(0, 1));
  });
});

const RHO = 0.95;
const S2 = 3;
/** (x1, x2) Gaussian with sds (1, 3) and correlation 0.95, written as x1 then x2 | x1. */
const correlated = pyro.model(function* () {
  const x1 = yield* pyro.sample("x1", dist.Normal(0, 1));
  yield* pyro.sample("x2", dist.Normal(ops.mul(x1, RHO * S2), S2 * Math.sqrt(1 - RHO * RHO)));
});

const silent = { progressBar: true } as const; // a progress bar is requested: it must still print nothing off a TTY

describe("NUTS and HMC sampling (numpy, float64)", () => {
  it("NUTS samples a 3-d standard normal: mean 0 and variance 1 within 4 MCSE", () =>
    pyroBackend("numpy", () =>
      handlers.seed(1, () => {
        const mcmc = new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 1500, warmupSteps: 500, ...silent });
        mcmc.run();
        const x = mcmc.getSamples(true).x!;
        assert.deepEqual(x.shape, [1, 1500, 3]);
        const flat = ops.toFlat(x);
        for (let j = 0; j < 3; j++) {
          const c = Float64Array.from({ length: 1500 }, (_, i) => flat[i * 3 + j]!);
          checkMoments([c], 0, 1, `x[${j}]`);
        }
        const [chain] = mcmc.diagnostics().chains;
        assert.equal(chain!.divergences.length, 0);
        assert.ok(chain!.stepSize > 0.1 && chain!.stepSize < 3, `step size ${chain!.stepSize}`);
      }),
    ));

  it("NUTS with a dense mass matrix samples a correlated 2-d Gaussian and learns its correlation", () =>
    pyroBackend("numpy", () =>
      handlers.seed(2, () => {
        const mcmc = new infer.MCMC(new infer.NUTS(correlated, { fullMass: true }), {
          numSamples: 1500,
          warmupSteps: 500,
          numChains: 2,
          progressBar: false,
        });
        mcmc.run();
        const s = mcmc.getSamples(true);
        const x1 = chainsOf(s.x1!);
        const x2 = chainsOf(s.x2!);
        checkMoments(x1, 0, 1, "x1");
        checkMoments(x2, 0, S2 * S2, "x2");
        // Cov(x1, x2) = ρ·1·3 = 2.85: the mean of z = x1·x2 (E = 2.85 since both means are 0) within 4 MCSE.
        const z = x1.map((c, i) => c.map((v, t) => v * x2[i]![t]!));
        const zAll = Float64Array.from(z.flatMap((c) => [...c]));
        const mcse = Math.sqrt(variance(zAll) / effectiveSampleSize(z));
        assert.ok(Math.abs(mean(zAll) - RHO * S2) < 4 * mcse, `cov ${mean(zAll)} ± ${4 * mcse}`);
        for (const chain of mcmc.diagnostics().chains) {
          const m = chain.inverseMass;
          assert.equal(m.kind, "dense");
          const c = m.kind === "dense" ? m.matrix : new Float64Array(4);
          // The last slow window has 500 draws (n_eff ≳ 100): the sample correlation has sd ≈ (1 − ρ²)/√100 ≈ 0.01;
          // 4 sd ⇒ 0.95 ± 0.04 (Stan's regularization moves it by ~1e-5).
          const r = c[1]! / Math.sqrt(c[0]! * c[3]!);
          assert.ok(Math.abs(r - RHO) < 0.04, `learned correlation ${r}`);
        }
      }),
    ));

  it("NUTS samples constrained sites through their transforms (Gamma, Beta, Dirichlet moments)", () =>
    pyroBackend("numpy", () =>
      handlers.seed(6, () => {
        const model = pyro.model(function* () {
          yield* pyro.sample("g", dist.Gamma(2, 1));
          yield* pyro.sample("b", dist.Beta(2, 5));
          yield* pyro.sample("w", dist.Dirichlet([1, 2, 3]));
        });
        const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: 1500, warmupSteps: 500, progressBar: false });
        mcmc.run();
        const s = mcmc.getSamples(true);
        // Gamma(2, 1): mean 2, variance 2. Beta(2, 5): mean 2/7, variance 2·5/(7²·8).
        checkMoments(chainsOf(s.g!), 2, 2, "g");
        checkMoments(chainsOf(s.b!), 2 / 7, 10 / (49 * 8), "b");
        // Dirichlet(1, 2, 3): mean α_i/6, variance α_i(6 − α_i)/(36·7).
        assert.deepEqual(s.w!.shape, [1, 1500, 3]);
        const w = ops.toFlat(s.w!);
        [1, 2, 3].forEach((a, j) => {
          const c = Float64Array.from({ length: 1500 }, (_, i) => w[i * 3 + j]!);
          checkMoments([c], a / 6, (a * (6 - a)) / (36 * 7), `w[${j}]`);
        });
      }),
    ));

  it("HMC with a fixed number of steps samples a standard normal", () =>
    pyroBackend("numpy", () =>
      handlers.seed(3, () => {
        const mcmc = new infer.MCMC(new infer.HMC(stdNormal3, { stepSize: 0.3, numSteps: 5 }), {
          numSamples: 1500,
          warmupSteps: 300,
          progressBar: false,
        });
        mcmc.run();
        const flat = ops.toFlat(mcmc.getSamples().x!);
        const c = Float64Array.from({ length: 1500 }, (_, i) => flat[i * 3]!);
        checkMoments([c], 0, 1, "x[0]");
        const { meanAcceptProb, divergences } = mcmc.diagnostics().chains[0]!;
        assert.equal(divergences.length, 0);
        assert.ok(meanAcceptProb > 0.5 && meanAcceptProb <= 1);
      }),
    ));

  it("is reproducible under a seed, and a chain does not depend on the other chains", (t: TestContext) =>
    pyroBackend("numpy", () => {
      const write = t.mock.method(process.stderr, "write");
      const log = t.mock.method(console, "log");
      const draws = (seed: number, numChains: number) =>
        handlers.seed(seed, () => {
          const mcmc = new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 20, warmupSteps: 30, numChains, ...silent });
          mcmc.run();
          return Array.from(ops.toFlat(mcmc.getSamples(true).x!));
        });
      const a = draws(7, 2);
      assert.deepEqual(draws(7, 2), a);
      assert.notDeepEqual(draws(8, 2), a);
      // Chain 0 of a 2-chain run is the whole of a 1-chain run with the same seed.
      assert.deepEqual(draws(7, 1), a.slice(0, 60));
      // pyroBackend seeds with 1: two runs in fresh environments agree bit for bit.
      const viaBackend = () =>
        pyroBackend("numpy", () => {
          const mcmc = new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 5, warmupSteps: 5 });
          mcmc.run();
          return Array.from(ops.toFlat(mcmc.getSamples().x!));
        });
      assert.deepEqual(viaBackend(), viaBackend());
      assert.equal(write.mock.callCount(), 0, "no progress output off a TTY");
      assert.equal(log.mock.callCount(), 0);
    }));

  it("shapes, thinning, initial values and the init retries", () =>
    pyroBackend("numpy", () =>
      handlers.seed(4, () => {
        const m = new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 10, warmupSteps: 5, numChains: 2, thinning: 3, progressBar: false });
        m.run();
        assert.deepEqual(m.getSamples().x!.shape, [8, 3]); // ⌈10/3⌉ = 4 draws per chain
        assert.deepEqual(m.getSamples(true).x!.shape, [2, 4, 3]);

        // initParams are unconstrained: s = exp(0) = 1 for a positive site. One HMC step of size 1e-9 barely moves it.
        const positive = pyro.model(function* () {
          yield* pyro.sample("s", dist.HalfNormal(2));
        });
        const kernel = new infer.HMC(positive, { stepSize: 1e-9, numSteps: 1, adaptStepSize: false, adaptMassMatrix: false });
        const init = new infer.MCMC(kernel, { numSamples: 1, warmupSteps: 0, initParams: { s: 0 }, progressBar: false });
        init.run();
        assert.ok(Math.abs(ops.item(init.getSamples().s!) - 1) < 1e-6);

        // Half of initToUniform's (−2, 2) box has U = ∞ here: initialization retries until x > 0.5, and no
        // sample ever leaves the region of finite density.
        const truncated = pyro.model(function* () {
          const x = yield* pyro.sample("x", dist.Normal(0, 1));
          yield* pyro.factor("cut", ops.where(ops.gt(x, 0.5), 0, -Infinity));
        });
        const t = new infer.MCMC(new infer.NUTS(truncated), { numSamples: 50, warmupSteps: 50, progressBar: false });
        t.run();
        assert.ok(Array.from(ops.toFlat(t.getSamples().x!)).every((v) => v > 0.5));
        const impossible = pyro.model(function* () {
          yield* pyro.sample("x", dist.Normal(0, 1));
          yield* pyro.factor("never", -Infinity);
        });
        assert.throws(
          () => new infer.MCMC(new infer.NUTS(impossible), { numSamples: 1, progressBar: false }).run(),
          (e: unknown) => e instanceof MCMCInitializationError && /potential energy Infinity/.test(e.message),
        );
      }),
    ));

  it("rejects bad options, discrete latents, and reading results before run", () =>
    pyroBackend("numpy", () => {
      assert.throws(() => new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 0 }), MCMCOptionError);
      assert.throws(() => new infer.NUTS(stdNormal3, { numSteps: 3 }), /infer.NUTS: option 'numSteps'/);
      assert.throws(() => new infer.HMC(stdNormal3, { stepSize: -1 }), /option 'stepSize' must be a positive finite number/);
      assert.throws(() => new infer.MCMC({} as never, { numSamples: 1 }), /option 'kernel'/);
      const fresh = new infer.MCMC(new infer.NUTS(stdNormal3), { numSamples: 1 });
      assert.throws(() => fresh.getSamples(), MCMCNotRunError);
      const discrete = pyro.model(function* () {
        yield* pyro.sample("k", dist.Bernoulli(0.5));
      });
      assert.throws(() => new infer.MCMC(new infer.NUTS(discrete), { numSamples: 1, progressBar: false }).run(), DiscreteLatentError);
    }));
});

describe("NUTS on the pyro backend (tfjs, float32)", () => {
  it("samples a standard normal and is reproducible", () =>
    pyroBackend("pyro", () => {
      const model = pyro.model(function* () {
        yield* pyro.sample("x", dist.Normal(0, 1));
      });
      const run = () =>
        handlers.seed(5, () => {
          const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: 600, warmupSteps: 200, progressBar: false });
          mcmc.run();
          return mcmc.getSamples(true).x!;
        });
      const x = run();
      // float32 potentials change draws only at ~1e-7 relative: the 4-MCSE checks are unaffected.
      checkMoments(chainsOf(x), 0, 1, "x");
      assert.deepEqual(Array.from(ops.toFlat(run())), Array.from(ops.toFlat(x)));
    }));
});
