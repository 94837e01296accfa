/**
 * The closing note's table: each bad input tried on a backend → the error
 * it gives (class and message), as Markdown.
 *
 *     node --import tsx bench/long-run/bad-inputs.ts [backend=pyro]
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import { codecs, dist, handlers, infer, ops, optim, pyro, pyroBackend } from "../../src/index.js";
import { AdamOptionsC } from "../../src/codecs/inference-options.js";
import { decodeOptions } from "../../src/codecs/options.js";
import { traceFromJSON } from "../../src/codecs/trace.js";

const backend = process.argv[2] ?? "pyro";

const m0 = pyro.model(function* () {
  yield* pyro.sample("x", dist.Normal(0, 1));
});

/** What each bad input is, and the code that tries it. */
const cases: [string, () => unknown][] = [
  ["a site's batch shape [1000] inside `plate('data', 100)`", () =>
    handlers.trace(pyro.model(function* () {
      yield* pyro.plate("data", 100, function* () {
        yield* pyro.sample("obs", dist.Normal(ops.zeros([1000]), 1));
      });
    })).getTrace()],
  ["two sites named `x` in one run", () =>
    handlers.trace(pyro.model(function* () {
      yield* pyro.sample("x", dist.Normal(0, 1));
      yield* pyro.sample("x", dist.Normal(0, 1));
    })).getTrace()],
  ["observation of shape [4] for `Normal` of batch shape [3]", () =>
    handlers.trace(pyro.model(function* () {
      yield* pyro.sample("y", dist.Normal(ops.zeros([3]), 1), { obs: ops.zeros([4]) });
    })).getTrace()],
  ["`dist.Normal(0, [1, -2, 3])` (validateArgs)", () => dist.Normal(0, ops.tensor([1, -2, 3]))],
  ["`dist.Bernoulli(1.5)`", () => dist.Bernoulli(1.5)],
  ["`Bernoulli` observation 2 (log density computed)", () =>
    handlers.trace(pyro.model(function* () {
      yield* pyro.sample("x", dist.Bernoulli(0.5), { obs: 2 });
    })).getTrace().logProbSum(ops)],
  ["SVI step with an observation `Infinity`", () => {
    const model = pyro.model(function* () {
      yield* pyro.sample("y", dist.Normal(0, 1), { obs: Infinity });
    });
    return new infer.SVI(model, pyro.model(function* () {}), optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).step();
  }],
  ["SVI with a guide site `w` the model lacks", () => {
    const guide = pyro.model(function* () {
      yield* pyro.sample("x", dist.Normal(0, 1));
      yield* pyro.sample("w", dist.Normal(0, 1));
    });
    return new infer.SVI(m0, guide as never, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).step();
  }],
  ["a `Normal` guide for a `Gamma` latent (support mismatch)", () => {
    const model = pyro.model(function* () {
      yield* pyro.sample("z", dist.Gamma(2, 1));
    });
    const guide = pyro.model(function* () {
      yield* pyro.sample("z", dist.Normal(3, 0.1));
    });
    return new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).step();
  }],
  ["a site batched [3] without a plate (SVI)", () => {
    const m = pyro.model(function* () {
      yield* pyro.sample("z", dist.Normal(ops.zeros([3]), 1));
    });
    return new infer.SVI(m, m, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).step();
  }],
  ['`pyro.param("loc")` read before it exists', () => {
    pyro.clearParamStore();
    return pyro.getParam("loc");
  }],
  ['`pyroBackend("jax", ...)`', () => pyroBackend("jax", () => 1)],
  ["`infer.NUTS` on minipyro", () => pyroBackend("minipyro", () => infer.NUTS)],
  ["`new infer.MCMC(kernel, { numSamples: 1.5 })`", () => new infer.MCMC(new infer.NUTS(m0), { numSamples: 1.5 })],
  ["`new infer.MCMC(kernel, { numSample: 10 })` (typo)", () => new infer.MCMC(new infer.NUTS(m0), { numSample: 10 } as never)],
  ['`chainMethod: "parallel"` without `workerModule`', () => new infer.MCMC(new infer.NUTS(m0), { numSamples: 10, chainMethod: "parallel" })],
  ["`new infer.NUTS(model, { stepSize: -1 })`", () => new infer.NUTS(m0, { stepSize: -1 })],
  ["`optim.Adam({ lr: -1 })`", () => optim.Adam({ lr: -1 })],
  ["Adam options codec, `{ lr: -1 }`", () => decodeOptions("optim.Adam", AdamOptionsC, { lr: -1 })],
  ["`svi.run({ numSteps: 1.5 })`", () => new infer.SVI(m0, m0, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).run({ numSteps: 1.5 })],
  ["`new infer.TraceELBO({ numParticles: 0 })`", () => new infer.TraceELBO({ numParticles: 0 })],
  ["`pyro.data` with `y[1] = null`", () =>
    pyro.data(t.type({ y: codecs.tensor(["J"]), sigma: codecs.tensor(["J"], { min: 0, minExclusive: true }) }), { y: [1, null, 3], sigma: [1, 2] })],
  ["`pyro.data` with `sigma` of 2 elements for `J = 3`", () =>
    pyro.data(t.type({ y: codecs.tensor(["J"]), sigma: codecs.tensor(["J"]) }), { y: [1, 2, 3], sigma: [1, 2] })],
  ["a saved trace with `values[1] = \"b\"`", () =>
    traceFromJSON(ops, { format: "pyroapi/trace", version: 1, dtype: "float32", sites: [{ name: "x", type: "sample", observed: false, value: { shape: [2], values: [1, "b"] } }] })],
  ["a saved param store with a string value", () => pyro.getParamStore().setState({ format: "pyroapi/param-store", version: 1, dtype: "float32", params: { m: { constraint: { name: "real" }, shape: [], unconstrained: "x" } } })],
  ["`ops.add` of shapes [3] and [4] in a model", () => ops.add(ops.zeros([3]), ops.zeros([4]))],
];

const escape = (s: string) => s.replace(/\|/g, "\\|").replace(/\n\s*/g, " ⏎ ");
console.log(`| bad input (${backend}) | error | message |\n| --- | --- | --- |`);
pyroBackend(backend, () => {
  for (const [what, f] of cases) {
    let row: string;
    try {
      f();
      row = "(no error) | —";
    } catch (e) {
      const err = e as Error;
      row = `${err.constructor.name}${err.name !== err.constructor.name ? ` (name ${err.name})` : ""} | ${escape(err.message)}`;
    }
    console.log(`| ${escape(what)} | ${row} |`);
  }
});
