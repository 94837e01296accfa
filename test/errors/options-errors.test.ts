// Options objects at the boundary (issue 7, item 2): io-ts codecs give path-precise errors for MCMC,
// kernel, SVI-run, ELBO and optimizer options. MCMC, the kernels and svi.run/runAsync are wired to
// them; the ELBO and optimizer codecs are checked here directly (their constructors validate by hand).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, infer, MCMCOptionError, optim, pyro, pyroBackend } from "../../src/index.js";
import {
  AdamOptionsC,
  ClippedAdamOptionsC,
  ELBOOptionsC,
  MCMCOptionsC,
  RMSPropOptionsC,
  SGDOptionsC,
  SVIRunOptionsC,
  optimizerOptionCodecs,
} from "../../src/codecs/inference-options.js";
import { DecodeError } from "../../src/codecs/report.js";
import { OptionsError, decodeOptions, optionProblems } from "../../src/codecs/options.js";
import { throwsExactly } from "./helpers.js";

const model = pyro.model(function* () {
  yield* pyro.sample("x", dist.Normal(0, 1));
});

describe("MCMC and kernel options (wired)", () => {
  for (const backend of ["pyro", "numpy"]) {
    it(`non-integer numSamples, a typo, a bad chain method [${backend}]`, () =>
      pyroBackend(backend, () => {
        const kernel = new infer.NUTS(model);
        throwsExactly(() => new infer.MCMC(kernel, { numSamples: 1.5 }), MCMCOptionError, "infer.MCMC: option 'numSamples' must be an integer ≥ 1, got number 1.5");
        throwsExactly(
          () => new infer.MCMC(kernel, { numSamples: 10, warmupSteps: -1 }),
          MCMCOptionError,
          "infer.MCMC: option 'warmupSteps' must be an integer ≥ 0, got number -1",
        );
        throwsExactly(
          () => new infer.MCMC(kernel, { numSamples: 10, numWarmup: 5 } as never),
          MCMCOptionError,
          "infer.MCMC: option 'numWarmup' is not an option of infer.MCMC (options: numSamples, warmupSteps, numChains, thinning, " +
            "progressBar, initParams, chainMethod, workerModule, numWorkers, signal)",
        );
        throwsExactly(
          () => new infer.MCMC(kernel, { numSamples: 10, chainMethod: "vectorized" } as never),
          MCMCOptionError,
          `infer.MCMC: option 'chainMethod' must be "sequential" or "parallel", got string "vectorized"`,
        );
        throwsExactly(
          () => new infer.MCMC(kernel, { numSamples: 10, chainMethod: "parallel", workerModule: { module: "m.js" } } as never),
          MCMCOptionError,
          "infer.MCMC: option 'workerModule.export' must be a non-empty string, got undefined",
        );
        // Several problems are all reported, one per line, each with its path.
        assert.throws(
          () => new infer.MCMC(kernel, { numSample: 10, thinning: 0 } as never),
          (e: unknown) =>
            e instanceof MCMCOptionError &&
            e instanceof DecodeError &&
            e.problems.map((p) => p.path).join(",") === "numSamples,thinning,numSample" &&
            e.message.includes("option 'numSample' is not an option of infer.MCMC; did you mean 'numSamples'?"),
        );
      }));
  }

  it("a parallel run without workerModule says why it is needed", () =>
    pyroBackend("numpy", () => {
      throwsExactly(
        () => new infer.MCMC(new infer.NUTS(model), { numSamples: 1, chainMethod: "parallel" }),
        MCMCOptionError,
        `infer.MCMC: option 'workerModule' must be a reference { module: import.meta.url, export: "model" } to the exported model ` +
          `when chainMethod is "parallel" (worker threads cannot receive functions), got undefined`,
      );
    }));

  it("kernel options: wrong kind, wrong kernel, out of range", () =>
    pyroBackend("numpy", () => {
      throwsExactly(() => new infer.NUTS(model, { stepSize: -1 }), MCMCOptionError, "infer.NUTS: option 'stepSize' must be a positive finite number, got number -1");
      throwsExactly(() => new infer.NUTS(model, { maxTreeDepth: 31 }), MCMCOptionError, "infer.NUTS: option 'maxTreeDepth' must be an integer in [1, 30], got number 31");
      throwsExactly(() => new infer.NUTS(model, { numSteps: 3 }), MCMCOptionError, "infer.NUTS: option 'numSteps' must be left out (it is an HMC option), got number 3");
      throwsExactly(() => new infer.HMC(model, { targetAcceptProb: 1 }), MCMCOptionError, "infer.HMC: option 'targetAcceptProb' must be a number in (0, 1), got number 1");
      throwsExactly(
        () => new infer.HMC(model, { stepsize: 0.1 } as never),
        MCMCOptionError,
        "infer.HMC: option 'stepsize' is not an option of infer.HMC; did you mean 'stepSize'? (options: stepSize, adaptStepSize, " +
          "adaptMassMatrix, fullMass, targetAcceptProb, initStrategy, jitCompile, trajectoryLength, numSteps)",
      );
    }));
});

describe("svi.run options (wired)", () => {
  for (const backend of ["pyro", "numpy"]) {
    it(`non-integer numSteps, a bad signal [${backend}]`, () =>
      pyroBackend(backend, () => {
        const guide = pyro.model(function* () {
          const m = yield* pyro.param("m", 0);
          yield* pyro.sample("x", dist.Normal(m, 1));
        });
        const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.TraceELBO());
        throwsExactly(() => svi.run({ numSteps: 1.5 }), OptionsError, "infer.SVI.run: option 'numSteps' must be an integer ≥ 1, got number 1.5");
        throwsExactly(
          () => svi.run({ numSteps: 2, signal: "stop" } as never),
          OptionsError,
          `infer.SVI.run: option 'signal' must be an AbortSignal, got string "stop"`,
        );
        throwsExactly(() => svi.run(undefined as never), OptionsError, "infer.SVI.run: options must be an options object, got undefined");
      }));
  }
});

describe("ELBO and optimizer option codecs", () => {
  const message = (owner: string, codec: Parameters<typeof decodeOptions>[1], u: unknown): string => {
    try {
      decodeOptions(owner, codec, u);
    } catch (e) {
      return (e as Error).message;
    }
    return "decoded";
  };

  it("negative lr, bad betas, a typo: each with its path", () => {
    assert.equal(message("optim.Adam", AdamOptionsC, { lr: -1 }), "optim.Adam: option 'lr' must be a finite number > 0, got number -1");
    assert.equal(message("optim.Adam", AdamOptionsC, { lr: 0.01, betas: [0.9, 1] }), "optim.Adam: option 'betas' must be two numbers in [0, 1), got an array of length 2");
    assert.equal(
      message("optim.ClippedAdam", ClippedAdamOptionsC, { lr: 0.01, lrD: 0.99 }),
      "optim.ClippedAdam: option 'lrD' is not an option of optim.ClippedAdam; did you mean 'lrd'? (options: lr, betas, eps, weightDecay, clipNorm, lrd)",
    );
    assert.equal(message("optim.SGD", SGDOptionsC, { lr: 0.1, momentum: Number.NaN }), "optim.SGD: option 'momentum' must be a finite number ≥ 0, got number NaN");
    assert.equal(message("optim.RMSProp", RMSPropOptionsC, { alpha: 1.5 }), "optim.RMSProp: option 'alpha' must be a finite number in [0, 1], got number 1.5");
    assert.equal(message("optim.Adam", AdamOptionsC, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true }), "decoded");
  });

  it("the optimizer codecs accept exactly what the optimizers accept (their defaults decode; what they reject fails)", () =>
    pyroBackend("numpy", () => {
      const factories = optim as unknown as Record<string, (h: object) => unknown>;
      for (const [name, codec] of Object.entries(optimizerOptionCodecs)) {
        assert.deepEqual(optionProblems(codec, {}), [], name);
        for (const bad of [{ lr: -1 }, { lr: 0 }, { lr: Infinity }, { eps: -1 }, { weightDecay: -0.5 }]) {
          if (!(Object.keys(bad)[0]! in hyperparameters(name))) continue;
          assert.ok(optionProblems(codec, bad).length > 0, `${name} codec accepts ${JSON.stringify(bad)}`);
          assert.throws(() => factories[name]!(bad), `${name} accepts ${JSON.stringify(bad)}`);
        }
      }
    }));

  it("ELBO options and SVI run options", () => {
    assert.equal(message("infer.TraceELBO", ELBOOptionsC, { numParticles: 0 }), "infer.TraceELBO: option 'numParticles' must be an integer ≥ 1, got number 0");
    assert.equal(message("infer.TraceELBO", ELBOOptionsC, { maxPlateNesting: Infinity, vectorizeParticles: true }), "decoded");
    assert.equal(message("infer.SVI.run", SVIRunOptionsC, { numSteps: 10, onStep: 3 }), "infer.SVI.run: option 'onStep' must be a function, got number 3");
    assert.deepEqual(optionProblems(MCMCOptionsC, { numSamples: 5, initParams: { x: [0, 1] } }), []);
  });
});

/** The hyperparameter names of optimizer `name`, as keys. */
function hyperparameters(name: string): Record<string, unknown> {
  const names: Record<string, Record<string, unknown>> = {
    Adam: { lr: 0, betas: 0, eps: 0, weightDecay: 0, amsgrad: 0 },
    AdamW: { lr: 0, betas: 0, eps: 0, weightDecay: 0, amsgrad: 0 },
    ClippedAdam: { lr: 0, betas: 0, eps: 0, weightDecay: 0, clipNorm: 0, lrd: 0 },
    SGD: { lr: 0, momentum: 0, dampening: 0, weightDecay: 0, nesterov: 0 },
    RMSProp: { lr: 0, alpha: 0, eps: 0, weightDecay: 0, momentum: 0, centered: 0 },
    Adagrad: { lr: 0, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 0 },
  };
  return names[name]!;
}
