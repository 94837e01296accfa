/**
 * Bayesian logistic regression two ways, side by side: variational inference
 * with an AutoNormal guide, and NUTS.
 *
 * Run with `node --import tsx examples/logistic-regression.ts [backend]` (default numpy).
 */
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../src/index.js";

const N = 500;
const D = 3;
const trueW = [1, -2, 0.5];
const trueB = 0.3;

const model = pyro.model(function* (x: Tensor, y?: Tensor) {
  const w = yield* pyro.sample("w", dist.Normal(ops.zeros([D]), 1).toEvent(1));
  const b = yield* pyro.sample("b", dist.Normal(0, 1));
  yield* pyro.plate("data", N, function* () {
    yield* pyro.sample("y", dist.Bernoulli({ logits: ops.add(ops.matmul(x, w), b) }), { obs: y });
  });
});

const backend = process.argv[2] ?? "numpy";
const steps = Number(process.env.EXAMPLE_STEPS ?? 2000);
pyroBackend(backend, () => {
  // Synthetic data from the model itself, with the true coefficients fixed.
  const x = pyro.run(pyro.sample("x", dist.Normal(0, 1), { sampleShape: [N, D] }));
  const y = handlers.trace(handlers.condition(model, { w: trueW, b: trueB })).getTrace(x).nodes.get("y")!.value!;

  // Variational inference with AutoNormal.
  pyro.clearParamStore();
  const guide = infer.autoguide.AutoNormal(model);
  const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.02 }), new infer.TraceELBO());
  let t = performance.now();
  for (let i = 0; i < steps; i++) svi.step(x, y);
  const sviSeconds = (performance.now() - t) / 1000;
  const q = guide.quantiles([0.05, 0.5, 0.95], x, y);

  // NUTS.
  const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: steps / 2, warmupSteps: steps / 2 });
  t = performance.now();
  mcmc.run(x, y);
  const nutsSeconds = (performance.now() - t) / 1000;
  const samples = mcmc.getSamples();

  const fmt = (v: number) => v.toFixed(3).padStart(7);
  const column = (draws: Float32Array | Float64Array, j: number, k: number) => {
    const xs = Array.from({ length: draws.length / k }, (_, i) => draws[i * k + j]!).sort((a, b) => a - b);
    const at = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    return [at(0.05), at(0.5), at(0.95)];
  };
  console.log(`${"".padEnd(6)}  ${"AutoNormal 5% / 50% / 95%".padEnd(27)}  ${"NUTS 5% / 50% / 95%".padEnd(27)}  true`);
  const wq = ops.toFlat(q.w!); // [3 quantiles, D]
  const wDraws = ops.toFlat(samples.w!);
  for (let j = 0; j < D; j++) {
    const vi = [0, 1, 2].map((k) => wq[k * D + j]!);
    console.log(`w[${j}]    ${vi.map(fmt).join(" ")}   ${column(wDraws, j, D).map(fmt).join(" ")}   ${fmt(trueW[j]!)}`);
  }
  const bq = Array.from(ops.toFlat(q.b!));
  console.log(`b       ${bq.map(fmt).join(" ")}   ${column(ops.toFlat(samples.b!), 0, 1).map(fmt).join(" ")}   ${fmt(trueB)}`);
  console.log(`\nSVI: ${steps} steps in ${sviSeconds.toFixed(1)} s; NUTS: ${steps / 2} + ${steps / 2} iterations in ${nutsSeconds.toFixed(1)} s (${backend})`);
});
