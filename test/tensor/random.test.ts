/**
 * Tests of the random keys, streams and samplers (src/tensor/random).
 *
 * Statistical tests use fixed keys, so they are deterministic; their thresholds are the usual
 * ones for a false-alarm rate that would make a flaky test extremely rare had the seed been
 * random:
 * - a sample mean or variance must lie within 4 standard errors of the true value, with the SE
 *   computed from the distribution's known moments: SE(mean) = σ/√n and, for the sample variance,
 *   SE(s²) = √((μ₄ − σ⁴)/n) with μ₄ the fourth central moment (two-sided p ≈ 6e-5);
 * - a sample correlation of independent streams must satisfy |r| ≤ 4/√n (SE of r is 1/√n);
 * - Kolmogorov–Smirnov: reject if D > 1.95/√n, the asymptotic 0.001 critical value;
 * - χ² goodness of fit (bins merged to expected count ≥ 5): reject if the p-value < 0.001.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PRNGKey,
  RandomStream,
  beta,
  binomial,
  categorical,
  dirichlet,
  fold,
  isRandomKey,
  normal,
  normalInto,
  poisson,
  randomBits,
  split,
  standardGamma,
  threefry2x32,
  uniform,
  wordsToUniform,
  type RandomKey,
} from "../../src/tensor/random/index.js";
import { stirlingTail } from "../../src/tensor/random/samplers.js";
import { normalWordsInto } from "../../src/tensor/random/streams.js";
import { gammaP, gammaQ, lgamma, ndtr } from "../../src/tensor/special/index.js";

const root = PRNGKey(20240607);
/** A fresh key per test case, so that cases do not share randomness. */
const caseKey = (i: number): RandomKey => fold(root, i);

/** Sample mean and unbiased variance (two-pass). */
function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - m) ** 2;
  return { mean: m, variance: v / (x.length - 1) };
}

/** Checks mean and variance within 4 SE, given the true mean, variance and 4th central moment. */
function checkMoments(x: ArrayLike<number>, mean: number, variance: number, mu4: number, what: string): void {
  const n = x.length;
  const s = moments(x);
  const seMean = Math.sqrt(variance / n);
  const seVar = Math.sqrt((mu4 - variance * variance) / n);
  assert.ok(Math.abs(s.mean - mean) <= 4 * seMean, `${what}: mean ${s.mean} vs ${mean} (4 SE = ${4 * seMean})`);
  assert.ok(
    Math.abs(s.variance - variance) <= 4 * seVar,
    `${what}: variance ${s.variance} vs ${variance} (4 SE = ${4 * seVar})`,
  );
}

/** Sample correlation of two equal-length arrays. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = moments(a).mean;
  const mb = moments(b).mean;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Kolmogorov–Smirnov statistic sup|F_n − F| of a sample against a continuous CDF. Ties are
 * compared at the left and right limits of the empirical CDF's jump. Values at or below `floor`
 * are censored (e.g. Gamma draws below the float64 range returned as Number.MIN_VALUE): there
 * only the right limit F_n(floor) vs F(floor) is compared.
 */
function ksStatistic(x: ArrayLike<number>, cdf: (v: number) => number, floor = -Infinity): number {
  const sorted = Float64Array.from(x).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; ) {
    const v = sorted[i]!;
    let j = i;
    while (j < n && sorted[j] === v) j++;
    const f = cdf(v);
    d = Math.max(d, j / n - f, v > floor ? f - i / n : 0);
    i = j;
  }
  return d;
}

/** χ² goodness-of-fit p-value of integer samples against a pmf on [lo, hi] (all samples inside). */
function chiSquarePValue(x: ArrayLike<number>, pmf: (k: number) => number, lo: number, hi: number): number {
  const n = x.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = x[i]!;
    assert.ok(Number.isInteger(k) && k >= lo && k <= hi, `sample ${k} outside [${lo}, ${hi}]`);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const bins: [number, number][] = []; // [expected, observed]
  let e = 0;
  let o = 0;
  for (let k = lo; k <= hi; k++) {
    e += n * pmf(k);
    o += counts.get(k) ?? 0;
    if (e >= 5) {
      bins.push([e, o]);
      e = 0;
      o = 0;
    }
  }
  if (bins.length === 0) return 1;
  bins[bins.length - 1]![0] += e; // leftover tail joins the last bin
  bins[bins.length - 1]![1] += o;
  let chi2 = 0;
  for (const [exp, obs] of bins) chi2 += (obs - exp) ** 2 / exp;
  const df = bins.length - 1;
  return df > 0 ? gammaQ(df / 2, chi2 / 2) : 1;
}

// ---------------------------------------------------------------------------------------------

test("threefry2x32_20 matches the Random123 known-answer vectors", () => {
  assert.deepEqual(threefry2x32([0, 0], [0, 0]), [0x6b200159, 0x99ba4efe]);
  assert.deepEqual(threefry2x32([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]), [0x1cb996fc, 0xbb002be7]);
  assert.deepEqual(threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3]), [0xc4923a9c, 0x483df7a0]);
});

test("keys: PRNGKey layout and split agree with JAX", () => {
  assert.deepEqual(PRNGKey(0), [0, 0]);
  assert.deepEqual(PRNGKey(-1), [0xffffffff, 0xffffffff]);
  assert.deepEqual(PRNGKey(2 ** 32 + 5), [1, 5]);
  assert.notDeepEqual(PRNGKey(2 ** 32 + 5), PRNGKey(5));
  // jax.random.split(jax.random.PRNGKey(0)) (JAX docs, "Pseudorandom numbers").
  assert.deepEqual(split(PRNGKey(0)), [
    [4146024105, 967050713],
    [2718843009, 1272950319],
  ]);
  const keys = split(PRNGKey(7), 5);
  assert.equal(keys.length, 5);
  assert.equal(new Set(keys.map((k) => k.join(","))).size, 5);
  assert.ok(keys.every(isRandomKey));
  assert.deepEqual(split(PRNGKey(7), 0), []);
  assert.ok(Object.isFrozen(PRNGKey(3)));
});

test("keys: validation errors name the argument", () => {
  assert.throws(() => PRNGKey(1.5), /PRNGKey: seed must be a safe integer, got 1\.5/);
  assert.throws(() => PRNGKey(2 ** 53), /PRNGKey: seed must be a safe integer/);
  assert.throws(() => split(PRNGKey(0), -1), /split: n must be an integer/);
  assert.throws(() => fold(PRNGKey(0), 0.5), /fold: data must be a safe integer, got 0\.5/);
  assert.throws(() => uniform([1, -1] as unknown as RandomKey, 3), /uniform: key must be a RandomKey/);
  assert.equal(isRandomKey([1, 2]), true);
  assert.equal(isRandomKey([1, 2 ** 32]), false);
  assert.equal(isRandomKey([1]), false);
  assert.equal(isRandomKey("key"), false);
  // A sparse array has no word in its hole.
  assert.equal(isRandomKey(new Array(2).fill(1, 1)), false);
  assert.equal(isRandomKey([1.5, 2]), false);
  assert.throws(() => standardGamma(root, [1, 0]), /standardGamma: alpha\[1\] must be positive and finite, got 0/);
  assert.throws(() => binomial(root, [3.5], [0.5]), /binomial: totalCount\[0\] must be a non-negative integer/);
  assert.throws(() => binomial(root, [3], [1.5]), /binomial: probs\[0\] must be in \[0, 1\]/);
  assert.throws(() => poisson(root, [-1]), /poisson: rate\[0\] must be non-negative/);
  assert.throws(() => beta(root, [1, 2], [1]), /beta: a and b must have the same length/);
  assert.throws(() => categorical(root, [0, 0, 1, 1], 2), /categorical: row 0 of probs has no positive weight/);
  assert.throws(() => dirichlet(root, [1, 1, 1], 2), /dirichlet: k must be a positive integer dividing/);
});

test("normalInto and normalWordsInto write normal's values into a given buffer", () => {
  for (const n of [1, 2, 5, 10, 11]) {
    const key = fold(PRNGKey(42), n);
    const buf = new Float64Array(n).fill(NaN);
    assert.equal(normalInto(key, buf), buf);
    assert.deepEqual(Array.from(buf), Array.from(normal(key, n)));
    const viaWords = new Float64Array(n).fill(NaN);
    assert.equal(normalWordsInto(key[0], key[1], viaWords), viaWords);
    assert.deepEqual(Array.from(viaWords), Array.from(buf));
  }
});

test("same key → bit-identical output; different keys → different output", () => {
  const k = caseKey(1);
  const [k1, k2] = split(k) as [RandomKey, RandomKey];
  const draws: ((key: RandomKey) => ArrayLike<number>)[] = [
    (key) => randomBits(key, 33),
    (key) => uniform(key, 33),
    (key) => normal(key, 33),
    (key) => standardGamma(key, new Float64Array(33).fill(0.3)),
    (key) => beta(key, new Float64Array(33).fill(2), new Float64Array(33).fill(0.5)),
    (key) => binomial(key, new Float64Array(33).fill(1000), new Float64Array(33).fill(0.3)),
    (key) => poisson(key, new Float64Array(33).fill(40)),
    (key) => categorical(key, new Float64Array(33 * 3).fill(1), 3),
    (key) => dirichlet(key, new Float64Array(33 * 3).fill(1), 3),
  ];
  for (const draw of draws) {
    assert.deepEqual(draw(k1), draw(k1));
    assert.notDeepEqual(draw(k1), draw(k2));
  }
});

test("per-element streams: an element's draw does not depend on the other elements", () => {
  const k = caseKey(2);
  assert.equal(standardGamma(k, [1, 7.5, 0.3])[1], standardGamma(k, [100, 7.5])[1]);
  assert.equal(binomial(k, [5, 1000], [0.1, 0.4])[1], binomial(k, [1e6, 1000], [0.9, 0.4])[1]);
  assert.equal(poisson(k, [0.1, 50, 3])[1], poisson(k, [1e5, 50])[1]);
  const s = new RandomStream();
  const a = s.resetFold(k, 9).uniform();
  assert.equal(s.resetFold(k, 9).uniform(), a);
  assert.notEqual(s.resetFold(k, 10).uniform(), a);
});

test("uniforms are in the open interval (0, 1) with 53 bits", () => {
  assert.equal(wordsToUniform(0, 0), 2 ** -54);
  assert.equal(wordsToUniform(0, 1), 2 ** -53);
  assert.equal(wordsToUniform(0xffffffff, 0xffffffff), 1 - 2 ** -53);
  const u = uniform(caseKey(3), 100000);
  let min = 1;
  let max = 0;
  for (const v of u) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.ok(min > 0 && max < 1);
});

test("streams are uncorrelated: split keys, folded keys, lag 1, Box–Muller pairs", () => {
  const n = 100000;
  const bound = 4 / Math.sqrt(n);
  const [k1, k2] = split(caseKey(4)) as [RandomKey, RandomKey];
  assert.ok(Math.abs(correlation(uniform(k1, n), uniform(k2, n))) <= bound, "split keys");
  const f0 = fold(caseKey(4), 0);
  const f1 = fold(caseKey(4), 1);
  assert.ok(Math.abs(correlation(uniform(f0, n), uniform(f1, n))) <= bound, "folded keys");
  const u = uniform(k1, n + 1);
  assert.ok(Math.abs(correlation(u.subarray(0, n), u.subarray(1))) <= bound, "lag-1 uniforms");
  const z = normal(k2, 2 * n);
  const even = z.filter((_, i) => i % 2 === 0);
  const odd = z.filter((_, i) => i % 2 === 1);
  assert.ok(Math.abs(correlation(even, odd)) <= bound, "Box–Muller pairs");
  const g = standardGamma(k1, new Float64Array(n + 1).fill(7.5));
  assert.ok(Math.abs(correlation(g.subarray(0, n), g.subarray(1))) <= bound, "adjacent gamma elements");
  // Bits: each of the 32 bit positions is set with probability ½ (SE of a frequency: ½/√n).
  const bits = randomBits(k2, n);
  for (let b = 0; b < 32; b++) {
    let ones = 0;
    for (const w of bits) ones += (w >>> b) & 1;
    assert.ok(Math.abs(ones / n - 0.5) <= 4 * (0.5 / Math.sqrt(n)), `bit ${b}`);
  }
});

test("Kolmogorov–Smirnov: uniform and normal draws (n = 100000)", () => {
  const n = 100000;
  const crit = 1.95 / Math.sqrt(n);
  assert.ok(ksStatistic(uniform(caseKey(5), n), (v) => v) <= crit, "uniform");
  assert.ok(ksStatistic(normal(caseKey(6), n), ndtr) <= crit, "normal");
  const s = new RandomStream().resetFold(caseKey(7), 0);
  const zs = Float64Array.from({ length: n }, () => s.normal());
  assert.ok(ksStatistic(zs, ndtr) <= crit, "RandomStream.normal");
  checkMoments(normal(caseKey(8), n), 0, 1, 3, "normal");
});

test("standardGamma: mean, variance (α = 1e-3 … 1e6) and KS against gammaP", () => {
  const n = 100000;
  for (const [i, a] of [0.001, 0.01, 0.5, 1, 7.5, 1e4].entries()) {
    // Gamma(α): mean α, variance α, fourth central moment 3α² + 6α.
    checkMoments(standardGamma(caseKey(100 + i), new Float64Array(n).fill(a)), a, a, 3 * a * a + 6 * a, `gamma(${a})`);
  }
  const m = 20000;
  for (const [i, a] of [0.001, 0.01, 0.5, 7.5, 1e4].entries()) {
    const g = standardGamma(caseKey(20 + i), new Float64Array(m).fill(a));
    const d = ksStatistic(g, (x) => gammaP(a, x), Number.MIN_VALUE);
    assert.ok(d <= 1.95 / Math.sqrt(m), `KS gamma(${a}): D = ${d}`);
  }
  const tiny = standardGamma(caseKey(26), new Float64Array(1000).fill(1e-3));
  assert.ok(tiny.every((x) => x > 0 && Number.isFinite(Math.log(x))), "log of tiny gamma draws is finite");
  checkMoments(standardGamma(caseKey(27), new Float64Array(n).fill(1e6)), 1e6, 1e6, 3e12 + 6e6, "gamma(1e6)");
});

test("beta and dirichlet: moments of the (marginal) Beta distributions", () => {
  const n = 100000;
  const betaMoments = (a: number, b: number): [number, number, number] => {
    const s = a + b;
    const mean = a / s;
    const v = (a * b) / (s * s * (s + 1));
    const exKurt = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
    return [mean, v, v * v * (exKurt + 3)];
  };
  for (const [i, [a, b]] of [[2, 3], [0.5, 0.5], [0.05, 0.2], [1e3, 2e3]].entries()) {
    const x = beta(caseKey(30 + i), new Float64Array(n).fill(a!), new Float64Array(n).fill(b!));
    assert.ok(x.every((v) => v > 0 && v < 1), "open interval");
    checkMoments(x, ...betaMoments(a!, b!), `beta(${a}, ${b})`);
  }
  const conc = [0.5, 1, 3.5];
  const a0 = 5;
  const rows = 50000;
  const d = dirichlet(caseKey(35), Array.from({ length: rows * 3 }, (_, i) => conc[i % 3]!), 3);
  for (let r = 0; r < rows; r++) {
    const sum = d[3 * r]! + d[3 * r + 1]! + d[3 * r + 2]!;
    assert.ok(Math.abs(sum - 1) <= 4 * 2 ** -53, "rows lie on the simplex");
  }
  for (let j = 0; j < 3; j++) {
    const col = d.filter((_, i) => i % 3 === j);
    checkMoments(col, ...betaMoments(conc[j]!, a0 - conc[j]!), `dirichlet component ${j}`);
  }
});

test("binomial: moments and χ² against the pmf (inversion and BTRS)", () => {
  const n = 100000;
  const cases: [number, number][] = [
    [1000, 0.7],
    [5, 0.01],
    [50, 0.4],
    [1e6, 0.3],
    [1e6, 2e-6],
    [30, 0.999],
  ];
  for (const [i, [N, p]] of cases.entries()) {
    const x = binomial(caseKey(40 + i), new Float64Array(n).fill(N), new Float64Array(n).fill(p));
    const v = N * p * (1 - p);
    checkMoments(x, N * p, v, 3 * v * v + v * (1 - 6 * p * (1 - p)), `binomial(${N}, ${p})`);
    const sd = Math.sqrt(v);
    const lo = Math.max(0, Math.floor(N * p - 12 * sd - 20));
    const hi = Math.min(N, Math.ceil(N * p + 12 * sd + 20));
    const logC = lgamma(N + 1);
    const pmf = (k: number): number =>
      Math.exp(logC - lgamma(k + 1) - lgamma(N - k + 1) + k * Math.log(p) + (N - k) * Math.log1p(-p));
    assert.ok(chiSquarePValue(x, pmf, lo, hi) >= 0.001, `χ² binomial(${N}, ${p})`);
  }
  assert.deepEqual(binomial(root, [0, 7, 7], [0.5, 0, 1]), Float64Array.from([0, 0, 7]));
});

test("poisson: moments and χ² against the pmf (inversion and PTRS)", () => {
  const n = 100000;
  for (const [i, lam] of [0.5, 9.99, 10, 30, 1e5].entries()) {
    const x = poisson(caseKey(50 + i), new Float64Array(n).fill(lam));
    checkMoments(x, lam, lam, lam + 3 * lam * lam, `poisson(${lam})`);
    const sd = Math.sqrt(lam);
    const lo = Math.max(0, Math.floor(lam - 12 * sd - 20));
    const hi = Math.ceil(lam + 12 * sd + 20);
    const pmf = (k: number): number => Math.exp(-lam + k * Math.log(lam) - lgamma(k + 1));
    assert.ok(chiSquarePValue(x, pmf, lo, hi) >= 0.001, `χ² poisson(${lam})`);
  }
  assert.deepEqual(poisson(root, [0]), Float64Array.from([0]));
});

test("categorical: category frequencies, zero weights never drawn", () => {
  const rows = 100000;
  const w = [1, 2, 3, 0, 4];
  const probs = Array.from({ length: rows * 5 }, (_, i) => w[i % 5]!);
  const x = categorical(caseKey(60), probs, 5);
  const counts = [0, 0, 0, 0, 0];
  for (const v of x) counts[v]!++;
  assert.equal(counts[3], 0);
  for (let j = 0; j < 5; j++) {
    const p = w[j]! / 10;
    // A frequency has SE √(p(1−p)/n).
    assert.ok(Math.abs(counts[j]! / rows - p) <= 4 * Math.sqrt((p * (1 - p)) / rows), `category ${j}`);
  }
  assert.deepEqual(categorical(root, [0, 0, 5, 0, 7, 0], 3), Float64Array.from([2, 1]));
});

test("the Stirling-tail table used by BTRS/PTRS matches lgamma", () => {
  // fc(k) = lgamma(k+1) − [(k+½)log(k+1) − (k+1) + ½log 2π]; the right side is evaluated with
  // absolute error ≤ REL·(|lgamma(k+1)| + |(k+½)log(k+1)| + k + 2) with REL = 1e-14.
  for (let k = 0; k <= 40; k++) {
    const a = lgamma(k + 1);
    const b = (k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI);
    const tol = 1e-14 * (Math.abs(a) + Math.abs(b) + k + 2);
    assert.ok(Math.abs(stirlingTail(k) - (a - b)) <= tol, `fc(${k})`);
  }
});
