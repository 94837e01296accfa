// Enumeration on the funsor backend, whose TraceEnumELBO builds the
// contraction as one lazy term and then evaluates it: the Gaussian mixture's
// enumerated loss equals the brute-force sum over all assignments and SVI
// recovers the component means; a 100-step HMM under pyro.markov gives the
// forward algorithm's likelihood and inferDiscrete's MAP is the Viterbi path;
// the seed example trains to a lower loss than with TraceELBO. The models are
// those of test/infer/enum (gmm, hmm, quickstart). Float64 throughout.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { FunsorTraceEnumELBO } from "../../src/backends/funsor.js";
import { funsorBackend } from "../../src/dispatch/standard-backends.js";
import { TraceEnumELBO } from "../../src/infer/elbo/trace-enum-elbo.js";
import type { ELBO } from "../../src/infer/elbo/elbo.js";

const rt = funsorBackend.runtime;
const ctx = { ops: rt.ops, run: rt.run.bind(rt) as typeof rt.run, validate: true };
const lse = (v: readonly number[]): number => { const m = Math.max(...v); return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0)); };
const logNormal = (x: number, m: number): number => -0.5 * (x - m) ** 2 - 0.5 * Math.log(2 * Math.PI);

// ------------------------------------------------------------ the mixture
const gmm = pyro.model(function* (x: Tensor, weights: readonly number[]) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 0.5, 1]));
  yield* pyro.plate("data", x.shape[0]!, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(weights as number[]), { infer: { enumerate: "parallel" } });
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});
const empty = pyro.model(function* (..._args: unknown[]) {});

/** log p(x) by summing the joint over all 3^n assignments. */
function bruteForce(xs: readonly number[], locs: readonly number[], w: readonly number[]): number {
  const n = xs.length;
  const terms: number[] = [];
  for (let c = 0; c < 3 ** n; c++) {
    let r = c;
    let s = 0;
    for (let i = 0; i < n; i++) { const z = r % 3; r = Math.floor(r / 3); s += Math.log(w[z]!) + logNormal(xs[i]!, locs[z]!); }
    terms.push(s);
  }
  return lse(terms);
}

describe("funsor: TraceEnumELBO on a Gaussian mixture", () => {
  it("is the lazy-contraction ELBO, and equals the brute-force sum over all 3^6 assignments", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      assert.ok(elbo instanceof FunsorTraceEnumELBO);
      const xs = [-4.1, 0.3, 3.9, -3.5, 0.1, 4.4];
      const w = [0.2, 0.3, 0.5];
      const args: [Tensor, readonly number[]] = [ops.tensor(xs), w];
      const loss = elbo.loss(ctx, gmm, empty, args);
      // float64 sums of ~10 terms of magnitude ≲ 30: rounding ≲ 1e-13, far inside 1e-6.
      assert.ok(Math.abs(loss - -bruteForce(xs, [-1, 0.5, 1], w)) < 1e-6, `enumerated ${loss}`);
      const eager = new TraceEnumELBO({ maxPlateNesting: 1 }).loss(ctx, gmm, empty, args);
      assert.ok(Math.abs(loss - eager) < 1e-12, "the lazily built contraction evaluates to the eager one");
    }));

  it("recovers the maximum-likelihood component means of the 200-point data by SVI", () =>
    pyroBackend("funsor", () => {
      pyro.clearParamStore();
      const data = JSON.parse(readFileSync(new URL("../../bench/data/gmm.json", import.meta.url), "utf8")) as { x: number[] };
      const x = ops.tensor(data.x);
      const w = [1 / 3, 1 / 3, 1 / 3];
      const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
      // Exact gradients: Adam at lr 0.1, then at lr 0.01 ends within ≈ 0.01 of the optimum (as in test/infer/enum/gmm).
      const fast = new infer.SVI(gmm, empty, optim.Adam({ lr: 0.1 }), elbo);
      for (let i = 0; i < 300; i++) fast.step(x, w);
      const slow = new infer.SVI(gmm, empty, optim.Adam({ lr: 0.01 }), elbo);
      for (let i = 0; i < 100; i++) slow.step(x, w);
      let mu = [-1, 0.5, 1];
      for (let it = 0; it < 2000; it++) { // EM, an independent float64 computation of the MLE
        const num = [0, 0, 0];
        const den = [0, 0, 0];
        for (const v of data.x) {
          const r = mu.map((m) => Math.exp(-0.5 * (v - m) ** 2));
          const s = r[0]! + r[1]! + r[2]!;
          r.forEach((rk, k) => { num[k]! += (rk / s) * v; den[k]! += rk / s; });
        }
        mu = num.map((v, k) => v / den[k]!);
      }
      const locs = Array.from(ops.toFlat(pyro.getParam("locs")));
      locs.forEach((l, k) => assert.ok(Math.abs(l - mu[k]!) < 0.01, `loc ${k}: SVI ${l}, EM ${mu[k]}`));
    }));
});

// ------------------------------------------------------------ the HMM
const INIT = [0.5, 0.3, 0.2];
const TRANS = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.15, 0.15, 0.7]];
const LOCS = [-2, 0, 2];
const YS = Array.from({ length: 100 }, (_, t) => LOCS[Math.floor(t / 7) % 3]! + 0.8 * Math.sin(3.1 * t));

const hmm = pyro.model(function* (ys: readonly number[]) {
  const trans = ops.tensor(TRANS);
  const locs = ops.tensor(LOCS);
  let x: Tensor | undefined;
  yield* pyro.markov(ys.length, function* (t) {
    const probs = x === undefined ? ops.tensor(INIT) : ops.index(trans, x);
    x = yield* pyro.sample(`x_${t}`, dist.Categorical(probs), { infer: { enumerate: "parallel" } });
    yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: ys[t]! });
  });
});

const emit = (k: number, y: number) => logNormal(y, LOCS[k]!);

describe("funsor: a 3-state HMM of 100 steps under pyro.markov", () => {
  it("TraceEnumELBO's loss is minus the forward algorithm's log-likelihood", () =>
    pyroBackend("funsor", () => {
      let a = INIT.map((p, k) => Math.log(p) + emit(k, YS[0]!));
      for (let t = 1; t < YS.length; t++) a = a.map((_, j) => lse(a.map((ai, i) => ai + Math.log(TRANS[i]![j]!))) + emit(j, YS[t]!));
      const loss = new infer.TraceEnumELBO({ maxPlateNesting: 0 }).loss(ctx, hmm, empty, [YS]);
      // float64: 100 steps of sums of magnitude ≲ 200, rounding ≲ 1e-12.
      assert.ok(Math.abs(loss - -lse(a)) < 1e-6, `enumerated ${-loss}, forward ${lse(a)}`);
    }));

  it("inferDiscrete at temperature 0 returns the Viterbi path", () =>
    pyroBackend("funsor", () => {
      let delta = INIT.map((p, k) => Math.log(p) + emit(k, YS[0]!));
      const back: number[][] = [];
      for (let t = 1; t < YS.length; t++) {
        const ptr: number[] = [];
        delta = delta.map((_, j) => {
          let best = 0;
          for (let i = 1; i < 3; i++) if (delta[i]! + Math.log(TRANS[i]![j]!) > delta[best]! + Math.log(TRANS[best]![j]!)) best = i;
          ptr.push(best);
          return delta[best]! + Math.log(TRANS[best]![j]!) + emit(j, YS[t]!);
        });
        back.push(ptr);
      }
      const viterbi = [delta.indexOf(Math.max(...delta))];
      for (let t = YS.length - 2; t >= 0; t--) viterbi.unshift(back[t]![viterbi[0]!]!);
      const tr = handlers.trace(infer.inferDiscrete(hmm, { firstAvailableDim: -1, temperature: 0 })).getTrace(YS);
      assert.deepEqual(YS.map((_, t) => ops.item(tr.get(`x_${t}`)!.value!)), viterbi);
    }));
});

// ------------------------------------------------------------ the seed example
const trueLocs = [-4, 0, 4];
const seedData = Array.from({ length: 200 }, (_, i) => trueLocs[i % 3]! + Math.sin(7.3 * i));
const seedModel = pyro.model(function* (x: Tensor) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 0.5, 1]));
  yield* pyro.plate("data", x.shape[0]!, { dim: -1 }, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(ops.tensor([1 / 3, 1 / 3, 1 / 3])));
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});
const seedGuide = pyro.model(function* (x: Tensor) {
  const n = x.shape[0]!;
  yield* pyro.plate("data", n, { dim: -1 }, function* () {
    const q = yield* pyro.param("q", ops.div(ops.ones([n, 3]), 3), { constraint: dist.constraints.simplex, eventDim: 1 });
    yield* pyro.sample("z", dist.Categorical(q));
  });
});

describe("funsor: the seed example", () => {
  it("reaches a lower final loss with TraceEnumELBO than with TraceELBO in the same 200 steps", () => {
    const train = (m: typeof seedModel, g: typeof seedGuide | typeof empty, elbo: ELBO): number =>
      pyroBackend("funsor", () => {
        pyro.clearParamStore();
        pyro.setRngSeed(0);
        const x = ops.tensor(seedData);
        const svi = new infer.SVI(m, g, optim.Adam({ lr: 0.1 }), elbo);
        let sum = 0;
        for (let step = 1; step <= 200; step++) { const l = svi.step(x); if (step > 150) sum += l; }
        return sum / 50;
      });
    // TraceEnumELBO's loss is −log p(x | locs) with exact gradients; TraceELBO also pays
    // KL(q ‖ posterior) and Monte Carlo noise, so its expected loss is higher at any locs.
    const enumLoss = train(infer.configEnumerate(seedModel), empty, new infer.TraceEnumELBO({ maxPlateNesting: 1 }));
    const traceLoss = train(seedModel, seedGuide, new infer.TraceELBO());
    assert.ok(enumLoss < traceLoss, `mean of the last 50 losses: TraceEnumELBO ${enumLoss}, TraceELBO ${traceLoss}`);
  });
});
