/**
 * Sample moments of the families added for issue 3 (mean and variance within
 * 4 standard errors, the SE of the variance from the 4th central moment — see
 * `assertMoments`), quartile frequencies for the heavy-tailed Cauchy,
 * analytic `mean` / `variance` against the references, entropy against the
 * Monte Carlo estimate `E[-log p(X)]` (4 empirical SEs), and rsample
 * gradients (per-sample derivatives average to the derivative of the mean,
 * within 4 empirical SEs). Reference moments are computed here from textbook
 * formulas (raw moments through @stdlib `gammaln`) or by summing the pmf.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import gammaln from "@stdlib/math-base-special-gammaln";
import erf from "@stdlib/math-base-special-erf";
import type { Distribution } from "../../src/distributions/index.js";
import { PRNGKey } from "../../src/tensor/random/index.js";
import type { Tensor } from "../../src/tensor/types.js";
import { assertFrequency, assertMoments, assertNear, backends, flat, moments, type Backend } from "./helpers.js";

const N = 20000;
const EULER = 0.5772156649015329;
type Mom = [mean: number, variance: number, mu4: number];

/** Mean, variance and μ₄ from the raw moments m1..m4. */
function fromRaw([m1, m2, m3, m4]: number[]): Mom {
  return [m1!, m2! - m1! ** 2, m4! - 4 * m1! * m3! + 6 * m1! ** 2 * m2! - 3 * m1! ** 4];
}
/** Mean, variance and μ₄ from the variance and the excess kurtosis. */
const fromKurtosis = (mean: number, v: number, exk: number): Mom => [mean, v, v * v * (3 + exk)];
/** Mean, variance and μ₄ of a pmf over `0..n` (or given support values). */
function fromPmf(values: number[], logPmf: (k: number) => number): Mom {
  const ps = values.map(logPmf).map(Math.exp);
  const raw = [1, 2, 3, 4].map((j) => values.reduce((s, k, i) => s + ps[i]! * k ** j, 0));
  return fromRaw(raw);
}
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

interface MomentCase {
  readonly name: string;
  readonly make: (be: Backend) => Distribution;
  readonly ref: Mom;
}

const [wl, wk] = [1.5, 2];
const [ps, pa] = [1, 6];
const [ia, ib] = [10, 2];
const bbLog = (k: number) => gammaln(11) - gammaln(k + 1) - gammaln(11 - k) +
  gammaln(k + 2) + gammaln(10 - k + 3) - gammaln(15) - (gammaln(2) + gammaln(3) - gammaln(5));

const CASES: readonly MomentCase[] = [
  { name: "Laplace(1, 2)", make: (be) => be.dist.Laplace(1, 2), ref: fromKurtosis(1, 8, 3) },
  { name: "Gumbel(1, 2)", make: (be) => be.dist.Gumbel(1, 2), ref: fromKurtosis(1 + 2 * EULER, (Math.PI ** 2 * 4) / 6, 12 / 5) },
  { name: "LogNormal(0.2, 0.5)", make: (be) => be.dist.LogNormal(0.2, 0.5),
    ref: fromRaw([1, 2, 3, 4].map((j) => Math.exp(j * 0.2 + (j * j * 0.25) / 2))) },
  { name: "Weibull(1.5, 2)", make: (be) => be.dist.Weibull(wl, wk),
    ref: fromRaw([1, 2, 3, 4].map((j) => wl ** j * Math.exp(gammaln(1 + j / wk)))) },
  { name: "Pareto(1, 6)", make: (be) => be.dist.Pareto(ps, pa), ref: fromRaw([1, 2, 3, 4].map((j) => (pa * ps ** j) / (pa - j))) },
  { name: "Chi2(4)", make: (be) => be.dist.Chi2(4), ref: fromKurtosis(4, 8, 3) },
  { name: "InverseGamma(10, 2)", make: (be) => be.dist.InverseGamma(ia, ib),
    ref: fromRaw([1, 2, 3, 4].map((j) => ib ** j * Math.exp(gammaln(ia - j) - gammaln(ia)))) },
  { name: "StudentT(10, 1, 2)", make: (be) => be.dist.StudentT(10, 1, 2), ref: fromKurtosis(1, 4 * 10 / 8, 1) },
  { name: "Poisson(3.5)", make: (be) => be.dist.Poisson(3.5), ref: [3.5, 3.5, 3.5 * (1 + 3 * 3.5)] },
  { name: "Geometric(0.3)", make: (be) => be.dist.Geometric(0.3), ref: fromKurtosis(0.7 / 0.3, 0.7 / 0.09, 6 + 0.09 / 0.7) },
  { name: "NegativeBinomial(3, 0.4)", make: (be) => be.dist.NegativeBinomial({ totalCount: 3, probs: 0.4 }),
    ref: fromKurtosis(3 * 0.4 / 0.6, 3 * 0.4 / 0.36, 6 / 3 + 0.36 / (3 * 0.4)) },
  { name: "BetaBinomial(2, 3, 10)", make: (be) => be.dist.BetaBinomial(2, 3, 10), ref: fromPmf(range(0, 10), bbLog) },
  { name: "DiscreteUniform(-2, 5)", make: (be) => be.dist.DiscreteUniform(-2, 5), ref: fromPmf(range(-2, 5), () => -Math.log(8)) },
];

for (const be of backends) {
  describe(`moments of the added families on ${be.name}`, () => {
    const { ops, dist, eps } = be;
    CASES.forEach((c, i) => {
      it(`${c.name}: draws, mean, variance, entropy`, () => {
        const d = c.make(be);
        const x = d.sample(PRNGKey(100 + i), [N]);
        const [m, v, m4] = c.ref;
        assertMoments(flat(ops, x), m, v, m4, c.name);
        assertNear(ops.item(d.mean), m, 1e3 * eps * (1 + Math.abs(m)), "analytic mean");
        assertNear(ops.item(d.variance), v, 1e3 * eps * (1 + v), "analytic variance");
        let h: number | undefined;
        try { h = ops.item(d.entropy()); } catch { h = undefined; }
        if (h !== undefined) {
          const nlp = flat(ops, d.logProb(x)).map((l) => -l);
          const s = moments(nlp);
          assertNear(h, s.mean, 4 * Math.sqrt(s.variance / N) + 1e3 * eps, "entropy vs E[-log p]");
        }
      });
    });

    it("Cauchy: quartiles and entropy", () => {
      const d = dist.Cauchy(1, 2);
      const xs = flat(ops, d.sample(PRNGKey(7), [N]));
      assertFrequency(xs.filter((x) => x <= -1).length, N, 0.25, "P(X ≤ loc - scale)");
      assertFrequency(xs.filter((x) => x <= 1).length, N, 0.5, "P(X ≤ loc)");
      const nlp = moments(flat(ops, d.logProb(xs)).map((l) => -l));
      assertNear(ops.item(d.entropy()), nlp.mean, 4 * Math.sqrt(nlp.variance / N), "entropy");
      assert.ok(Number.isNaN(ops.item(d.mean)));
    });

    it("cdf and icdf against the closed forms", () => {
      const cases: [Distribution, (x: number) => number, number[]][] = [
        [dist.Cauchy(1, 2), (x) => 0.5 + Math.atan((x - 1) / 2) / Math.PI, [-3, 1, 4]],
        [dist.Laplace(1, 2), (x) => (x < 1 ? 0.5 * Math.exp((x - 1) / 2) : 1 - 0.5 * Math.exp(-(x - 1) / 2)), [-3, 1, 4]],
        [dist.Gumbel(1, 2), (x) => Math.exp(-Math.exp(-(x - 1) / 2)), [-3, 1, 4]],
        [dist.LogNormal(0.2, 0.5), (x) => 0.5 * (1 + erf((Math.log(x) - 0.2) / (0.5 * Math.SQRT2))), [0.5, 1, 3]],
        [dist.Weibull(1.5, 2), (x) => 1 - Math.exp(-((x / 1.5) ** 2)), [0.5, 1, 3]],
        [dist.Pareto(1, 3), (x) => 1 - x ** -3, [1.1, 2, 5]],
        [dist.DiscreteUniform(-2, 5), (x) => (Math.floor(x) + 3) / 8, [-2, 0.5, 5]],
      ];
      for (const [d, cdf, xs] of cases) {
        flat(ops, d.cdf(xs)).forEach((v, i) => assertNear(v, cdf(xs[i]!), 64 * eps, `${d.name}.cdf(${xs[i]})`));
        if (d.name === "DiscreteUniform") continue;
        const qs = [0.1, 0.5, 0.9];
        flat(ops, d.cdf(d.icdf(qs))).forEach((v, i) => assertNear(v, qs[i]!, 1e3 * eps, `${d.name} cdf(icdf(${qs[i]}))`));
      }
    });
  });

  describe(`rsample gradients of the added families on ${be.name}`, () => {
    const { dist, ops } = be;
    const key = PRNGKey(31);

    /** Per-sample derivatives of `draw` (N draws, each parameter given as N copies) w.r.t. param `i`. */
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

    it("InverseGamma d/dα E = -β/(α-1)², Weibull d/dk E, Pareto d/dα E = -s/(α-1)²", () => {
      assertMeanGrad(perSampleGrads([ia, ib], ([a, b]) => dist.InverseGamma(a!, b!).rsample(key), 0),
        -ib / (ia - 1) ** 2, "InverseGamma d/dα");
      // E = λ Γ(1 + 1/k): d/dk = -λ Γ(1 + 1/k) ψ(1 + 1/k) / k²; ψ(1.5) = 2 - γ - 2 log 2.
      const psi15 = 2 - EULER - 2 * Math.LN2;
      assertMeanGrad(perSampleGrads([wl, wk], ([l, k]) => dist.Weibull(l!, k!).rsample(key), 1),
        (-wl * Math.exp(gammaln(1.5)) * psi15) / wk ** 2, "Weibull d/dk");
      assertMeanGrad(perSampleGrads([ps, pa], ([s, a]) => dist.Pareto(s!, a!).rsample(key), 1), -ps / (pa - 1) ** 2, "Pareto d/dα");
    });

    it("StudentT d/dν E[x²] = -2 s² / (ν - 2)² (implicit gamma), LogNormal, Folded", () => {
      const [nu, s] = [10, 2];
      const st = ([n, sc]: readonly Tensor[]) => ops.square(dist.StudentT(n!, 0, sc!).rsample(key));
      assertMeanGrad(perSampleGrads([nu, s], st, 0), (-2 * s * s) / (nu - 2) ** 2, "StudentT d/dν");
      const ln = ([m, sc]: readonly Tensor[]) => dist.LogNormal(m!, sc!).rsample(key);
      assertMeanGrad(perSampleGrads([0.2, 0.5], ln, 1), 0.5 * Math.exp(0.2 + 0.125), "LogNormal d/dscale");
      const fo = ([m, sc]: readonly Tensor[]) => dist.FoldedDistribution(dist.Normal(m!, sc!)).rsample(key);
      assertMeanGrad(perSampleGrads([1, 2], fo, 0), erf(1 / (2 * Math.SQRT2)), "Folded d/dloc E|X|");
      const gu = ([m, sc]: readonly Tensor[]) => dist.Gumbel(m!, sc!).rsample(key);
      assertMeanGrad(perSampleGrads([1, 2], gu, 1), EULER, "Gumbel d/dscale");
    });
  });
}
