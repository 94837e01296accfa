/**
 * Models for the parallel-chain tests, in their own module: MCMC worker
 * threads import them by reference (`{ module, export }`), and importing this
 * module runs no inference.
 *
 * @module
 */
import { dist, ops, pyro, type Tensor } from "../../../src/index.js";
import { initToValue } from "../../../src/infer/init.js";
import { NUTS } from "../../../src/infer/mcmc/kernels.js";

/** Unknown mean and scale of normal data: `loc ~ Normal(0, 10)`, `scale ~ HalfNormal(5)`, `obs ~ Normal(loc, scale)`. */
export const normalModel = pyro.model(function* (data: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 10));
  const scale = yield* pyro.sample("scale", dist.HalfNormal(5));
  yield* pyro.plate("data", data.shape[0]!, function* () {
    yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: data });
  });
});

/** A model with different latent sites (for the layout check). */
export const otherModel = pyro.model(function* (_data: Tensor) {
  yield* pyro.sample("z", dist.Normal(0, 1));
});

/** A kernel with a custom init strategy: workers must import the kernel itself. */
export const customInitKernel = new NUTS(normalModel, { initStrategy: initToValue({ values: { loc: 1, scale: 1 } }) });

/** A model whose scale parameter is invalid: its error must cross the thread boundary typed. */
export const badModel = pyro.model(function* (_data: Tensor) {
  yield* pyro.sample("x", dist.Normal(0, ops.tensor(-1)));
});
