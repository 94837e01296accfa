/**
 * Tests of NUTS's allocation-free machinery: the reference-counted point
 * pool, the out-of-place leapfrog, the fused kinetic energy and sharp
 * momentum, iteration draws folded on first use, and NUTS transitions that
 * keep the draws of the copying implementation they replaced (golden values)
 * in a bounded set of buffers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyDraws } from "../../../src/infer/mcmc/draws.js";
import { leapfrog, leapfrogInto, type PhasePoint, type PotentialFn } from "../../../src/infer/mcmc/integrator.js";
import { denseInverseMass, identityInverseMass, kineticEnergy, velocityInto, type InverseMassMatrix } from "../../../src/infer/mcmc/mass-matrix.js";
import { nutsTransition } from "../../../src/infer/mcmc/nuts.js";
import { kineticAndSharp, PointPool } from "../../../src/infer/mcmc/point-pool.js";
import { PRNGKey, fold, normal, uniform } from "../../../src/tensor/random/index.js";

/** U(q) = ½ qᵀPq for the 2 × 2 precision matrix [[2, .5], [.5, 1]]; records the gradient buffers it is given. */
function gaussian(seen?: Set<Float64Array>): PotentialFn {
  const P = [2, 0.5, 0.5, 1];
  return (q, gradOut) => {
    if (gradOut !== undefined) seen?.add(gradOut);
    const grad = gradOut ?? new Float64Array(2);
    let value = 0;
    for (let i = 0; i < 2; i++) {
      grad[i] = 0;
      for (let j = 0; j < 2; j++) grad[i] = grad[i]! + P[i * 2 + j]! * q[j]!;
      value += 0.5 * q[i]! * grad[i]!;
    }
    return { value, grad };
  };
}

const dense = denseInverseMass(Float64Array.from([0.6, -0.2, -0.2, 1.1]), 2);

describe("NUTS buffers", () => {
  it("a point pool reuses dropped points, never held ones, and frees everything on reset", () => {
    const pool = new PointPool(3);
    const a = pool.take();
    const b = pool.take();
    assert.notEqual(a, b);
    assert.equal(a.q.length, 3);
    pool.hold(a); // two holders
    pool.drop(a);
    const c = pool.take();
    assert.ok(c !== a && c !== b, "a point with a holder left is not reused");
    pool.drop(b);
    assert.equal(pool.take(), b, "a point whose last holder dropped it is reused");
    pool.drop(a);
    assert.equal(pool.take(), a);
    assert.equal(a.refs, 1);
    pool.reset();
    const again = new Set([pool.take(), pool.take(), pool.take()]);
    assert.deepEqual(again, new Set([a, b, c]), "reset frees points that were still held, and makes none");
  });

  it("kineticAndSharp gives kineticEnergy's value and velocityInto's M⁻¹p, bit for bit", () => {
    const diagonal: InverseMassMatrix = { kind: "diagonal", size: 2, diagonal: Float64Array.from([0.3, 1.7]) };
    for (const minv of [diagonal, dense]) {
      const pool = new PointPool(2);
      const z = pool.take();
      z.p.set([0.123456789, -2.5]);
      const k = kineticAndSharp(minv, z);
      assert.equal(k, kineticEnergy(minv, z.p));
      assert.deepEqual(Array.from(z.sharp), Array.from(velocityInto(minv, z.p, new Float64Array(2))));
    }
  });

  it("leapfrogInto writes the in-place step's bits into another point and leaves the start unchanged", () => {
    const pot = gaussian();
    for (const minv of [identityInverseMass(2, false), dense]) {
      const q = Float64Array.from([0.3, -1.2]);
      const start: PhasePoint = { q, p: Float64Array.from([0.7, 0.1]), potential: pot(q).value, grad: pot(q).grad };
      const before = [Array.from(start.q), Array.from(start.p), Array.from(start.grad), start.potential];
      const to = new PointPool(2).take();
      leapfrogInto(pot, minv, start, to, -0.37);
      const inPlace = leapfrog(pot, minv, start, -0.37);
      assert.deepEqual([Array.from(to.q), Array.from(to.p), Array.from(to.grad), to.potential], [Array.from(inPlace.q), Array.from(inPlace.p), Array.from(inPlace.grad), inPlace.potential]);
      assert.deepEqual([Array.from(start.q), Array.from(start.p), Array.from(start.grad), start.potential], before);
    }
  });

  it("KeyDraws(key, i) draws what KeyDraws(fold(key, i)) draws, for indices below and above 2^32", () => {
    for (const i of [0, 7, 2 ** 32 - 1, 2 ** 32 + 5, 2 ** 40 + 3]) {
      const lazy = new KeyDraws(PRNGKey(4), i);
      const eager = new KeyDraws(fold(PRNGKey(4), i));
      assert.deepEqual(Array.from(lazy.normalsInto(new Float64Array(3))), Array.from(eager.normals(3)));
      assert.equal(lazy.uniform(), eager.uniform());
      assert.deepEqual(Array.from(lazy.normals(2)), Array.from(normal(fold(fold(PRNGKey(4), i), 2), 2)));
      assert.equal(lazy.uniform(), uniform(fold(fold(PRNGKey(4), i), 3), 1)[0]);
    }
    assert.throws(() => new KeyDraws(PRNGKey(4), -2), /KeyDraws: index must be a non-negative safe integer, got -2/);
    assert.throws(() => new KeyDraws(PRNGKey(4), 1.5), /KeyDraws: index must be a non-negative safe integer/);
    assert.throws(() => new KeyDraws([1, -1] as unknown as [number, number]), /KeyDraws: key must be a RandomKey/);
  });

  it("transitions of interleaved kernels, of other dimensions, and nested in a potential draw what they draw alone", () => {
    const pot = gaussian();
    const minv = identityInverseMass(2, false);
    const q0 = Float64Array.from([0.8, -0.3]);
    const start: PhasePoint = { q: q0, p: new Float64Array(2), potential: pot(q0).value, grad: pot(q0).grad };
    const chain = (steps: number, key: number, between?: () => void, potential: PotentialFn = pot): number[] => {
      const transition = nutsTransition(10);
      let z = start;
      const qs: number[] = [];
      for (let t = 0; t < steps; t++) {
        z = transition({ potential, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(key), t) }, z).point;
        qs.push(...z.q);
        between?.();
      }
      return qs;
    };
    const alone = chain(20, 1);
    const other = chain(20, 2);
    // A 1-dimensional kernel: U(x) = x²/2.
    const one: PotentialFn = (q) => ({ value: 0.5 * q[0]! ** 2, grad: Float64Array.of(q[0]!) });
    const oneStart: PhasePoint = { q: Float64Array.of(0.5), p: new Float64Array(1), potential: 0.125, grad: Float64Array.of(0.5) };
    const oneAlone = (() => {
      const tr = nutsTransition(10);
      let z = oneStart;
      const qs: number[] = [];
      for (let t = 0; t < 20; t++) {
        z = tr({ potential: one, inverseMass: identityInverseMass(1, false), stepSize: 0.5, draws: new KeyDraws(PRNGKey(3), t) }, z).point;
        assert.deepEqual([z.q.length, z.p.length, z.grad.length], [1, 1, 1], "a point of the kernel's dimension");
        assert.equal(z.potential, 0.5 * z.q[0]! ** 2);
        qs.push(z.q[0]!);
      }
      return qs;
    })();
    // Interleaved with a kernel of the same dimension and one of another.
    const otherTr = nutsTransition(10);
    const oneTr = nutsTransition(10);
    let zo = start;
    let z1 = oneStart;
    const otherQs: number[] = [];
    const oneQs: number[] = [];
    let t = 0;
    const interleaved = chain(20, 1, () => {
      zo = otherTr({ potential: pot, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(2), t) }, zo).point;
      z1 = oneTr({ potential: one, inverseMass: identityInverseMass(1, false), stepSize: 0.5, draws: new KeyDraws(PRNGKey(3), t) }, z1).point;
      otherQs.push(...zo.q);
      oneQs.push(z1.q[0]!);
      t++;
    });
    assert.deepEqual(interleaved, alone);
    assert.deepEqual(otherQs, other);
    assert.deepEqual(oneQs, oneAlone);
    // A transition of the same dimension run inside every potential call of another.
    const inner = nutsTransition(10);
    let zi = start;
    let ti = 0;
    const nested: PotentialFn = (q, gradOut) => {
      zi = inner({ potential: pot, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(2), ti++ % 20) }, zi).point;
      return pot(q, gradOut);
    };
    assert.deepEqual(chain(20, 1, undefined, nested), alone);
  });

  it("a transition whose potential throws leaves nothing behind: later transitions draw what they draw without it, in bounded buffers", () => {
    const buffers = new Set<Float64Array>();
    const pot = gaussian(buffers);
    const minv = identityInverseMass(2, false);
    const q0 = Float64Array.from([0.8, -0.3]);
    const start: PhasePoint = { q: q0, p: new Float64Array(2), potential: pot(q0).value, grad: pot(q0).grad };
    let calls = 0;
    const failing: PotentialFn = (q, gradOut) => {
      if (++calls === 3) throw new Error("model error at the third gradient");
      return pot(q, gradOut);
    };
    const run = (withFailure: boolean): number[] => {
      const transition = nutsTransition(10);
      // A first transition leaves its workspace idle; the failing one takes it and throws mid-tree.
      let z = transition({ potential: pot, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(5), 100) }, start).point;
      if (withFailure) {
        calls = 0;
        assert.throws(() => transition({ potential: failing, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(5), 0) }, z), /third gradient/);
      }
      const qs: number[] = [];
      for (let t = 0; t < 50; t++) {
        z = transition({ potential: pot, inverseMass: minv, stepSize: 0.3, draws: new KeyDraws(PRNGKey(5), t + 1) }, z).point;
        qs.push(...z.q);
      }
      return qs;
    };
    const clean = run(false);
    buffers.clear();
    assert.deepEqual(run(true), clean);
    assert.ok(buffers.size <= 3 * 10 + 6, `${buffers.size} gradient buffers after 50 transitions`);
  });

  // Golden values: 50 transitions from (0.8, −0.3) with draws from fold(PRNGKey(11), t), as the
  // implementation that copied every point into per-level buffers drew them. Any change to the
  // tree building, the multinomial sampling, the U-turn checks or the draws' order changes them.
  const golden = [
    { name: "diagonal", minv: identityInverseMass(2, false), stepSize: 0.3, depth: 10, q: [0.17661884447234036, -1.086108712298068], sumQ: 44.231892441439285, steps: 426, acc: 49.330240748127444, div: 0, depths: 134 },
    { name: "dense", minv: dense, stepSize: 0.25, depth: 10, q: [0.1796213605764104, -0.07447100580746291], sumQ: 37.84426909029023, steps: 552, acc: 49.682532059275644, div: 0, depths: 154 },
    { name: "depth 2", minv: identityInverseMass(2, false), stepSize: 0.05, depth: 2, q: [0.10286470713068403, 0.01595465910749047], sumQ: -11.237688594982155, steps: 150, acc: 49.99850427990537, div: 0, depths: 100 },
    { name: "diverging", minv: identityInverseMass(2, false), stepSize: 2.5, depth: 10, q: [-0.4157835107013087, 0.42277579445936064], sumQ: 14.31301048180572, steps: 70, acc: 1.0991602902596853, div: 11, depths: 50 },
    { name: "deep", minv: identityInverseMass(2, false), stepSize: 0.01, depth: 10, q: [-0.6091464733399351, 1.7447027469461778], sumQ: 0.4069320470842861, steps: 11062, acc: 49.999414074431286, div: 0, depths: 363 },
  ];
  for (const g of golden) {
    it(`NUTS transitions keep their draws (${g.name}) in a bounded set of buffers`, () => {
      const buffers = new Set<Float64Array>();
      const pot = gaussian(buffers);
      const transition = nutsTransition(g.depth);
      const q0 = Float64Array.from([0.8, -0.3]);
      let z: PhasePoint = { q: q0, p: new Float64Array(2), potential: pot(q0).value, grad: pot(q0).grad };
      let sumQ = 0, steps = 0, acc = 0, div = 0, depths = 0;
      for (let t = 0; t < 50; t++) {
        const r = transition({ potential: pot, inverseMass: g.minv, stepSize: g.stepSize, draws: new KeyDraws(fold(PRNGKey(11), t)) }, z);
        z = r.point;
        sumQ += z.q[0]! + 2 * z.q[1]!;
        steps += r.numSteps;
        acc += r.acceptProb;
        div += r.diverging ? 1 : 0;
        depths += r.treeDepth;
      }
      assert.deepEqual({ q: Array.from(z.q), sumQ, steps, acc, div, depths }, { q: g.q, sumQ: g.sumQ, steps: g.steps, acc: g.acc, div: g.div, depths: g.depths });
      // Each step writes into a pooled point; the pool holds at most the edges, the trajectory's
      // ends and sample, and three points per tree level, however many steps were taken.
      assert.ok(buffers.size <= 3 * g.depth + 6, `${buffers.size} gradient buffers for ${steps} steps`);
    });
  }
});
