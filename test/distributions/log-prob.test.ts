/**
 * `logProb` of every family against reference values computed here from the
 * formulas with JS float64 math and @stdlib special functions, for several
 * parameter sets including broadcasting, on every backend. Tolerances: see
 * `helpers.ts` (64·ε·(1 + M + S), derived from the rounding of ~10 ops and
 * of the inputs).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Distribution, DistributionsModule } from "../../src/distributions/index.js";
import type { NestedArray } from "../../src/tensor/types.js";
import { assertLogProbs, backends, conditionSum, flat, flatten, type Backend, type Reference } from "./helpers.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** `[value, Σ|terms|]` of a sum of terms. */
function terms(...ts: number[]): [number, number] {
  return [ts.reduce((a, b) => a + b, 0), ts.reduce((a, b) => a + Math.abs(b), 0)];
}

/** Asserts `got` matches `ref(...args)` within 64·ε·(1 + M + S) (vector-valued arguments). */
function assertWithin(be: Backend, got: number, ref: Reference, args: readonly number[]): void {
  const [want, m] = ref(...args);
  const tol = 64 * be.eps * (1 + m + conditionSum(ref, args));
  assert.ok(Math.abs(got - want) <= tol, `${be.name}: got ${got}, want ${want} (tol ${tol.toExponential(2)})`);
}

interface Case {
  readonly name: string;
  /** `args[0]` is the value, the rest the parameters, as passed to `make`. */
  readonly args: readonly NestedArray[];
  readonly make: (dist: DistributionsModule, ...params: NestedArray[]) => Distribution;
  readonly ref: Reference;
}

const normalRef: Reference = (x, loc, s) => terms(-0.5 * ((x - loc) / s) ** 2, -Math.log(s), -0.5 * LOG_2PI);
const bernoulliProbsRef: Reference = (x, p) => terms(x * Math.log(p), (1 - x) * Math.log1p(-p));
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const bernoulliLogitsRef: Reference = (x, l) => terms(-x * softplus(-l), -(1 - x) * softplus(l));
const binomialRef: Reference = (k, n, p) => terms(
  gammaln(n + 1), -gammaln(k + 1), -gammaln(n - k + 1), k * Math.log(p), (n - k) * Math.log1p(-p));
const betaRef: Reference = (x, a, b) => terms(
  (a - 1) * Math.log(x), (b - 1) * Math.log1p(-x), -gammaln(a), -gammaln(b), gammaln(a + b));
const gammaRef: Reference = (x, a, r) => terms(a * Math.log(r), (a - 1) * Math.log(x), -r * x, -gammaln(a));
const expRef: Reference = (x, r) => terms(Math.log(r), -r * x);
const halfNormalRef: Reference = (x, s) => terms(Math.LN2, -0.5 * (x / s) ** 2, -Math.log(s), -0.5 * LOG_2PI);
const halfCauchyRef: Reference = (x, s) => terms(Math.LN2, -Math.log(Math.PI), -Math.log(s), -Math.log1p((x / s) ** 2));
const uniformRef: Reference = (_x, lo, hi) => terms(-Math.log(hi - lo));
const logNormalRef: Reference = (x, loc, s) => {
  const [v, m] = normalRef(Math.log(x), loc, s);
  return [v - Math.log(x), m + Math.abs(Math.log(x))];
};

const CASES: readonly Case[] = [
  { name: "Normal scalar", args: [0.5, 0, 1], make: (d, l, s) => d.Normal(l!, s!), ref: normalRef },
  { name: "Normal broadcast", args: [[[0.3, -1.2, 2.5], [4, 0, -0.7]], [0, 1.5, -2], [[1], [0.5]]],
    make: (d, l, s) => d.Normal(l!, s!), ref: normalRef },
  { name: "Normal value batch", args: [[[[0.1]], [[2]]], [0, 1.5, -2], [[1], [3]]], make: (d, l, s) => d.Normal(l!, s!), ref: normalRef },
  { name: "Bernoulli probs", args: [[0, 1, 1], [0.3, 0.9, 0.01]], make: (d, p) => d.Bernoulli(p!), ref: bernoulliProbsRef },
  { name: "Bernoulli {probs} broadcast", args: [[[0], [1]], [0.2, 0.5, 0.75]], make: (d, p) => d.Bernoulli({ probs: p! }), ref: bernoulliProbsRef },
  { name: "Bernoulli logits", args: [[[0, 1, 1], [1, 0, 0]], [-3, 0.4, 20]], make: (d, l) => d.Bernoulli({ logits: l! }), ref: bernoulliLogitsRef },
  { name: "Binomial probs", args: [[0, 3, 10], [10, 10, 10], [0.3, 0.5, 0.8]],
    make: (d, n, p) => d.Binomial({ totalCount: n!, probs: p! }), ref: binomialRef },
  { name: "Binomial broadcast", args: [[[1], [4]], [5, 7], [[0.25], [0.6]]],
    make: (d, n, p) => d.Binomial({ totalCount: n!, probs: p! }), ref: binomialRef },
  { name: "Binomial logits", args: [[2, 0, 6], 6, [-1, 0.5, 2]],
    make: (d, n, l) => d.Binomial({ totalCount: n!, logits: l! }),
    ref: (k, n, l) => binomialRef(k, n, 1 / (1 + Math.exp(-l))) },
  { name: "Beta", args: [[0.1, 0.5, 0.93], [2, 0.5, 5], [3, 0.7, 1.5]], make: (d, a, b) => d.Beta(a!, b!), ref: betaRef },
  { name: "Beta broadcast", args: [[[0.2], [0.6]], [1, 2.5], 4], make: (d, a, b) => d.Beta(a!, b!), ref: betaRef },
  { name: "Gamma", args: [[0.5, 2, 7.5], [1, 3.5, 0.4], [2, 0.5, 1]], make: (d, a, r) => d.Gamma(a!, r!), ref: gammaRef },
  { name: "Gamma broadcast", args: [[[0.3, 1.7]], [[2], [5]], [1, 3]], make: (d, a, r) => d.Gamma(a!, r!), ref: gammaRef },
  { name: "Exponential", args: [[[0, 0.5, 3]], [[2], [0.1]]], make: (d, r) => d.Exponential(r!), ref: expRef },
  { name: "HalfNormal", args: [[0, 0.4, 2.2], [1, 0.5, 3]], make: (d, s) => d.HalfNormal(s!), ref: halfNormalRef },
  { name: "HalfCauchy", args: [[[0, 1, 10]], [[1], [2.5]]], make: (d, s) => d.HalfCauchy(s!), ref: halfCauchyRef },
  { name: "Uniform", args: [[0.1, 2.5, -1], [0, 2, -3], [1, 4, 0]], make: (d, lo, hi) => d.Uniform(lo!, hi!), ref: uniformRef },
  { name: "LogNormal as TransformedDistribution(Normal, Exp)", args: [[0.5, 1, 4], [0, 0.3, -1], [1, 2, 0.5]],
    make: (d, l, s) => d.TransformedDistribution(d.Normal(l!, s!), [d.transforms.ExpTransform()]), ref: logNormalRef },
  { name: "Normal through AffineTransform(1, 2)", args: [[0.5, 3, -4], [0, 0.3, -1], [1, 2, 0.5]],
    make: (d, l, s) => d.TransformedDistribution(d.Normal(l!, s!), d.transforms.AffineTransform(1, 2)),
    ref: (y, l, s) => { const [v, m] = normalRef((y - 1) / 2, l, s); return [v - Math.LN2, m + Math.LN2]; } },
];

for (const be of backends) {
  describe(`logProb on ${be.name}`, () => {
    for (const c of CASES) {
      it(c.name, () => {
        const [x, ...params] = c.args;
        const d = c.make(be.dist, ...params);
        assertLogProbs(be, d.logProb(x!), c.args, c.ref);
      });
    }

    it("Categorical by probs (unnormalised, batched) and logits", () => {
      const probs = [[0.2, 0.3, 0.5], [1, 2, 1]];
      const values = [[2, 0], [1, 1], [0, 2]];
      const lp = flat(be.ops, be.dist.Categorical(probs).logProb(values));
      values.flat().forEach((k, i) => {
        const ref: Reference = (...p) => terms(Math.log(p[k]!), -Math.log(p.reduce((a, b) => a + b, 0)));
        assertWithin(be, lp[i]!, ref, probs[i % 2]!);
      });
      const logits = [-1, 0.5, 3, 0];
      const got = flat(be.ops, be.dist.Categorical({ logits }).logProb([0, 1, 2, 3]));
      got.forEach((v, k) => {
        const ref: Reference = (...l) => terms(l[k]!, -Math.log(l.reduce((a, b) => a + Math.exp(b), 0)));
        assertWithin(be, v, ref, logits);
      });
    });

    it("Dirichlet (batched concentration)", () => {
      const conc = [[1, 2, 3], [0.5, 0.5, 4]];
      const x = [[0.2, 0.3, 0.5], [0.1, 0.05, 0.85]];
      const lp = flat(be.ops, be.dist.Dirichlet(conc).logProb(x));
      const ref: Reference = (...a) => {
        const [xs, cs] = [a.slice(0, 3), a.slice(3)];
        return terms(gammaln(cs.reduce((s, v) => s + v, 0)), ...cs.map((c, k) => (c - 1) * Math.log(xs[k]!)), ...cs.map((c) => -gammaln(c)));
      };
      conc.forEach((c, b) => assertWithin(be, lp[b]!, ref, [...x[b]!, ...c]));
    });

    it("Delta: logDensity at v, -Infinity elsewhere, summed over event dims", () => {
      const d = be.dist.Delta([[1, 2], [3, 4]], { eventDim: 1, logDensity: [0.5, -1] });
      assert.deepEqual(flat(be.ops, d.logProb([[1, 2], [3, 5]])), [0.5, -Infinity]);
      assert.deepEqual(flat(be.ops, be.dist.Delta(2).logProb([2, 3])), [0, -Infinity]);
    });

    it("Unit: logFactor broadcast with the value's batch dims", () => {
      const u = be.dist.Unit([-1.5, 2]);
      assert.deepEqual(flat(be.ops, u.logProb(be.ops.zeros([3, 2, 0]))), [-1.5, 2, -1.5, 2, -1.5, 2]);
    });

    it("Independent sums over reinterpreted dims; Masked zeroes masked entries", () => {
      const x = [[0.3, -1], [2, 0.5]];
      const base = be.dist.Normal([[0, 1], [2, 3]], 1);
      const elems = flat(be.ops, base.logProb(x));
      const sums = flat(be.ops, base.toEvent(1).logProb(x));
      assert.ok(Math.abs(sums[0]! - (elems[0]! + elems[1]!)) < 64 * be.eps * 10);
      assert.ok(Math.abs(sums[1]! - (elems[2]! + elems[3]!)) < 64 * be.eps * 10);
      const total = flat(be.ops, base.toEvent(2).logProb(x))[0]!;
      assert.ok(Math.abs(total - elems.reduce((a, b) => a + b, 0)) < 64 * be.eps * 20);
      const masked = flat(be.ops, base.mask(be.ops.tensor([true, false])).logProb(x));
      assert.deepEqual(masked, [elems[0], 0, elems[2], 0]);
      assert.deepEqual(flat(be.ops, base.mask(false).logProb(x)), [0, 0, 0, 0]);
      assert.deepEqual(flat(be.ops, base.mask(true).logProb(x)), elems);
    });

    it("Uniform is -Infinity outside [low, high) (validation off)", () => {
      assert.deepEqual(flat(be.ops, be.distNoValidate.Uniform(0, 1).logProb([-0.5, 1, 1.5])), [-Infinity, -Infinity, -Infinity]);
      assert.deepEqual(flatten(flat(be.ops, be.distNoValidate.HalfNormal(1).logProb([-1]))), [-Infinity]);
    });
  });
}
