/**
 * The reproducibility fingerprint: with fixed seeds, SVI losses and learned params on every
 * backend, and MCMC samples on the backends with MCMC. Run as a script it prints the fingerprint
 * as JSON (numbers in JSON round-trip exactly), so the test can compare two processes bit for bit.
 *
 * @module
 */
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";

const model = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  yield* pyro.plate("data", y.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: y });
  });
});

const guide = pyro.model(function* (_y: Tensor) {
  const m = yield* pyro.param("m", 0);
  const s = yield* pyro.param("s", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("loc", dist.Normal(m, s));
});

const scaleModel = pyro.model(function* (y: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  const scale = yield* pyro.sample("scale", dist.HalfNormal(5));
  yield* pyro.plate("data", y.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: y });
  });
});

/** What one backend computes with fixed seeds. */
export interface Fingerprint {
  /** The SVI losses. */
  readonly losses: number[];
  /** The learned params. */
  readonly params: Record<string, number>;
  /** MCMC draws of each site (absent on backends without MCMC). */
  readonly samples?: Record<string, number[]>;
}

/** The fingerprint of `backend`: 30 SVI steps from `seed` and, where MCMC exists, 2 NUTS chains of 25 + 25 from `seed + 4`. */
export function fingerprint(backend: string, seed = 7): Fingerprint {
  return pyroBackend(backend, () => {
    pyro.clearParamStore();
    const y = ops.tensor([1.8, 0.4, 3.0, 1.3, 2.2]);
    const losses = handlers.seed(seed, () => {
      const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.05 }), new infer.TraceELBO());
      return Array.from({ length: 30 }, () => svi.step(y));
    });
    const params = { m: ops.item(pyro.getParam("m")), s: ops.item(pyro.getParam("s")) };
    pyro.clearParamStore();
    if (!("NUTS" in infer)) return { losses, params };
    const samples = handlers.seed(seed + 4, () => {
      const mcmc = new infer.MCMC(new infer.NUTS(scaleModel), { numSamples: 25, warmupSteps: 25, numChains: 2, progressBar: false });
      mcmc.run(y);
      return Object.fromEntries(Object.entries(mcmc.getSamples()).map(([k, v]) => [k, Array.from(ops.toFlat(v))]));
    });
    return { losses, params, samples };
  });
}

/** The backends the fingerprint covers. */
export const BACKENDS = ["pyro", "numpy", "minipyro"] as const;

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) {
  process.stdout.write(JSON.stringify(Object.fromEntries(BACKENDS.map((b) => [b, fingerprint(b)]))));
}
