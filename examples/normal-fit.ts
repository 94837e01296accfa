/**
 * Fitting a Normal's loc and scale: maximum likelihood with `pyro.param` and
 * an empty guide, then the same data with priors and a mean-field guide.
 *
 * Run with `node --import tsx examples/normal-fit.ts [backend]`.
 */
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../src/index.js";

// 500 draws from N(3, 2²) with the library's own seeded sampler.
const backend = process.argv[2] ?? "pyro";
const steps = Number(process.env.EXAMPLE_STEPS ?? 1000);
pyroBackend(backend, () => {
  const data = pyro.run(pyro.sample("data", dist.Normal(3, 2), { sampleShape: [500] }));
  const n = data.shape[0]!;

  // 1. Maximum likelihood: loc and scale are params, the guide is empty.
  const mle = pyro.model(function* (x: Tensor) {
    const loc = yield* pyro.param("loc", 0);
    const scale = yield* pyro.param("scale", 1, { constraint: dist.constraints.positive });
    yield* pyro.plate("data", n, function* () {
      yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: x });
    });
  });
  const empty = pyro.model(function* (_x: Tensor) {});
  pyro.clearParamStore();
  const svi = new infer.SVI(mle, empty, optim.Adam({ lr: 0.05 }), new infer.TraceELBO());
  for (let i = 0; i < steps; i++) svi.step(data);
  const mean = ops.item(ops.mean(data));
  const sd = Math.sqrt(ops.item(ops.mean(ops.square(ops.sub(data, mean)))));
  console.log(`MLE      loc ${ops.item(pyro.getParam("loc")).toFixed(3)}  scale ${ops.item(pyro.getParam("scale")).toFixed(3)}`);
  console.log(`closed   loc ${mean.toFixed(3)}  scale ${sd.toFixed(3)}  (sample mean and sd)`);

  // 2. Bayesian: priors on loc and log-scale, a mean-field Normal guide.
  const model = pyro.model(function* (x: Tensor) {
    const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
    const scale = yield* pyro.sample("scale", dist.LogNormal(0, 2));
    yield* pyro.plate("data", n, function* () {
      yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: x });
    });
  });
  const guide = pyro.model(function* (_x: Tensor) {
    const m = yield* pyro.param("m", 0);
    const s = yield* pyro.param("s", 0.1, { constraint: dist.constraints.positive });
    const lm = yield* pyro.param("log_scale_m", 0);
    const ls = yield* pyro.param("log_scale_s", 0.1, { constraint: dist.constraints.positive });
    yield* pyro.sample("loc", dist.Normal(m, s));
    yield* pyro.sample("scale", dist.LogNormal(lm, ls));
  });
  pyro.clearParamStore();
  const vi = new infer.SVI(model, guide, optim.Adam({ lr: 0.02 }), new infer.TraceMeanFieldELBO());
  for (let i = 0; i < 2 * steps; i++) vi.step(data);
  const g = (name: string) => ops.item(pyro.getParam(name)).toFixed(3);
  console.log(`VI       loc ~ N(${g("m")}, ${g("s")}²)  scale ~ LogNormal(${g("log_scale_m")}, ${g("log_scale_s")}²)`);
  console.log(`         (posterior sd of loc ≈ scale/√n = ${(sd / Math.sqrt(n)).toFixed(3)})`);
});
