// TraceEnumELBO on a Gaussian mixture: the enumerated loss equals the
// brute-force marginal likelihood, and SVI with it recovers the means of the
// 200-point mixture in bench/data/gmm.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../../src/dispatch/standard-backends.js";
import type { Runtime } from "../../../src/handlers/runtime.js";

const K = 3;
const WEIGHTS = [0.2, 0.3, 0.5];
const model = pyro.model(function* (x: Tensor, weights: readonly number[]) {
  const locs = yield* pyro.param("locs", ops.tensor([-1, 0.5, 1]));
  yield* pyro.plate("data", x.shape[0]!, function* () {
    const z = yield* pyro.sample("z", dist.Categorical(weights as number[]), { infer: { enumerate: "parallel" } });
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});
const guide = pyro.model(function* (_x: Tensor, _weights: readonly number[]) {});

const logNormal = (x: number, m: number): number => -0.5 * (x - m) ** 2 - 0.5 * Math.log(2 * Math.PI);

/** log p(x) by summing the joint over all K^n assignments (no factorization used). */
function bruteForce(xs: readonly number[], locs: readonly number[], weights: readonly number[]): number {
  const n = xs.length;
  let total = 0;
  const z = new Array<number>(n).fill(0);
  for (let c = 0; c < K ** n; c++) {
    let r = c;
    for (let i = 0; i < n; i++) { z[i] = r % K; r = Math.floor(r / K); }
    let logJoint = 0;
    for (let i = 0; i < n; i++) logJoint += Math.log(weights[z[i]!]!) + logNormal(xs[i]!, locs[z[i]!]!);
    total += Math.exp(logJoint);
  }
  return Math.log(total);
}

const loss = (rt: Runtime, elbo: InstanceType<typeof infer.TraceEnumELBO>, x: Tensor, w: readonly number[]): number =>
  elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, model, guide, [x, w]);

const SMALL = [-4.1, 0.3, 3.9, -3.5, 0.1, 4.4];
const LOCS = [-1, 0.5, 1];

// Tolerances: numpy computes in float64; the enumerated and brute-force values
// (≈ 28 in magnitude) differ by rounding only (≲ 1e-13), so 1e-6 is loose. On
// pyro (float32, relative ε ≈ 6e-8) each of the ~10 ops per point rounds at
// ≈ 6e-8·|term| with |term| ≲ 10: ≈ 6 points · 10 ops · 6e-7 ≈ 4e-5; allow 1e-4.
for (const [backend, rt, tol] of [["numpy", numpyBackend.runtime, 1e-6], ["pyro", pyroTfjsBackend.runtime, 1e-4]] as const) {
  describe(`TraceEnumELBO on a Gaussian mixture (${backend})`, () => {
    it("equals the brute-force sum over all 3^6 assignments", () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const exact = bruteForce(SMALL, LOCS, WEIGHTS);
        const got = loss(rt, new infer.TraceEnumELBO({ maxPlateNesting: 1 }), ops.tensor(SMALL), WEIGHTS);
        assert.ok(Math.abs(got - -exact) < tol, `enumerated loss ${got}, brute force ${-exact}`);
      }));

    it("guesses maxPlateNesting when it is not given", () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const got = loss(rt, new infer.TraceEnumELBO(), ops.tensor(SMALL), WEIGHTS);
        assert.ok(Math.abs(got - -bruteForce(SMALL, LOCS, WEIGHTS)) < tol);
      }));

    it("gives the same value with expand: true (values expanded to the batch shape)", () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const expanded = infer.configEnumerate(model, { expand: true });
        const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
        const got = elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, expanded, guide, [ops.tensor(SMALL), WEIGHTS]);
        assert.ok(Math.abs(got - -bruteForce(SMALL, LOCS, WEIGHTS)) < tol);
      }));
  });
}

// The 200-point data and its reference posterior (a long Gibbs run, prior locs ~ N(0, 10²)).
const data = JSON.parse(readFileSync(new URL("../../../bench/data/gmm.json", import.meta.url), "utf8")) as { x: number[] };
const reference = JSON.parse(readFileSync(new URL("../../../bench/data/reference.json", import.meta.url), "utf8")) as {
  gmm: Record<"loc0" | "loc1" | "loc2", { mean: number; sd: number }>;
};
const refLocs = (["loc0", "loc1", "loc2"] as const).map((k) => reference.gmm[k]);

/** The maximum-likelihood locs by EM from the same start (an independent float64 computation). */
function emLocs(xs: readonly number[], start: readonly number[]): number[] {
  let mu = [...start];
  for (let it = 0; it < 2000; it++) {
    const num = [0, 0, 0];
    const den = [0, 0, 0];
    for (const x of xs) {
      const w = mu.map((m) => Math.exp(-0.5 * (x - m) ** 2));
      const s = w[0]! + w[1]! + w[2]!;
      for (let k = 0; k < K; k++) { num[k] += (w[k]! / s) * x; den[k] += w[k]! / s; }
    }
    mu = num.map((v, k) => v / den[k]!);
  }
  return mu;
}

for (const backend of ["numpy", "pyro"] as const) {
  describe(`SVI with TraceEnumELBO on the 200-point mixture (${backend})`, () => {
    it("recovers the component means", () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const x = ops.tensor(data.x);
        const w = [1 / 3, 1 / 3, 1 / 3];
        const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
        // The enumerated ELBO is exact: its gradient has no Monte Carlo noise, so SVI is
        // deterministic gradient ascent on log p(x | locs). Adam at lr 0.1, then 100 steps at
        // lr 0.01: once at the optimum Adam's steps are at most ≈ lr, so the iterate is within
        // 0.01 of the maximum-likelihood locs.
        const fast = new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), elbo);
        for (let i = 0; i < 300; i++) fast.step(x, w);
        const slow = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), elbo);
        for (let i = 0; i < 100; i++) slow.step(x, w);
        const locs = Array.from(ops.toFlat(pyro.getParam("locs")));
        const mle = emLocs(data.x, [-1, 0.5, 1]);
        for (let k = 0; k < K; k++) {
          assert.ok(Math.abs(locs[k]! - mle[k]!) < 0.01, `loc ${k}: SVI ${locs[k]}, EM ${mle[k]}`);
          // The MLE and the posterior mean differ by the prior's pull (sd²·|loc|/10² ≈ 1e-3) and
          // O(sd/√n_k) skewness terms (≈ 0.02 sd); the Gibbs reference carries Monte Carlo
          // error ≲ 0.01 sd. With the 0.01 above, 0.25 sd (≈ 0.03) bounds them all.
          const { mean, sd } = refLocs[k]!;
          assert.ok(Math.abs(locs[k]! - mean) < 0.01 + 0.25 * sd, `loc ${k}: SVI ${locs[k]}, reference ${mean} ± ${sd}`);
        }
      }));
  });
}
