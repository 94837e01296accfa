/**
 * NUTS with 10,000 samples on the pyro (tfjs) backend: the live-tensor count
 * and the heap (after forced GC) before and after, for `run` and `runAsync`.
 *
 *     node --expose-gc --import tsx bench/long-run/mcmc.ts [samples=10000] [backend=pyro]
 *
 * @module
 */
import { dist, handlers, infer, ops, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { reading, show } from "./memory.js";

const numSamples = Number(process.argv[2] ?? 10_000);
const backend = process.argv[3] ?? "pyro";

const model = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  const scale = yield* pyro.sample("scale", dist.LogNormal(0, 1));
  yield* pyro.plate("data", y.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: y });
  });
});

await pyroBackend(backend, async () => {
  const y = ops.tensor([1.8, 0.4, 3.0, 1.3, 2.2, 2.9, 0.7, 1.5]);
  console.log(`NUTS on ${backend}: 1000 warmup + ${numSamples} samples, run then runAsync`);
  const before = reading();
  console.log(show("before", before));
  const mcmc = handlers.seed(1, () => new infer.MCMC(new infer.NUTS(model), { numSamples, warmupSteps: 1000, progressBar: false }));
  let start = performance.now();
  mcmc.run(y);
  const afterRun = reading();
  console.log(show("after run", afterRun), `  ${((performance.now() - start) / 1000).toFixed(1)} s`);
  start = performance.now();
  await mcmc.runAsync(y);
  const afterAsync = reading();
  console.log(show("after runAsync", afterAsync), `  ${((performance.now() - start) / 1000).toFixed(1)} s`);
  const s = mcmc.getSamples();
  console.log(`loc: mean ${ops.tidy(() => ops.item(ops.mean(s.loc!))).toFixed(3)}; ${s.loc!.shape[0]} draws`);
  ops.dispose(Object.values(s));
  const end = reading();
  console.log(show("after disposing samples", end));
  console.log(`tensor count ${before.tensors} → ${afterRun.tensors} → ${afterAsync.tensors} (${afterAsync.tensors === before.tensors ? "constant" : "CHANGED"}); heap ${before.heapMB.toFixed(1)} → ${end.heapMB.toFixed(1)} MB`);
});
