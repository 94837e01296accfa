// inferDiscrete on tiny models whose posterior is computed here by brute
// force: the MAP (temperature 0) is the argmax of the joint, and posterior
// samples (temperature 1, forward-filter backward-sample) have the exact
// joint frequencies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { EnumOptionError } from "../../../src/handlers/enumerate.js";

const logN = (y: number, m: number): number => -0.5 * (y - m) ** 2 - 0.5 * Math.log(2 * Math.PI);

// Model A: a global class c ∈ {0, 1} and a 3-step, 2-state chain whose transitions depend on c.
const PC = 0.4;
const INIT = [0.6, 0.4];
const TRANS = [
  [[0.9, 0.1], [0.2, 0.8]],
  [[0.3, 0.7], [0.6, 0.4]],
];
const LOCS_A = [-1, 1];
const YS_A = [-0.4, 0.9, 0.2];

const chainModel = pyro.model(function* (ys: readonly number[]) {
  const c = yield* pyro.sample("c", dist.Bernoulli(PC), { infer: { enumerate: "parallel" } });
  const trans = ops.reshape(ops.tensor(TRANS), [4, 2]); // row 2c + x is p(x' | x, c)
  const locs = ops.tensor(LOCS_A);
  let x: Tensor | undefined;
  yield* pyro.markov(ys.length, function* (t) {
    const probs = x === undefined ? ops.tensor(INIT) : ops.index(trans, ops.add(ops.mul(c, 2), x));
    x = yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } });
    yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: ys[t]! });
  });
});

/** The exact posterior over (c, x_0, x_1, x_2), indexed c·8 + x_0·4 + x_1·2 + x_2. */
function chainPosterior(): number[] {
  const w: number[] = [];
  for (let i = 0; i < 16; i++) {
    const c = i >> 3;
    const xs = [(i >> 2) & 1, (i >> 1) & 1, i & 1];
    let lp = Math.log(c === 1 ? PC : 1 - PC) + Math.log(INIT[xs[0]!]!);
    for (let t = 1; t < 3; t++) lp += Math.log(TRANS[c]![xs[t - 1]!]![xs[t]!]!);
    for (let t = 0; t < 3; t++) lp += logN(YS_A[t]!, LOCS_A[xs[t]!]!);
    w.push(Math.exp(lp));
  }
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / z);
}

// Model B: a global c ∈ {0, 1} and, in a plate of 3 points, z_i ∈ {0, 1, 2} with weights W[c].
const W = [[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]];
const LOCS_B = [-2, 0, 2];
const XS_B = [-1.5, 0.4, 1.1];

const platedModel = pyro.model(function* (xs: readonly number[]) {
  const c = yield* pyro.sample("c", dist.Bernoulli(0.5), { infer: { enumerate: "parallel" } });
  yield* pyro.plate("data", xs.length, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(ops.index(ops.tensor(W), c)), { infer: { enumerate: "parallel" } });
    yield* pyro.sample("x", dist.Normal(ops.index(ops.tensor(LOCS_B), z), 1), { obs: xs as number[] });
  });
});

/** The exact posterior over (c, z_0, z_1, z_2), indexed c·27 + z_0·9 + z_1·3 + z_2. */
function platedPosterior(): number[] {
  const w: number[] = [];
  for (let i = 0; i < 54; i++) {
    const c = Math.floor(i / 27);
    const zs = [Math.floor(i / 9) % 3, Math.floor(i / 3) % 3, i % 3];
    let lp = Math.log(0.5);
    zs.forEach((z, n) => (lp += Math.log(W[c]![z]!) + logN(XS_B[n]!, LOCS_B[z]!)));
    w.push(Math.exp(lp));
  }
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / z);
}

const argmax = (p: readonly number[]): number => p.indexOf(Math.max(...p));
const chainIndex = (tr: ReturnType<ReturnType<typeof handlers.trace>["getTrace"]>): number =>
  ops.item(tr.get("c")!.value!) * 8 + ops.item(tr.get("x_0")!.value!) * 4 + ops.item(tr.get("x_1")!.value!) * 2 + ops.item(tr.get("x_2")!.value!);
const platedIndex = (tr: ReturnType<ReturnType<typeof handlers.trace>["getTrace"]>): number => {
  const z = Array.from(ops.toFlat(tr.get("z")!.value!));
  return ops.item(tr.get("c")!.value!) * 27 + z[0]! * 9 + z[1]! * 3 + z[2]!;
};

for (const backend of ["numpy", "pyro"] as const) {
  describe(`inferDiscrete MAP (${backend})`, () => {
    it("is the argmax of the joint of a chain with a global variable", () =>
      pyroBackend(backend, () => {
        const tr = handlers.trace(infer.inferDiscrete(chainModel, { firstAvailableDim: -1, temperature: 0 })).getTrace(YS_A);
        assert.equal(chainIndex(tr), argmax(chainPosterior()));
      }));

    it("is the argmax of the joint of a plated model, with values shaped like the plates", () =>
      pyroBackend(backend, () => {
        const tr = handlers.trace(infer.inferDiscrete(platedModel, { firstAvailableDim: -2, temperature: 0 })).getTrace(XS_B);
        assert.deepEqual(tr.get("z")!.value!.shape, [3]);
        assert.deepEqual(tr.get("c")!.value!.shape, []);
        assert.equal(platedIndex(tr), argmax(platedPosterior()));
      }));
  });
}

describe("inferDiscrete posterior samples (numpy)", () => {
  // A cell's count over N independent draws is Binomial(N, p): its frequency has standard error
  // √(p(1 − p)/N), and the normal approximation behind a 4-SE band needs Np ≳ 10. Cells with
  // Np ≥ 10 are checked one by one, the rarer ones lumped into one cell; every check must lie
  // within 4 SE (a table of ≤ 55 checks fails by chance with probability ≲ 55 · 6e-5 ≈ 3e-3;
  // the seed is fixed).
  const N = 1500;
  const check = (exact: readonly number[], counts: readonly number[]): void => {
    const cells: { name: string; p: number; count: number }[] = [{ name: "rare cells", p: 0, count: 0 }];
    exact.forEach((p, i) => {
      if (N * p >= 10) cells.push({ name: `cell ${i}`, p, count: counts[i]! });
      else { cells[0]!.p += p; cells[0]!.count += counts[i]!; }
    });
    for (const { name, p, count } of cells) {
      const se = Math.sqrt((p * (1 - p)) / N);
      assert.ok(Math.abs(count / N - p) <= 4 * se + 1e-12, `${name}: frequency ${count / N}, exact ${p} (SE ${se})`);
    }
  };

  it("draw the exact joint posterior of the chain model", () =>
    pyroBackend("numpy", () => {
      const sampler = handlers.trace(infer.inferDiscrete(chainModel, { firstAvailableDim: -1, temperature: 1 }));
      const counts = new Array<number>(16).fill(0);
      for (let n = 0; n < N; n++) counts[chainIndex(sampler.getTrace(YS_A))] += 1;
      check(chainPosterior(), counts);
    }));

  it("draw the exact joint posterior of the plated model", () =>
    pyroBackend("numpy", () => {
      const sampler = handlers.trace(infer.inferDiscrete(platedModel, { firstAvailableDim: -2 }));
      const counts = new Array<number>(54).fill(0);
      for (let n = 0; n < N; n++) counts[platedIndex(sampler.getTrace(XS_B))] += 1;
      check(platedPosterior(), counts);
    }));

  it("are reproducible under a seed and vary between runs", () =>
    pyroBackend("numpy", () => {
      const sampler = handlers.trace(infer.inferDiscrete(platedModel, { firstAvailableDim: -2 }));
      const draw = (): number[] => Array.from({ length: 20 }, () => platedIndex(sampler.getTrace(XS_B)));
      const a = handlers.seed(7, draw);
      const b = handlers.seed(7, draw);
      assert.deepEqual(a, b);
      assert.ok(new Set(a).size > 1);
    }));
});

describe("inferDiscrete options", () => {
  it("requires a negative integer firstAvailableDim and a temperature of 0 or 1", () =>
    pyroBackend("numpy", () => {
      assert.throws(() => infer.inferDiscrete(platedModel, { firstAvailableDim: 0 }), EnumOptionError);
      assert.throws(() => infer.inferDiscrete(platedModel, {} as never), /firstAvailableDim must be a negative integer/);
      assert.throws(() => infer.inferDiscrete(platedModel, { firstAvailableDim: -2, temperature: 2 as 0 }), /temperature must be 0 or 1/);
    }));
});
