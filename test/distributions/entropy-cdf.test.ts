/**
 * Entropies against Monte Carlo estimates -E[log p(x)] (within 4 empirical
 * SEs plus rounding), and cdf/icdf: closed forms against @stdlib's erf and
 * JS math, `icdf(cdf(x)) = x`, and empirical frequencies of draws.
 *
 * Tolerances: cdf values are a few float ops on O(1) numbers, erf/erfinv come
 * from float64 kernels rounded once: 64·ε. `icdf(cdf(x))` amplifies the error
 * of q = cdf(x) by |dx/dq| = 1/pdf(x) (≤ ~20 at the points used): 1e3·ε·(1+|x|).
 *
 * @module
 */
import { describe, it } from "node:test";
import erf from "@stdlib/math-base-special-erf";
import type { Distribution } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import { assertFrequency, assertNear, backends, flat, moments } from "./helpers.js";

const N = 20000;

for (const be of backends) {
  describe(`entropy and cdf on ${be.name}`, () => {
    const { dist, ops, eps } = be;

    const families: [string, Distribution][] = [
      ["Normal(1, 2)", dist.Normal(1, 2)],
      ["Bernoulli(0.3)", dist.Bernoulli(0.3)],
      ["Categorical", dist.Categorical([0.2, 0.3, 0.5])],
      ["Binomial(6, 0.4)", dist.Binomial({ totalCount: 6, probs: 0.4 })],
      ["Beta(2, 0.8)", dist.Beta(2, 0.8)],
      ["Gamma(0.7, 2)", dist.Gamma(0.7, 2)],
      ["HalfCauchy(1.5)", dist.HalfCauchy(1.5)],
      ["HalfNormal(0.5)", dist.HalfNormal(0.5)],
      ["Exponential(3)", dist.Exponential(3)],
      ["Uniform(-1, 2)", dist.Uniform(-1, 2)],
      ["Dirichlet([1, 2, 0.5])", dist.Dirichlet([1, 2, 0.5])],
      ["Independent(Normal)", dist.Normal([0, 1], [1, 3]).toEvent(1)],
    ];
    for (const [name, d] of families) {
      it(`${name}: entropy = -E[log p]`, () => {
        const lp = flat(ops, d.logProb(d.sample(PRNGKey(5), [N])));
        const { mean, variance } = moments(lp.map((v) => -v));
        assertNear(ops.item(d.entropy()), mean, 4 * Math.sqrt(variance / N) + 1e3 * eps, "entropy");
      });
    }

    it("Normal cdf = ½(1 + erf(z/√2)) and icdf inverts it", () => {
      const xs = [-2, -0.3, 0.5, 3];
      const d = dist.Normal(0.5, 1.5);
      flat(ops, d.cdf(xs)).forEach((v, i) => assertNear(v, 0.5 * (1 + erf((xs[i]! - 0.5) / (1.5 * Math.SQRT2))), 64 * eps));
      flat(ops, d.icdf(d.cdf(xs))).forEach((v, i) => assertNear(v, xs[i]!, 1e3 * eps * (1 + Math.abs(xs[i]!)), "icdf(cdf(x))"));
    });

    const univariate: [string, Distribution, number[], (x: number) => number][] = [
      ["Exponential(2)", dist.Exponential(2), [0.1, 0.5, 1.5], (x) => 1 - Math.exp(-2 * x)],
      ["HalfNormal(2)", dist.HalfNormal(2), [0.3, 1, 3], (x) => erf(x / (2 * Math.SQRT2))],
      ["HalfCauchy(1)", dist.HalfCauchy(1), [0.2, 1, 4], (x) => (2 / Math.PI) * Math.atan(x)],
      ["Uniform(-1, 3)", dist.Uniform(-1, 3), [-0.5, 1, 2.5], (x) => (x + 1) / 4],
    ];
    for (const [name, d, xs, cdf] of univariate) {
      it(`${name}: cdf closed form, icdf(cdf(x)) = x, frequencies of draws`, () => {
        const c = flat(ops, d.cdf(xs));
        c.forEach((v, i) => assertNear(v, cdf(xs[i]!), 64 * eps, `cdf(${xs[i]})`));
        flat(ops, d.icdf(c)).forEach((v, i) => assertNear(v, xs[i]!, 1e3 * eps * (1 + Math.abs(xs[i]!)), "icdf(cdf(x))"));
        const draws = flat(ops, d.sample(PRNGKey(9), [N]));
        xs.forEach((x) => assertFrequency(draws.filter((v) => v <= x).length, N, cdf(x), `P(X ≤ ${x})`));
      });
    }
  });
}
