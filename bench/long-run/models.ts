/**
 * Models for the long-run scripts, in a module of their own so MCMC worker
 * threads can import them by reference (importing it runs no inference).
 *
 * @module
 */
import { dist, ops, pyro, type Tensor } from "../../src/index.js";

/** Bayesian logistic regression: `w ~ Normal(0, 1)^D`, `b ~ Normal(0, 1)`, `y ~ Bernoulli(logits = x·w + b)`. */
export const logisticRegression = pyro.model(function* (x: Tensor, y: Tensor) {
  const [n, d] = x.shape as [number, number];
  const w = yield* pyro.sample("w", dist.Normal(ops.zeros([d]), 1).toEvent(1));
  const b = yield* pyro.sample("b", dist.Normal(0, 1));
  yield* pyro.plate("data", n, function* () {
    const logits = ops.add(ops.sum(ops.mul(x, w), -1), b);
    yield* pyro.sample("y", dist.Bernoulli({ logits }), { obs: y });
  });
});

/** Synthetic logistic-regression data from a fixed linear congruential generator (no library randomness). */
export function logisticData(n: number, d: number): { x: number[][]; y: number[] } {
  let state = 12345;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const trueW = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -0.5));
  const x = Array.from({ length: n }, () => Array.from({ length: d }, normal));
  const y = x.map((row) => {
    const eta = row.reduce((s, v, j) => s + v * trueW[j]!, 0.3);
    return uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  });
  return { x, y };
}
