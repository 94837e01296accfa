/**
 * `logProb` of the families added for issue 3 against reference values
 * computed here from the textbook densities with JS float64 math and @stdlib
 * `gammaln`/`digamma` (independent of the code under test), for several
 * parameter sets including broadcasting, on every backend. Tolerances as in
 * `helpers.ts`: 64·ε·(1 + M + S) with M = Σ|terms| and S the condition sum.
 *
 * @module
 */
import { describe, it } from "node:test";
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Distribution, DistributionsModule } from "../../src/distributions/index.js";
import type { NestedArray } from "../../src/tensor/types.js";
import { assertLogProbs, backends, type Reference } from "./helpers.js";

/** `[value, Σ|terms|]` of a sum of terms. */
function terms(...ts: number[]): [number, number] {
  return [ts.reduce((a, b) => a + b, 0), ts.reduce((a, b) => a + Math.abs(b), 0)];
}

const LOG_PI = Math.log(Math.PI);
const logSigmoid = (l: number) => -(Math.max(-l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
const logBeta = (a: number, b: number) => gammaln(a) + gammaln(b) - gammaln(a + b);

const REFS: Record<string, Reference> = {
  cauchy: (x, m, s) => terms(-LOG_PI, -Math.log(s), -Math.log1p(((x - m) / s) ** 2)),
  studentT: (x, nu, m, s) => terms(
    gammaln((nu + 1) / 2), -gammaln(nu / 2), -0.5 * Math.log(nu * Math.PI), -Math.log(s),
    -((nu + 1) / 2) * Math.log1p(((x - m) / s) ** 2 / nu)),
  logNormal: (x, m, s) => terms(-Math.log(x), -Math.log(s), -0.5 * Math.log(2 * Math.PI), -0.5 * ((Math.log(x) - m) / s) ** 2),
  laplace: (x, m, b) => terms(-Math.log(2 * b), -Math.abs(x - m) / b),
  gumbel: (x, m, b) => terms(-(x - m) / b, -Math.exp(-(x - m) / b), -Math.log(b)),
  weibull: (x, l, k) => terms(Math.log(k / l), (k - 1) * Math.log(x / l), -((x / l) ** k)),
  pareto: (x, s, a) => terms(Math.log(a), a * Math.log(s), -(a + 1) * Math.log(x)),
  chi2: (x, k) => terms((k / 2 - 1) * Math.log(x), -x / 2, -(k / 2) * Math.LN2, -gammaln(k / 2)),
  inverseGamma: (x, a, b) => terms(a * Math.log(b), -gammaln(a), -(a + 1) * Math.log(x), -b / x),
  poisson: (k, l) => terms(k === 0 ? 0 : k * Math.log(l), -l, -gammaln(k + 1)),
  geometric: (k, p) => terms(k * Math.log1p(-p), Math.log(p)),
  geometricLogits: (k, l) => terms(k * logSigmoid(-l), logSigmoid(l)),
  negBinomial: (k, r, p) => terms(gammaln(k + r), -gammaln(k + 1), -gammaln(r), k * Math.log(p), r * Math.log1p(-p)),
  negBinomialLogits: (k, r, l) => terms(gammaln(k + r), -gammaln(k + 1), -gammaln(r), k * logSigmoid(l), r * logSigmoid(-l)),
  betaBinomial: (k, a, b, n) => terms(gammaln(n + 1), -gammaln(k + 1), -gammaln(n - k + 1), logBeta(k + a, n - k + b), -logBeta(a, b)),
  discreteUniform: (_x, lo, hi) => terms(-Math.log(hi - lo + 1)),
};

interface Case {
  readonly name: string;
  /** `args[0]` is the value, the rest the parameters. */
  readonly args: readonly NestedArray[];
  readonly make: (dist: DistributionsModule, ...params: NestedArray[]) => Distribution;
  readonly ref: Reference;
}

const CASES: readonly Case[] = [
  { name: "Cauchy", args: [[[0.3, -4, 12]], [0, 1, -2], [[1], [0.5]]], make: (d, m, s) => d.Cauchy(m!, s!), ref: REFS.cauchy! },
  { name: "StudentT", args: [[0.5, -3, 8], [1, 4.5, 30], [0, 1, -2], [1, 2, 0.5]],
    make: (d, nu, m, s) => d.StudentT(nu!, m!, s!), ref: REFS.studentT! },
  { name: "StudentT defaults broadcast", args: [[[0.2], [-1.5]], [2, 7], 0, 1],
    make: (d, nu) => d.StudentT(nu!), ref: REFS.studentT! },
  { name: "LogNormal", args: [[0.5, 1, 4], [0, 0.3, -1], [[1], [2]]], make: (d, m, s) => d.LogNormal(m!, s!), ref: REFS.logNormal! },
  { name: "Laplace", args: [[[0.3, -1.2, 5]], [0, 1, -2], [[1], [0.25]]], make: (d, m, b) => d.Laplace(m!, b!), ref: REFS.laplace! },
  { name: "Gumbel", args: [[0.3, -1.2, 5], [0, 1, -2], [1, 0.5, 3]], make: (d, m, b) => d.Gumbel(m!, b!), ref: REFS.gumbel! },
  { name: "Weibull (scale, concentration)", args: [[0.3, 1.2, 5], [1, 2, 3], [[0.5], [1], [3]]],
    make: (d, l, k) => d.Weibull(l!, k!), ref: REFS.weibull! },
  { name: "Pareto (scale, alpha)", args: [[1.5, 2, 10], [1, 2, 0.5], [3, 0.5, 2]], make: (d, s, a) => d.Pareto(s!, a!), ref: REFS.pareto! },
  { name: "Chi2", args: [[[0.5, 3, 12]], [[1], [4], [9.5]]], make: (d, k) => d.Chi2(k!), ref: REFS.chi2! },
  { name: "InverseGamma", args: [[0.2, 1, 7], [3, 0.5, 2], [[2], [0.1]]], make: (d, a, b) => d.InverseGamma(a!, b!), ref: REFS.inverseGamma! },
  { name: "Poisson", args: [[[0, 3, 17]], [[0.5], [4], [20]]], make: (d, l) => d.Poisson(l!), ref: REFS.poisson! },
  { name: "Geometric probs", args: [[0, 2, 9], [0.3, 0.5, 0.05]], make: (d, p) => d.Geometric(p!), ref: REFS.geometric! },
  { name: "Geometric logits", args: [[[0], [4]], [-2, 0.3, 3]], make: (d, l) => d.Geometric({ logits: l! }), ref: REFS.geometricLogits! },
  { name: "NegativeBinomial probs", args: [[0, 4, 20], [1, 2.5, 10], [0.3, 0.6, 0.5]],
    make: (d, r, p) => d.NegativeBinomial({ totalCount: r!, probs: p! }), ref: REFS.negBinomial! },
  { name: "NegativeBinomial logits broadcast", args: [[[1], [7]], 3, [-1, 0.4, 2]],
    make: (d, r, l) => d.NegativeBinomial({ totalCount: r!, logits: l! }), ref: REFS.negBinomialLogits! },
  { name: "BetaBinomial", args: [[0, 3, 10], [2, 0.5, 5], [3, 0.7, 1.5], 10],
    make: (d, a, b, n) => d.BetaBinomial(a!, b!, n!), ref: REFS.betaBinomial! },
  { name: "BetaBinomial broadcast", args: [[[1], [4]], [1, 2.5], 4, [[5], [6]]],
    make: (d, a, b, n) => d.BetaBinomial(a!, b!, n!), ref: REFS.betaBinomial! },
  { name: "DiscreteUniform", args: [[1, 0, 7], [0, -3, 2], [6, 5, 9]], make: (d, lo, hi) => d.DiscreteUniform(lo!, hi!), ref: REFS.discreteUniform! },
];

for (const be of backends) {
  describe(`logProb of the added families on ${be.name}`, () => {
    for (const c of CASES) {
      it(c.name, () => {
        const [x, ...params] = c.args;
        assertLogProbs(be, c.make(be.dist, ...params).logProb(x!), c.args, c.ref);
      });
    }
  });
}
