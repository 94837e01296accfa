import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WarmupAdapter, WelfordCovariance, adaptationSchedule } from "../../../src/infer/mcmc/adaptation.js";
import { KeyDraws } from "../../../src/infer/mcmc/draws.js";
import { hamiltonian, leapfrog, type PhasePoint, type PotentialFn } from "../../../src/infer/mcmc/integrator.js";
import {
  MassMatrixError,
  denseInverseMass,
  identityInverseMass,
  kineticEnergy,
  momentumFromNormals,
} from "../../../src/infer/mcmc/mass-matrix.js";
import { hmcTransition } from "../../../src/infer/mcmc/hmc.js";
import { nutsTransition } from "../../../src/infer/mcmc/nuts.js";
import { dualAveragingInit, dualAveragingUpdate, findReasonableStepSize } from "../../../src/infer/mcmc/step-size.js";
import { PRNGKey, fold, normal, uniform } from "../../../src/tensor/random/index.js";

/** U(q) = ½ qᵀPq for the precision matrix P (row-major n × n). */
function gaussianPotential(P: number[], n: number): PotentialFn {
  return (q) => {
    const grad = new Float64Array(n);
    let value = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) grad[i] = grad[i]! + P[i * n + j]! * q[j]!;
      value += 0.5 * q[i]! * grad[i]!;
    }
    return { value, grad };
  };
}

describe("MCMC components", () => {
  it("leapfrog is reversible and its energy error is O(ε²)", () => {
    const pot = gaussianPotential([2, 0.5, 0.5, 1], 2);
    const minv = identityInverseMass(2, false);
    const q = Float64Array.from([0.3, -1.2]);
    const start: PhasePoint = { q, p: Float64Array.from([0.7, 0.1]), potential: pot(q).value, grad: pot(q).grad };
    let z: PhasePoint = start;
    for (let i = 0; i < 20; i++) z = leapfrog(pot, minv, z, 0.1);
    let back: PhasePoint = { ...z, p: z.p.map((v) => -v) };
    for (let i = 0; i < 20; i++) back = leapfrog(pot, minv, back, 0.1);
    // 40 steps of O(1) float64 arithmetic: round-off ~1e-14.
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(back.q[i]! - start.q[i]!) < 1e-12);
    const err = (eps: number) => {
      let w: PhasePoint = start;
      for (let i = 0; i < Math.round(1 / eps); i++) w = leapfrog(pot, minv, w, eps);
      return Math.abs(hamiltonian(minv, w) - hamiltonian(minv, start));
    };
    // Second order: halving ε divides the energy error by ≈ 4 (between 3 and 5 leaves room for O(ε⁴) terms).
    const ratio = err(0.1) / err(0.05);
    assert.ok(ratio > 3 && ratio < 5, `error ratio ${ratio}`);
  });

  it("dense momentum draws have covariance M = (M⁻¹)⁻¹ and K(p) = ½pᵀM⁻¹p", () => {
    const minvMat = Float64Array.from([2, 0.6, 0.6, 0.5]);
    const minv = denseInverseMass(minvMat, 2);
    // M = inv([[2, .6], [.6, .5]]) = [[.5, −.6], [−.6, 2]] / 0.64.
    const M = [0.5 / 0.64, -0.6 / 0.64, -0.6 / 0.64, 2 / 0.64];
    const n = 20000;
    const acc = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const p = momentumFromNormals(minv, normal(fold(PRNGKey(4), i), 2));
      acc[0]! += p[0]! * p[0]!;
      acc[1]! += p[0]! * p[1]!;
      acc[3]! += p[1]! * p[1]!;
    }
    // Each entry's estimate has sd √((M_ii M_jj + M_ij²)/n) ≤ √(2·3.125²/20000) ≈ 0.031; 4 sd ≈ 0.13.
    assert.ok(Math.abs(acc[0]! / n - M[0]!) < 0.13);
    assert.ok(Math.abs(acc[1]! / n - M[1]!) < 0.13);
    assert.ok(Math.abs(acc[3]! / n - M[3]!) < 0.13);
    const p = Float64Array.from([1, 2]);
    assert.ok(Math.abs(kineticEnergy(minv, p) - 0.5 * (2 + 2 * 0.6 * 2 + 0.5 * 4)) < 1e-14);
    assert.throws(() => denseInverseMass(Float64Array.from([1, 2, 2, 1]), 2), MassMatrixError);
  });

  it("builds Stan's warmup schedule", () => {
    const show = (n: number) => adaptationSchedule(n).map((w) => [w.start, w.end]);
    assert.deepEqual(show(1000), [[0, 74], [75, 99], [100, 149], [150, 249], [250, 449], [450, 949], [950, 999]]);
    assert.deepEqual(show(10), [[0, 9]]);
    // 100 < 150: buffers 15 and 10, one slow window of 75.
    assert.deepEqual(show(100), [[0, 14], [15, 89], [90, 99]]);
  });

  it("dual averaging and Welford follow their formulas", () => {
    // t = 1, t0 = 10: ḡ = g/11; x = μ − √1/0.05·ḡ; x̄ = x (weight 1^−0.75 = 1).
    const s = dualAveragingUpdate(dualAveragingInit(Math.log(10)), 0.3);
    assert.ok(Math.abs(s.gAvg - 0.3 / 11) < 1e-15);
    assert.ok(Math.abs(s.x - (Math.log(10) - (0.3 / 11) / 0.05)) < 1e-14);
    assert.equal(s.xAvg, s.x);
    const w = new WelfordCovariance(2, true);
    const xs = [[1, 2], [3, 1], [2, 5], [0, 0]];
    for (const x of xs) w.update(Float64Array.from(x));
    // Sample covariance (n − 1), by hand: means (1.5, 2); var₀ = 5/3, var₁ = 14/3, cov = 3/3 = 1, then Stan's
    // regularization (4/9)·Σ + 1e-3·(5/9)·I.
    const cov = w.covariance();
    const expected = [5 / 3, 1, 1, 14 / 3].map((v, i) => (4 / 9) * v + (i % 3 === 0 ? 1e-3 * (5 / 9) : 0));
    cov.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-14, `cov[${i}] ${v} vs ${expected[i]}`));
  });

  it("adaptation learns the target's variances and a step size near the target acceptance", () => {
    // Independent Gaussian with variances 100 and 0.01: the diagonal mass matrix must find them.
    const pot = gaussianPotential([0.01, 0, 0, 100], 2);
    const transition = nutsTransition(10);
    const q0 = Float64Array.from([1, 0.1]);
    let point: PhasePoint = { q: q0, p: new Float64Array(2), potential: pot(q0).value, grad: pot(q0).grad };
    const eps0 = findReasonableStepSize(pot, identityInverseMass(2, false), point, 1, new KeyDraws(PRNGKey(1)));
    const adapter = new WarmupAdapter(
      { warmupSteps: 500, adaptStepSize: true, adaptMassMatrix: true, dense: false, targetAcceptProb: 0.8 },
      { stepSize: eps0, inverseMass: identityInverseMass(2, false) },
    );
    let acc = 0;
    for (let t = 0; t < 500; t++) {
      const r = transition({ potential: pot, ...adapter.parameters, draws: new KeyDraws(fold(PRNGKey(2), t)) }, point);
      point = r.point;
      if (t >= 450) acc += r.acceptProb;
      adapter.update(t, r.acceptProb, point, pot, new KeyDraws(fold(PRNGKey(3), t)));
    }
    const { inverseMass } = adapter.parameters;
    assert.equal(inverseMass.kind, "diagonal");
    const diag = inverseMass.kind === "diagonal" ? inverseMass.diagonal : new Float64Array();
    // The last slow window (250 draws, n_eff ≳ 100) estimates each variance with relative sd ≲ √(2/100) ≈ 0.14;
    // 4 sd ⇒ within a factor 1.6 of 100 and 0.01 (the 1e-3 regularization is negligible at these scales
    // except that it adds ≤ 2e-5 to 0.01).
    assert.ok(diag[0]! > 100 / 1.6 && diag[0]! < 100 * 1.6, `var0 ${diag[0]}`);
    assert.ok(diag[1]! > 0.01 / 1.6 && diag[1]! < 0.01 * 1.6, `var1 ${diag[1]}`);
    // With a well-adapted metric the terminal buffer's mean acceptance is near the 0.8 target; the
    // average of 50 correlated statistics in [0, 1] (sd ≤ 0.5/√(50/5)) stays within 0.8 ± 0.15.
    assert.ok(Math.abs(acc / 50 - 0.8) < 0.15, `terminal acceptance ${acc / 50}`);
  });

  it("KeyDraws.normalsInto and .uniform draw what normal(fold(key, i)) and uniform(fold(key, i), 1) draw", () => {
    const a = new KeyDraws(PRNGKey(9));
    const b = new KeyDraws(PRNGKey(9));
    assert.deepEqual(Array.from(a.normalsInto(new Float64Array(5))), Array.from(b.normals(5)));
    assert.deepEqual(Array.from(a.normalsInto(new Float64Array(3))), Array.from(normal(fold(PRNGKey(9), 1), 3)));
    assert.equal(a.uniform(), uniform(fold(PRNGKey(9), 2), 1)[0]);
  });

  it("a transition writing into a chain's buffer (`out`) gives the point it gives without one, for NUTS and HMC", () => {
    const pot = gaussianPotential([2, 0.5, 0.5, 1], 2);
    const q0 = Float64Array.from([0.8, -0.3]);
    const start: PhasePoint = { q: q0, p: new Float64Array(2), potential: pot(q0).value, grad: pot(q0).grad };
    const inverseMass = identityInverseMass(2, false);
    for (const transition of [nutsTransition(6), hmcTransition({ numSteps: 5 })]) {
      const buffers = [0, 1].map(() => ({ q: new Float64Array(2), p: new Float64Array(2), potential: 0, grad: new Float64Array(2) }));
      let withOut: PhasePoint = start;
      let without: PhasePoint = start;
      for (let t = 0; t < 40; t++) {
        const input = { potential: pot, inverseMass, stepSize: 0.4 };
        const out = withOut === buffers[0] ? buffers[1]! : buffers[0]!;
        const r = transition({ ...input, draws: new KeyDraws(fold(PRNGKey(5), t)), out }, withOut);
        const s = transition({ ...input, draws: new KeyDraws(fold(PRNGKey(5), t)) }, without);
        assert.ok(r.point === out || r.point === withOut, "the point is the buffer or the current point");
        assert.deepEqual([Array.from(r.point.q), Array.from(r.point.grad), r.point.potential], [Array.from(s.point.q), Array.from(s.point.grad), s.point.potential]);
        assert.deepEqual([r.acceptProb, r.numSteps, r.treeDepth], [s.acceptProb, s.numSteps, s.treeDepth]);
        [withOut, without] = [r.point, s.point];
      }
    }
  });
});
