// HMC and NUTS with `jitCompile: true` (Pyro's jit_compile): the compiled
// potential energy and gradient equal the uncompiled ones (1e-10 relative; only
// the order of float64 sums may differ) on eight schools and logistic
// regression; a point where a value the trace read differs is traced into a new
// variant; a compiled NUTS chain agrees with an uncompiled one in its posterior
// means (within the Monte Carlo error from ESS: the chains are not bit-identical,
// since one rounding difference changes a trajectory); workers compile too; and
// backends without lazy ops refuse the option with NotImplementedError; a
// potential that cannot be traced is refused with MCMCOptionError.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type AnyModel, type MCMCOptions, type Tensor } from "../../../src/index.js";
import { NotImplementedError } from "../../../src/backends/not-implemented.js";
import { funsorBackend } from "../../../src/dispatch/standard-backends.js";
import { initToUniform } from "../../../src/infer/init.js";
import { compiledPotential } from "../../../src/infer/jit/potential.js";
import { makePotential } from "../../../src/infer/latents.js";
import { modelLayout } from "../../../src/infer/mcmc/initial-point.js";
import { MCMCOptionError } from "../../../src/infer/mcmc/kernels.js";
import { shutdownWorkers } from "../../../src/infer/mcmc/worker-pool.js";
import { normal, PRNGKey } from "../../../src/tensor/random/index.js";
import { logregData, logregModel, schoolsData, schoolsModel } from "../jit/helpers.js";
import { normalModel } from "./parallel-models.js";

const rt = funsorBackend.runtime;

function close(a: number, b: number, what: string): void {
  assert.ok(a === b || Math.abs(a - b) <= 1e-10 * (1 + Math.abs(b)), `${what}: compiled ${a}, uncompiled ${b}`);
}

/** The compiled and uncompiled potentials of `model(...args)` on funsor. */
function potentials(model: AnyModel, args: readonly unknown[]) {
  const layout = modelLayout(rt, "infer.NUTS", model, args, initToUniform(), PRNGKey(0));
  return { layout, jit: compiledPotential(rt, model, args, layout, "infer.NUTS"), plain: makePotential(rt, model, args, layout) };
}

/** Compares value and gradient at `points` (the compiled one with and without a gradient buffer). */
function comparePotentials(model: AnyModel, args: readonly unknown[], points: readonly Float64Array[]): void {
  const { jit, plain, layout } = potentials(model, args);
  for (const [k, q] of points.entries()) {
    const a = jit.valueAndGrad(q);
    const out = new Float64Array(layout.size);
    const b = jit.valueAndGrad(q, out);
    const r = plain.valueAndGrad(q);
    close(a.value, r.value, `U at point ${k}`);
    close(jit.value(q), r.value, `value() at point ${k}`);
    assert.equal(b.grad, out, "the gradient is written into the given buffer");
    r.grad.forEach((g, i) => {
      close(a.grad[i]!, g, `∂U/∂q${i} at point ${k}`);
      close(out[i]!, g, `∂U/∂q${i} at point ${k} (into a buffer)`);
    });
  }
  assert.equal(jit.jitInfo.traces, 1, "one trace serves every point");
}

/** `n` points of dimension `d` with standard normal coordinates scaled by `scale`, from fixed keys. */
const points = (n: number, d: number, scale: number) =>
  Array.from({ length: n }, (_, k) => normal(PRNGKey(100 + k), d).map((x) => scale * x));

describe("jitCompile: the compiled potential energy", () => {
  it("equals the uncompiled U and ∇U on eight schools (1e-10)", () =>
    pyroBackend("funsor", () => comparePotentials(schoolsModel as AnyModel, schoolsData(), points(12, 10, 1.5))));

  it("equals the uncompiled U and ∇U on logistic regression (1e-10)", () =>
    pyroBackend("funsor", () => comparePotentials(logregModel as AnyModel, logregData(), points(12, 4, 2))));

  it("traces a new variant where a value the trace read differs (a branch on a latent), and reuses it", () =>
    pyroBackend("funsor", () => {
      const branchy = pyro.model(function* () {
        const x = yield* pyro.sample("x", dist.Normal(0, 1));
        const scale = ops.item(ops.gt(x, 0)) === 1 ? 1 : 2;
        yield* pyro.sample("obs", dist.Normal(x, scale), { obs: ops.tensor(0.5) });
      });
      const { jit, plain } = potentials(branchy as AnyModel, []);
      for (const x of [0.3, -0.4, 0.8, -1.5, 2]) {
        const q = Float64Array.of(x);
        const a = jit.valueAndGrad(q);
        const r = plain.valueAndGrad(q);
        close(a.value, r.value, `U(${x})`);
        close(a.grad[0]!, r.grad[0]!, `U'(${x})`);
      }
      assert.deepEqual(jit.jitInfo, { traces: 2, compiledCalls: 5, uncompiledCalls: 0 });
    }));

  it("a potential that cannot be traced is refused with MCMCOptionError on jitCompile, naming the reason", () =>
    pyroBackend("funsor", () => {
      const nested = pyro.model(function* () {
        const x = yield* pyro.sample("x", dist.Normal(0, 1));
        const inner = ops.valueAndGrad(([t]) => ops.sum(ops.square(t!)), [x]).value;
        yield* pyro.sample("obs", dist.Normal(ops.mul(inner, 0.5), 1), { obs: ops.tensor(0.1) });
      });
      const { jit } = potentials(nested as AnyModel, []);
      assert.throws(
        () => jit.valueAndGrad(Float64Array.of(0.2)),
        (e: unknown) =>
          e instanceof MCMCOptionError &&
          /^infer\.NUTS: option 'jitCompile' must be false for this model \(its potential energy cannot be traced: .*valueAndGrad was called inside a traced computation/.test(e.message),
      );
    }));
});

/** Posterior draws of mu and tau from one NUTS chain on eight schools (funsor), with their ESS. */
function schoolsChain(jitCompile: boolean, seed: number) {
  return handlers.seed(seed, () => {
    const mcmc = new infer.MCMC(new infer.NUTS(schoolsModel, { jitCompile }), { numSamples: 600, warmupSteps: 400, progressBar: false });
    mcmc.run(...schoolsData());
    const s = mcmc.getSamples();
    const d = mcmc.diagnostics().sites;
    return (["mu", "tau"] as const).map((k) => ({ draws: Array.from(ops.toFlat(s[k]!)), ess: d[k]!.nEff[0]! }));
  });
}

describe("jitCompile: NUTS and HMC", () => {
  it("a compiled NUTS chain has the uncompiled chain's posterior means, within the Monte Carlo error from ESS", () =>
    pyroBackend("funsor", () => {
      const a = schoolsChain(true, 5);
      const b = schoolsChain(false, 5);
      ["mu", "tau"].forEach((name, k) => {
        const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
        const ma = mean(a[k]!.draws);
        const mb = mean(b[k]!.draws);
        const sd = Math.sqrt(b[k]!.draws.reduce((s, v) => s + (v - mb) ** 2, 0) / (b[k]!.draws.length - 1));
        const se = sd * Math.sqrt(1 / Math.min(a[k]!.ess, 600) + 1 / Math.min(b[k]!.ess, 600));
        assert.ok(Math.abs(ma - mb) < 4 * se, `${name}: compiled mean ${ma}, uncompiled ${mb}, 4 × se = ${4 * se}`);
      });
    }));

  it("HMC compiles too, and a fixed seed gives the same draws twice", () =>
    pyroBackend("funsor", () => {
      const y = ops.tensor([1.2, 0.4, 2.3, 1.9, 0.7, 1.1, 1.6, 0.9]);
      const run = () =>
        handlers.seed(2, () => {
          const m = new infer.MCMC(new infer.HMC(normalModel, { jitCompile: true, numSteps: 8 }), { numSamples: 200, warmupSteps: 200, progressBar: false });
          m.run(y);
          return Array.from(ops.toFlat(m.getSamples().loc!));
        });
      const first = run();
      assert.deepEqual(run(), first);
      const m = first.reduce((s, v) => s + v, 0) / first.length;
      assert.ok(Math.abs(m - 1.26) < 0.4, `posterior mean of loc ${m}`);
    }));

  it("parallel chains compile in their workers: the same draws as sequential chains", () =>
    pyroBackend("funsor", () => {
      const y = ops.tensor([1.2, 0.4, 2.3, 1.9, 0.7, 1.1, 1.6, 0.9]);
      const o: MCMCOptions = { numSamples: 40, warmupSteps: 40, numChains: 2, progressBar: false };
      const draws = (par: boolean) =>
        handlers.seed(7, () => {
          const extra: Partial<MCMCOptions> = par ? { chainMethod: "parallel", workerModule: { module: new URL("./parallel-models.ts", import.meta.url).href, export: "normalModel" } } : {};
          const m = new infer.MCMC(new infer.NUTS(normalModel, { jitCompile: true }), { ...o, ...extra });
          m.run(y);
          return Array.from(ops.toFlat((m.getSamples(true) as Record<string, Tensor>).loc!));
        });
      assert.deepEqual(draws(true), draws(false));
    }));

  it("backends without lazy ops refuse jitCompile with NotImplementedError naming the backend and member", () => {
    for (const backend of ["numpy", "pyro"]) {
      pyroBackend(backend, () => {
        assert.throws(
          () => new infer.MCMC(new infer.NUTS(normalModel, { jitCompile: true }), { numSamples: 10 }),
          (e: unknown) => e instanceof NotImplementedError && e.backend === backend && /NUTS with jitCompile/.test(e.message),
        );
      });
    }
  });

  it("validates the option like the others", () => {
    assert.throws(
      () => new infer.NUTS(normalModel, { jitCompile: 1 as unknown as boolean }),
      (e: unknown) => e instanceof MCMCOptionError && e.message === "infer.NUTS: option 'jitCompile' must be a boolean, got number 1",
    );
    assert.equal(new infer.HMC(normalModel, { jitCompile: true }).options.jitCompile, true);
    assert.equal(new infer.NUTS(normalModel).options.jitCompile, false);
  });
});

after(async () => {
  await shutdownWorkers();
});
