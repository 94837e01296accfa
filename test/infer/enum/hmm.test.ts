// A discrete HMM under pyro.markov: the enumerated log-likelihood equals the
// forward algorithm, and inferDiscrete's MAP equals Viterbi.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../../src/dispatch/standard-backends.js";
import { mulberry32 as rng } from "../../seeded-rng.js";

const T = 100;
const INIT = [0.5, 0.3, 0.2];
const TRANS = [
  [0.8, 0.1, 0.1],
  [0.2, 0.7, 0.1],
  [0.15, 0.15, 0.7],
];
const LOCS = [-2, 0, 2];
const K = INIT.length;


/** `length` observations drawn from the HMM itself (fixed seed). */
function simulate(length = T, seed = 2024): number[] {
  const u = rng(seed);
  const draw = (p: readonly number[]): number => {
    let r = u();
    for (let k = 0; k < p.length; k++) if ((r -= p[k]!) < 0) return k;
    return p.length - 1;
  };
  const ys: number[] = [];
  let x = draw(INIT);
  for (let t = 0; t < length; t++) {
    if (t > 0) x = draw(TRANS[x]!);
    const normal = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    ys.push(LOCS[x]! + normal);
  }
  return ys;
}
const YS = simulate();

const model = pyro.model(function* (ys: readonly number[]) {
  const trans = ops.tensor(TRANS);
  const locs = ops.tensor(LOCS);
  let x: Tensor | undefined;
  yield* pyro.markov(ys.length, function* (t) {
    const probs = x === undefined ? ops.tensor(INIT) : ops.index(trans, x);
    x = yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } });
    yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: ys[t]! });
  });
});
const guide = pyro.model(function* (_ys: readonly number[]) {});

const emit = (k: number, y: number): number => -0.5 * (y - LOCS[k]!) ** 2 - 0.5 * Math.log(2 * Math.PI);
const lse = (v: readonly number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
};

/** log p(y) by the forward algorithm, in float64. */
function forward(ys: readonly number[]): number {
  let a = INIT.map((p, k) => Math.log(p) + emit(k, ys[0]!));
  for (let t = 1; t < ys.length; t++) {
    a = a.map((_, j) => lse(a.map((ai, i) => ai + Math.log(TRANS[i]![j]!))) + emit(j, ys[t]!));
  }
  return lse(a);
}

/** log p(x, y) of a state path. */
function logJoint(path: readonly number[], ys: readonly number[]): number {
  let s = Math.log(INIT[path[0]!]!) + emit(path[0]!, ys[0]!);
  for (let t = 1; t < ys.length; t++) s += Math.log(TRANS[path[t - 1]!]![path[t]!]!) + emit(path[t]!, ys[t]!);
  return s;
}

/** The most probable path by the Viterbi algorithm, in float64. */
function viterbi(ys: readonly number[]): number[] {
  let delta = INIT.map((p, k) => Math.log(p) + emit(k, ys[0]!));
  const back: number[][] = [];
  for (let t = 1; t < ys.length; t++) {
    const ptr: number[] = [];
    delta = delta.map((_, j) => {
      let best = 0;
      for (let i = 1; i < K; i++) if (delta[i]! + Math.log(TRANS[i]![j]!) > delta[best]! + Math.log(TRANS[best]![j]!)) best = i;
      ptr.push(best);
      return delta[best]! + Math.log(TRANS[best]![j]!) + emit(j, ys[t]!);
    });
    back.push(ptr);
  }
  const path = [delta.indexOf(Math.max(...delta))];
  for (let t = ys.length - 2; t >= 0; t--) path.unshift(back[t]![path[0]!]!);
  return path;
}

// numpy: float64 throughout; the two log-likelihoods (≈ -200) differ by rounding (≲ 1e-12).
// pyro: float32 (ε ≈ 6e-8); the forward pass adds T = 100 terms of magnitude ≲ |log p| ≈ 200,
// so the worst-case accumulated rounding is T·ε·200 ≈ 1.2e-3: tolerance 2e-3.
for (const [backend, rt, tol] of [["numpy", numpyBackend.runtime, 1e-6], ["pyro", pyroTfjsBackend.runtime, 2e-3]] as const) {
  describe(`a 3-state HMM of 100 steps under pyro.markov (${backend})`, () => {
    it("TraceEnumELBO's loss is minus the forward algorithm's log-likelihood", () =>
      pyroBackend(backend, () => {
        const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 0 });
        const loss = elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, model, guide, [YS]);
        const exact = forward(YS);
        assert.ok(Math.abs(loss - -exact) < tol, `enumerated ${-loss}, forward ${exact}`);
      }));

    it("inferDiscrete at temperature 0 returns the Viterbi path", () =>
      pyroBackend(backend, () => {
        const map = infer.inferDiscrete(model, { firstAvailableDim: -1, temperature: 0 });
        const tr = handlers.trace(map).getTrace(YS);
        const path = Array.from({ length: T }, (_, t) => ops.item(tr.get(`x_${t}`)!.value!));
        const best = viterbi(YS);
        if (backend === "numpy") assert.deepEqual(path, best);
        // float32 may break a near-tie differently: then the path must be as probable as
        // Viterbi's up to the float32 rounding of the max-product (the tolerance above).
        else assert.ok(logJoint(path, YS) > logJoint(best, YS) - tol, `MAP path log-joint ${logJoint(path, YS)} vs Viterbi ${logJoint(best, YS)}`);
      }));
  });
}

// A batch of independent sequences: a plate around the markov chain (Pyro's usual HMM layout).
const N = 4;
const LEN = 20;
const BATCH = Array.from({ length: N }, (_, n) => simulate(LEN, 7 + n));
const batchModel = pyro.model(function* (seqs: readonly (readonly number[])[]) {
  const trans = ops.tensor(TRANS);
  const locs = ops.tensor(LOCS);
  yield* pyro.plate("sequences", seqs.length, { dim: -1 }, function* () {
    let x: Tensor | undefined;
    yield* pyro.markov(LEN, function* (t) {
      const probs = x === undefined ? ops.tensor(INIT) : ops.index(trans, x);
      x = yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } });
      yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: seqs.map((s) => s[t]!) });
    });
  });
});

const batchGuide = pyro.model(function* (_seqs: readonly (readonly number[])[]) {});

describe("a batch of 4 HMM sequences in a plate around pyro.markov (numpy)", () => {
  it("sums the sequences' forward log-likelihoods, and decodes each by Viterbi", () =>
    pyroBackend("numpy", () => {
      const rt = numpyBackend.runtime;
      const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      const loss = elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, batchModel, batchGuide, [BATCH]);
      const exact = BATCH.reduce((s, ys) => s + forward(ys), 0);
      assert.ok(Math.abs(loss - -exact) < 1e-6, `enumerated ${-loss}, forward ${exact}`);
      const tr = handlers.trace(infer.inferDiscrete(batchModel, { firstAvailableDim: -2, temperature: 0 })).getTrace(BATCH);
      const paths = Array.from({ length: N }, (_, n) => Array.from({ length: LEN }, (_, t) => ops.toFlat(tr.get(`x_${t}`)!.value!)[n]!));
      assert.deepEqual(paths, BATCH.map((ys) => viterbi(ys)));
    }));
});
