/**
 * Sample moments of every family (mean and variance within 4 standard errors
 * of the known values, with the SE of the variance from the 4th central
 * moment; see `assertMoments`), and rsample gradients: per-sample
 * derivatives of reparameterized draws average to the derivative of the mean
 * (within 4 empirical standard errors). Fixed keys: deterministic.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Distribution } from "../../src/distributions/index.js";
import { PRNGKey, split } from "../../src/tensor/random/index.js";
import type { Tensor } from "../../src/tensor/types.js";
import { assertFrequency, assertMoments, assertNear, backends, flat, moments, type Backend } from "./helpers.js";

const N = 20000;

/** μ₄ from the variance and the excess kurtosis. */
const mu4 = (variance: number, excessKurtosis: number) => variance ** 2 * (3 + excessKurtosis);

/** Mean, variance and 4th central moment of Beta(a, b). */
function betaMoments(a: number, b: number): [number, number, number] {
  const s = a + b;
  const v = (a * b) / (s * s * (s + 1));
  const exk = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
  return [a / s, v, mu4(v, exk)];
}

/** The draws of `d` (sample shape [N]) as numbers. */
function draws(be: Backend, d: Distribution, seed: number): number[] {
  const x = d.sample(PRNGKey(seed), [N]);
  assert.deepEqual([...x.shape], [N, ...d.batchShape, ...d.eventShape]);
  return flat(be.ops, x);
}

/** Column `j` of `n`-column row-major data. */
const column = (xs: readonly number[], j: number, n: number) => xs.filter((_, i) => i % n === j);

for (const be of backends) {
  describe(`sample moments on ${be.name}`, () => {
    const { dist, ops } = be;

    it("Normal (batched: each column its own parameters)", () => {
      const xs = draws(be, dist.Normal([1.5, 10], [2, 0.1]), 1);
      assertMoments(column(xs, 0, 2), 1.5, 4, mu4(4, 0), "Normal(1.5, 2)");
      assertMoments(column(xs, 1, 2), 10, 0.01, mu4(0.01, 0), "Normal(10, 0.1)");
    });

    it("Bernoulli and Binomial", () => {
      const p = 0.3;
      assertMoments(draws(be, dist.Bernoulli(p), 2), p, p * (1 - p), p * (1 - p) * (1 - 3 * p * (1 - p)), "Bernoulli");
      const n = 10;
      const v = n * p * (1 - p);
      assertMoments(draws(be, dist.Binomial({ totalCount: n, probs: p }), 3), n * p, v,
        v * (1 + 3 * (n - 2) * p * (1 - p)), "Binomial");
    });

    it("Categorical frequencies", () => {
      const probs = [0.2, 0.3, 0.5];
      const xs = draws(be, dist.Categorical({ logits: probs.map(Math.log) }), 4);
      probs.forEach((p, k) => assertFrequency(xs.filter((x) => x === k).length, N, p, `P(X = ${k})`));
    });

    it("Beta, Gamma, Exponential, Uniform", () => {
      for (const [a, b] of [[2, 3], [0.5, 0.5]] as const) {
        const [m, v, m4] = betaMoments(a, b);
        assertMoments(draws(be, dist.Beta(a, b), 5), m, v, m4, `Beta(${a}, ${b})`);
      }
      for (const [a, r] of [[3, 2], [0.3, 1]] as const) {
        const v = a / r ** 2;
        assertMoments(draws(be, dist.Gamma(a, r), 6), a / r, v, mu4(v, 6 / a), `Gamma(${a}, ${r})`);
      }
      assertMoments(draws(be, dist.Exponential(2), 7), 0.5, 0.25, mu4(0.25, 6), "Exponential(2)");
      assertMoments(draws(be, dist.Uniform(-1, 3), 8), 1, 16 / 12, mu4(16 / 12, -1.2), "Uniform(-1, 3)");
    });

    it("HalfNormal and HalfCauchy", () => {
      const s = 2;
      const m1 = s * Math.sqrt(2 / Math.PI);
      const [e2, e3, e4] = [s ** 2, 2 * Math.sqrt(2 / Math.PI) * s ** 3, 3 * s ** 4];
      const m4 = e4 - 4 * m1 * e3 + 6 * m1 ** 2 * e2 - 3 * m1 ** 4;
      assertMoments(draws(be, dist.HalfNormal(s), 9), m1, e2 - m1 ** 2, m4, "HalfNormal(2)");
      // HalfCauchy has no moments: check its quartiles (cdf(s tan(π/8)) = 1/4, cdf(s) = 1/2).
      const xs = draws(be, dist.HalfCauchy(s), 10);
      assertFrequency(xs.filter((x) => x <= s * Math.tan(Math.PI / 8)).length, N, 0.25, "HalfCauchy P(X ≤ q1)");
      assertFrequency(xs.filter((x) => x <= s).length, N, 0.5, "HalfCauchy P(X ≤ median)");
    });

    it("Dirichlet marginals are Beta(c_k, c0 - c_k)", () => {
      const c = [1, 2, 3];
      const xs = draws(be, dist.Dirichlet(c), 11);
      c.forEach((ck, k) => {
        const [m, v, m4] = betaMoments(ck, 6 - ck);
        assertMoments(column(xs, k, 3), m, v, m4, `Dirichlet component ${k}`);
      });
    });

    it("LogNormal as a TransformedDistribution, and Delta", () => {
      const [mu, s2] = [0.2, 0.25];
      const v = (Math.exp(s2) - 1) * Math.exp(2 * mu + s2);
      const exk = Math.exp(4 * s2) + 2 * Math.exp(3 * s2) + 3 * Math.exp(2 * s2) - 6;
      const d = dist.TransformedDistribution(dist.Normal(mu, Math.sqrt(s2)), [dist.transforms.ExpTransform()]);
      assertMoments(draws(be, d, 12), Math.exp(mu + s2 / 2), v, mu4(v, exk), "LogNormal");
      assert.deepEqual(flat(ops, dist.Delta([1, 2], { eventDim: 1 }).sample(PRNGKey(0), [2])), [1, 2, 1, 2]);
    });
  });

  describe(`rsample gradients on ${be.name}`, () => {
    const { dist, ops } = be;
    const key = PRNGKey(21);

    /**
     * Per-sample derivatives of `draw(params)` (a tensor of N draws) with
     * respect to param `i`, given each param as N copies so every draw has
     * its own gradient entry.
     */
    function perSampleGrads(params: number[], draw: (ps: readonly Tensor[]) => Tensor, i: number): number[] {
      const xs = params.map((p) => ops.full([N], p));
      const { grads } = ops.valueAndGrad((ps) => ops.sum(draw(ps)), xs);
      return flat(ops, grads[i]!);
    }

    /** Asserts the mean of per-sample derivatives is `want` within 4 empirical SEs. */
    function assertMeanGrad(gs: number[], want: number, what: string): void {
      const { mean, variance } = moments(gs);
      assertNear(mean, want, 4 * Math.sqrt(variance / N) + 64 * be.eps, what);
    }

    it("Normal: d/dloc = 1 exactly, d/dscale E = 0", () => {
      const { grads } = ops.valueAndGrad(([loc, scale]) => ops.mean(dist.Normal(loc!, scale!).rsample(key, [N])),
        [ops.tensor(0.5), ops.tensor(2)]);
      // The gradient sums N copies of 1/N: recursive summation errs by at most N·ε.
      assertNear(ops.item(grads[0]!), 1, N * be.eps, "d/dloc");
      assertNear(ops.item(grads[1]!), 0, 4 / Math.sqrt(N), "d/dscale");
    });

    it("Gamma: d/dα E = 1/rate (implicit reparameterization)", () => {
      for (const [a, r] of [[0.5, 1], [3, 2]] as const) {
        const gs = perSampleGrads([a, r], ([c, rate]) => dist.Gamma(c!, rate!).rsample(key), 0);
        assertMeanGrad(gs, 1 / r, `Gamma(${a}, ${r}) d/dα`);
      }
    });

    it("Beta: d/da E = b/(a+b)², d/db E = -a/(a+b)²", () => {
      const [a, b] = [2, 3];
      const draw = ([c1, c0]: readonly Tensor[]) => dist.Beta(c1!, c0!).rsample(key);
      assertMeanGrad(perSampleGrads([a, b], draw, 0), b / (a + b) ** 2, "d/da");
      assertMeanGrad(perSampleGrads([a, b], draw, 1), -a / (a + b) ** 2, "d/db");
    });

    it("Dirichlet: d/dc_j E[x_0] = (δ_0j c0 - c_0) / c0²", () => {
      const c = [1, 2, 3];
      const conc = ops.expand(ops.tensor(c), [N, 3]);
      const { grads } = ops.valueAndGrad(([cc]) => {
        const x = dist.Dirichlet(cc!).rsample(key);
        return ops.sum(ops.slice(x, [0, 0], [-1, 1]));
      }, [ops.add(conc, 0)]);
      const g = flat(ops, grads[0]!);
      c.forEach((_, j) => assertMeanGrad(column(g, j, 3), ((j === 0 ? 6 : 0) - 1) / 36, `d/dc_${j}`));
    });

    it("Exponential, Uniform, HalfNormal, LogNormal", () => {
      assertMeanGrad(perSampleGrads([2], ([r]) => dist.Exponential(r!).rsample(key), 0), -1 / 4, "Exponential d/drate");
      const uni = ([lo, hi]: readonly Tensor[]) => dist.Uniform(lo!, hi!).rsample(key);
      assertMeanGrad(perSampleGrads([-1, 3], uni, 0), 0.5, "Uniform d/dlow");
      assertMeanGrad(perSampleGrads([1.5], ([s]) => dist.HalfNormal(s!).rsample(key), 0), Math.sqrt(2 / Math.PI), "HalfNormal d/dscale");
      const ln = ([loc, s]: readonly Tensor[]) =>
        dist.TransformedDistribution(dist.Normal(loc!, s!), [dist.transforms.ExpTransform()]).rsample(split(key, 2)[0]!);
      assertMeanGrad(perSampleGrads([0.2, 0.5], ln, 0), Math.exp(0.2 + 0.125), "LogNormal d/dloc");
    });
  });
}
