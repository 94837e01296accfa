/**
 * Port of pyroapi's `testing.py` MODELS: each entry is a program that
 * generates its data (under `handlers.seed(·, 1)`, as pyroapi registers them)
 * and returns the model and its arguments.
 */
import { dist, handlers, ops, pyro, type Model, AnyModel, type Tensor } from "../../src/index.js";

/** A MODELS entry once its data are generated. */
export interface ModelCase {
  readonly model: AnyModel;
  readonly modelArgs: readonly unknown[];
}

const logisticRegression = pyro.model(function* () {
  const N = 3000;
  const dim = 3;
  // The generic way to sample data: a sample site with a sample shape.
  const data = yield* pyro.sample("data", dist.Normal(0, 1), { sampleShape: [N, dim] });
  const trueCoefs = ops.arange(1, dim + 1);
  const logits = ops.sum(ops.mul(trueCoefs, data), { axis: -1 });
  const labels = yield* pyro.sample("labels", dist.Bernoulli({ logits }));
  const model = pyro.model(function* (x: Tensor, y?: Tensor) {
    const coefs = yield* pyro.sample("coefs", dist.Normal(ops.zeros([dim]), ops.ones([dim])));
    const intercept = yield* pyro.sample("intercept", dist.Normal(0, 1));
    const l = ops.add(ops.sum(ops.mul(coefs, x), { axis: -1 }), intercept);
    return yield* pyro.sample("obs", dist.Bernoulli({ logits: l }), { obs: y });
  });
  return { model, modelArgs: [data, labels] } as unknown as ModelCase;
});

const nealsFunnel = pyro.model(function* () {
  const model = pyro.model(function* (dim: number) {
    const y = yield* pyro.sample("y", dist.Normal(0, 3));
    yield* pyro.sample(
      "x",
      dist.TransformedDistribution(
        dist.Normal(ops.zeros([dim - 1]), 1),
        dist.transforms.AffineTransform(0, ops.exp(ops.div(y, 2))),
      ),
    );
  });
  return { model, modelArgs: [10] } as unknown as ModelCase;
});

const eightSchools = pyro.model(function* () {
  const J = 8;
  const y = ops.tensor([28, 8, -3, 7, -1, 1, 18, 12]);
  const sigma = ops.tensor([15, 10, 16, 11, 9, 11, 10, 18]);
  const model = pyro.model(function* (J: number, sigma: Tensor, y?: Tensor) {
    const mu = yield* pyro.sample("mu", dist.Normal(0, 5));
    const tau = yield* pyro.sample("tau", dist.HalfCauchy(5));
    yield* pyro.plate("J", J, function* () {
      const theta = yield* pyro.sample("theta", dist.Normal(mu, tau));
      yield* pyro.sample("obs", dist.Normal(theta, sigma), { obs: y });
    });
  });
  return { model, modelArgs: [J, sigma, y] } as unknown as ModelCase;
});

const betaBinomial = pyro.model(function* () {
  const [N, D1, D2] = [10, 2, 2];
  const trueProbs = ops.tensor([
    [0.7, 0.4],
    [0.6, 0.4],
  ]);
  const totalCount = ops.tensor([
    [1000, 600],
    [400, 800],
  ]);
  const data = yield* pyro.sample("data", dist.Binomial({ totalCount, probs: trueProbs }), { sampleShape: [N] });
  const model = pyro.model(function* (N: number, D1: number, D2: number, data?: Tensor) {
    yield* pyro.plate("plate_0", D1, function* () {
      const alpha = yield* pyro.sample("alpha", dist.HalfCauchy(1));
      const beta = yield* pyro.sample("beta", dist.HalfCauchy(1));
      yield* pyro.plate("plate_1", D2, function* () {
        const probs = yield* pyro.sample("probs", dist.Beta(alpha, beta));
        yield* pyro.plate("data", N, function* () {
          yield* pyro.sample("binomial", dist.Binomial({ probs, totalCount }), { obs: data });
        });
      });
    });
  });
  return { model, modelArgs: [N, D1, D2, data] } as unknown as ModelCase;
});

/** The MODELS of pyroapi's testing.py, by name. */
export const MODELS = {
  logistic_regression: logisticRegression,
  neals_funnel: nealsFunnel,
  eight_schools: eightSchools,
  beta_binomial: betaBinomial,
} as const;

/** Generates a MODELS entry's data on the current backend, seeded with 1 as pyroapi registers them. */
export function loadModel(name: keyof typeof MODELS): ModelCase {
  return pyro.run(handlers.seed(MODELS[name], 1)());
}
