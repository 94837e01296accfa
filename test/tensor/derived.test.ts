/**
 * Tests of `completeOps`: every derived member, on the tfjs backend and on the
 * tfjs core stripped of its native versions (so the generic derivations run).
 *
 * Tolerances:
 * - Values of float64 kernels (special functions, Cholesky, solves) come back
 *   rounded to float32: rtol 1e-6 (8 ulps of 2⁻²³) against float64 truths.
 * - Gradients are compared with central differences (h = 1e-4) of a float64
 *   reference: truncation h²·|f'''|/6 ≲ 1e-7, rounding ≈ 1e-12. Special
 *   functions differentiate in float64 then multiply once in float32:
 *   tolerance 1e-5·(1 + |g|). Linear algebra backward passes chain ~10 float32
 *   matrix ops on matrices of condition number ≲ 10, each within n·ε₃₂·κ ≈ 4e-6
 *   relative, so 1e-3·(1 + |g|) holds with margin.
 * - Linear maps (diagonal, diagEmbed, index) use exact unit-step differences
 *   of small-integer data, exact in float32: tolerance 1e-5.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as tf from "@tensorflow/tfjs";
import { completeOps } from "../../src/tensor/derived.js";
import { choleskyKernel, triangularSolveKernel } from "../../src/tensor/kernels/linalg.js";
import type { CoreOps, DerivedOpsKeys, Ops } from "../../src/tensor/ops.js";
import * as special from "../../src/tensor/special/index.js";
import { tfjsCore, tfjsOps } from "../../src/tensor/tfjs/index.js";
import type { NestedArray } from "../../src/tensor/types.js";

type T = tf.Tensor;

const DERIVED: DerivedOpsKeys[] = [
  "zerosLike", "onesLike", "full", "square", "reciprocal", "clamp", "mean", "logsumexp", "lgamma", "digamma",
  "erf", "erfinv", "index", "oneHot", "diagonal", "diagEmbed", "cholesky", "triangularSolve", "elementwise", "allclose",
  "binaryCrossEntropyWithLogits",
];
/** The tfjs core without any derived member: completeOps must supply all of them. */
const minimal = Object.fromEntries(Object.entries(tfjsCore).filter(([k]) => !DERIVED.includes(k as DerivedOpsKeys))) as CoreOps<T>;
const backends: [string, Ops<T>][] = [
  ["tfjs", tfjsOps],
  ["derived", completeOps(minimal)],
];

function flat(a: NestedArray): { v: number[]; s: number[] } {
  const s: number[] = [];
  for (let c: NestedArray = a; Array.isArray(c); c = (c as NestedArray[])[0]!) s.push(c.length);
  const v: number[] = [];
  const walk = (x: NestedArray): void => (Array.isArray(x) ? (x as NestedArray[]).forEach(walk) : void v.push(Number(x)));
  walk(a);
  return { v, s };
}

function near(ops: Ops<T>, actual: T, expected: NestedArray, rtol = 1e-6, atol = 1e-7): void {
  const e = flat(expected);
  assert.deepEqual(actual.shape, e.s, `shape ${actual.shape} vs ${e.s}`);
  const a = ops.toFlat(actual);
  e.v.forEach((ev, i) => {
    const av = a[i]!;
    const ok = av === ev || Object.is(av, ev) || Math.abs(av - ev) <= atol + rtol * Math.abs(ev);
    assert.ok(ok, `element ${i}: got ${av}, expected ${ev} (all: ${Array.from(a)})`);
  });
}

const weight = (k: number) => 0.5 + ((k * 7) % 5) / 4;

interface Input {
  data: number[];
  shape: number[];
}

/** ops.valueAndGrad of Σ w·f(xs) against central differences of the float64 reference `ref`. */
function gradCheck(ops: Ops<T>, f: (xs: readonly T[]) => T, ref: (xs: number[][]) => ArrayLike<number>, inputs: Input[], tol: number, h = 1e-4): void {
  const xs = inputs.map((i) => i.data.map(Math.fround));
  const loss = (v: ArrayLike<number>) => Array.from(v).reduce((s, y, k) => s + weight(k) * y, 0);
  const ts = inputs.map((inp, k) => ops.fromFlat(xs[k]!, inp.shape));
  const { value, grads } = ops.valueAndGrad((a) => {
    const y = f(a);
    return ops.sum(ops.mul(y, ops.fromFlat(Array.from({ length: y.size }, (_, k) => weight(k)), y.shape)));
  }, ts);
  const v0 = loss(ref(xs));
  assert.ok(Math.abs(ops.item(value) - v0) <= tol * (1 + Math.abs(v0)), `value ${ops.item(value)} vs ${v0}`);
  xs.forEach((x, k) => {
    const g = ops.toFlat(grads[k]!);
    x.forEach((_, j) => {
      const at = (d: number) => loss(ref(xs.map((y, m) => (m === k ? y.map((u, n) => (n === j ? u + d : u)) : y))));
      const fd = (at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(g[j]! - fd) <= tol * (1 + Math.abs(fd)), `input ${k} element ${j}: autodiff ${g[j]}, finite difference ${fd}`);
    });
  });
  ops.dispose([value, ...grads, ...ts]);
}

function linearGradCheck(ops: Ops<T>, f: (xs: readonly T[]) => T, inputs: Input[]): void {
  const ref = (xs: number[][]) => ops.tidy(() => Array.from(ops.toFlat(f(xs.map((x, k) => ops.fromFlat(x, inputs[k]!.shape))))));
  gradCheck(ops, f, ref, inputs, 1e-5, 1);
}

/** Float64 logsumexp of consecutive rows of length n. */
function lseRows(x: number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i += n) {
    const row = x.slice(i, i + n);
    const m = Math.max(...row);
    out.push(m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)));
  }
  return out;
}

/** Float64 (m + mᵀ)/2 + shift·I of each n×n matrix in flat data. */
function symmetric(x: number[], n: number, shift: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let b = 0; b < x.length; b += n * n) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out[b + i * n + j] = (x[b + i * n + j]! + x[b + j * n + i]!) / 2 + (i === j ? shift : 0);
    }
  }
  return out;
}

for (const [label, ops] of backends) {
  describe(`derived ops (${label})`, () => {
    it("creation and elementwise helpers", () => {
      near(ops, ops.zerosLike([[1, 2]]), [[0, 0]]);
      near(ops, ops.onesLike(7), 1);
      near(ops, ops.full([2, 1], -3), [[-3], [-3]]);
      near(ops, ops.square([-2, 3]), [4, 9]);
      near(ops, ops.reciprocal([4, -0.5]), [0.25, -2]);
      near(ops, ops.clamp([[-3, 0.5], [2, 1]], -1, 1), [[-1, 0.5], [1, 1]]);
      gradCheck(ops, ([x]) => ops.square(x!), ([x]) => x!.map((v) => v * v), [{ data: [-2, 0.5, 3], shape: [3] }], 1e-5);
      gradCheck(ops, ([x]) => ops.reciprocal(x!), ([x]) => x!.map((v) => 1 / v), [{ data: [-2, 0.5, 3], shape: [3] }], 1e-5);
      gradCheck(ops, ([x]) => ops.clamp(x!, 0, 1), ([x]) => x!.map((v) => Math.min(1, Math.max(0, v))), [{ data: [-2, 0.5, 3], shape: [3] }], 1e-5);
    });

    it("binaryCrossEntropyWithLogits: softplus(l) − t·l, with broadcasting, and its gradient in both arguments", () => {
      const bce = (l: number, t: number) => (l > 0 ? l + Math.log1p(Math.exp(-l)) : Math.log1p(Math.exp(l))) - t * l;
      near(ops, ops.binaryCrossEntropyWithLogits([[-30, -1, 0], [0.5, 2, 30]], [[0, 1, 1], [0, 1, 1]]), [[bce(-30, 0), bce(-1, 1), bce(0, 1)], [bce(0.5, 0), bce(2, 1), bce(30, 1)]]);
      near(ops, ops.binaryCrossEntropyWithLogits([[-1], [2]], [0, 1, 0.25]), [[bce(-1, 0), bce(-1, 1), bce(-1, 0.25)], [bce(2, 0), bce(2, 1), bce(2, 0.25)]]);
      gradCheck(
        ops,
        ([l, t]) => ops.binaryCrossEntropyWithLogits(l!, t!),
        ([l, t]) => l!.map((v, i) => bce(v, t![i]!)),
        [{ data: [-3, -0.5, 0.25, 1.5, 4], shape: [5] }, { data: [0, 1, 0.3, 1, 0], shape: [5] }],
        1e-5,
      );
    });

    it("mean over axes", () => {
      near(ops, ops.mean([[1, 2], [3, 6]]), 3);
      near(ops, ops.mean([[1, 2], [3, 6]], -1), [1.5, 4.5]);
      near(ops, ops.mean([[1, 2], [3, 6]], { axis: 0, keepdims: true }), [[2, 4]]);
      linearGradCheck(ops, ([x]) => ops.mean(x!, 0), [{ data: [1, 2, 3, 6], shape: [2, 2] }]);
    });

    it("logsumexp: stable, −∞ and +∞ entries, all-−∞ slices, NaN", () => {
      near(ops, ops.logsumexp([[0, 0], [1, 2]], -1), [Math.log(2), 2 + Math.log1p(Math.exp(-1))]);
      near(ops, ops.logsumexp([1000, 1000]), 1000 + Math.log(2));
      near(ops, ops.logsumexp([[-Infinity, 0], [-Infinity, -Infinity], [Infinity, 0]], { axis: 1, keepdims: true }), [[0], [-Infinity], [Infinity]]);
      near(ops, ops.logsumexp([[0, -Infinity], [0, -Infinity]], 0), [Math.log(2), -Infinity]);
      near(ops, ops.logsumexp([NaN, 0]), NaN);
      const x = { data: [0.5, -1, 2, 0.25, 3, -2], shape: [2, 3] };
      gradCheck(ops, ([t]) => ops.logsumexp(t!, -1), ([v]) => lseRows(v!, 3), [x], 1e-5);
      gradCheck(ops, ([t]) => ops.logsumexp(t!, 0), ([v]) => [0, 1, 2].map((j) => lseRows([v![j]!, v![j + 3]!], 2)[0]!), [x], 1e-5);
      // −∞ entries: the finite entries' gradient is their softmax (checked by differences), the −∞ ones' is 0.
      const withInf = (t: T) => ops.concat([t, ops.full([2, 1], -Infinity)], -1);
      gradCheck(ops, ([t]) => ops.logsumexp(withInf(t!), -1), ([v]) => lseRows(v!, 3), [x], 1e-5);
      const { grads } = ops.valueAndGrad(
        ([t]) => ops.sum(ops.logsumexp(t!, -1)),
        [ops.tensor([[-Infinity, 0, Math.log(3)], [-Infinity, -Infinity, -Infinity]])],
      );
      near(ops, grads[0]!, [[0, 0.25, 0.75], [0, 0, 0]]);
    });

    it("special functions: values", () => {
      const { PI, log, sqrt } = Math;
      near(ops, ops.lgamma([0.5, 1, 2, 3, 10, 0.25, -0.5]), [
        log(sqrt(PI)), 0, 0, log(2), log(362880), 1.2880225246980774, log(2 * sqrt(PI)),
      ]);
      const gamma = 0.5772156649015329;
      near(ops, ops.digamma([1, 0.5, 2, 10]), [-gamma, -gamma - 2 * log(2), 1 - gamma, 2.8289682539682538 - gamma]);
      near(ops, ops.erf([0, 0.5, 1, -2, 1e-3]), [0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.0011283787909692363]);
      near(ops, ops.erfinv([0, 0.5, -0.9]), [0, 0.4769362762044699, -1.1630871536766743]);
      near(ops, ops.erfinv(ops.erf([-1.5, 0.25, 1])), [-1.5, 0.25, 1], 1e-5);
    });

    it("special functions: gradients (digamma, trigamma, Gaussian density, inverse)", () => {
      const x = { data: [0.25, 0.75, 1.5, 4], shape: [2, 2] };
      const u = { data: [-0.75, -0.125, 0.25, 0.5], shape: [4] };
      gradCheck(ops, ([t]) => ops.lgamma(t!), ([v]) => v!.map(special.lgamma), [x], 1e-5);
      gradCheck(ops, ([t]) => ops.digamma(t!), ([v]) => v!.map(special.digamma), [x], 1e-5);
      gradCheck(ops, ([t]) => ops.erf(t!), ([v]) => v!.map(special.erf), [u], 1e-5);
      gradCheck(ops, ([t]) => ops.erfinv(t!), ([v]) => v!.map(special.erfinv), [u], 1e-5);
    });

    it("elementwise: a float64 kernel with its derivative", () => {
      const cube = (t: T | NestedArray) =>
        ops.elementwise(t, (x) => ({ value: x.map((v) => v ** 3), derivative: x.map((v) => 3 * v * v) }));
      near(ops, cube([[1, -2]]), [[1, -8]]);
      gradCheck(ops, ([t]) => cube(t!), ([v]) => v!.map((w) => w ** 3), [{ data: [0.5, -1.25, 2], shape: [3] }], 1e-5);
    });

    it("index, oneHot, diagonal, diagEmbed", () => {
      near(ops, ops.index([[1, 2], [3, 4], [5, 6]], [[2], [0]]), [[[5, 6]], [[1, 2]]]);
      near(ops, ops.oneHot([[1], [0]], 2), [[[0, 1]], [[1, 0]]]);
      near(ops, ops.diagonal([[1, 2, 3], [4, 5, 6]]), [1, 5]);
      near(ops, ops.diagonal([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), [[1, 4], [5, 8]]);
      near(ops, ops.diagEmbed([[1, 2], [3, 4]]), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]);
      linearGradCheck(ops, ([t]) => ops.index(t!, [2, 2, 0]), [{ data: [1, 2, 3, 4, 5, 6], shape: [3, 2] }]);
      linearGradCheck(ops, ([t]) => ops.diagonal(t!), [{ data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3], shape: [2, 2, 3] }]);
      linearGradCheck(ops, ([t]) => ops.diagEmbed(t!), [{ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }]);
    });

    it("cholesky: values, batches, non-positive-definite input", () => {
      near(ops, ops.cholesky([[4, 2], [2, 5]]), [[2, 0], [1, 2]]);
      // A = L Lᵀ for hand-picked L in a batch of two.
      const l1 = [[1, 0, 0], [2, 3, 0], [-1, 0.5, 2]];
      const l2 = [[2, 0, 0], [0, 1, 0], [1, 1, 1]];
      const a = [l1, l2].map((l) => l.map((r) => l.map((s) => r.reduce((acc, v, k) => acc + v * s[k]!, 0))));
      near(ops, ops.cholesky(a), [l1, l2], 1e-6, 1e-6);
      assert.throws(() => ops.cholesky([[[1, 0], [0, 1]], [[1, 2], [2, 1]]]), /^TensorOpError: ops\.cholesky: matrix is not positive definite \(batch element 1 /);
      assert.throws(() => ops.cholesky([1, 2]), /ops\.cholesky: argument a must be a batch of square matrices/);
    });

    it("cholesky: gradient (symmetrised, through (M + Mᵀ)/2 + shift·I)", () => {
      const m = { data: [1, 0.5, -0.25, 0.75, -1, 0.5, 0.125, 0.25, 1.5], shape: [3, 3] };
      const f = (shift: number) => ([t]: readonly T[]) =>
        ops.cholesky(ops.add(ops.mul(ops.add(t!, ops.transpose(t!)), 0.5), ops.mul(ops.eye(3), shift)));
      gradCheck(ops, f(4), ([v]) => choleskyKernel(symmetric(v!, 3, 4), [3, 3]).data, [m], 1e-3);
      const batch = { data: [...m.data, ...m.data.map((v) => -v / 2)], shape: [2, 3, 3] };
      const fb = ([t]: readonly T[]) =>
        ops.cholesky(ops.add(ops.mul(ops.add(t!, ops.transpose(t!, [0, 2, 1])), 0.5), ops.mul(ops.eye(3), 3)));
      gradCheck(ops, fb, ([v]) => choleskyKernel(symmetric(v!, 3, 3), [2, 3, 3]).data, [batch], 1e-3);
      // Directly in A, the gradient is the symmetric one (Murray's Φ formula symmetrised):
      // it equals its own transpose, so through any symmetric parametrisation it is the same.
      const a = ops.tensor([[4, 1, 0.5], [1, 3, -0.5], [0.5, -0.5, 2]]);
      const { grads } = ops.valueAndGrad(([t]) => ops.sum(ops.mul(ops.cholesky(t!), [[1, 2, 3], [4, 5, 6], [7, 8, 9]])), [a]);
      assert.ok(ops.allclose(grads[0]!, ops.transpose(grads[0]!), { rtol: 1e-5, atol: 1e-6 }), `${ops.toArray(grads[0]!)}`);
    });

    it("triangularSolve: lower, upper, transposed, broadcast batches", () => {
      near(ops, ops.triangularSolve([[2, 0], [1, 1]], [[2], [3]]), [[1], [2]]);
      near(ops, ops.triangularSolve([[2, 1], [0, 1]], [[3], [2]], { lower: false }), [[0.5], [2]]);
      near(ops, ops.triangularSolve([[2, 0], [1, 1]], [[3], [2]], { transpose: true }), [[0.5], [2]]);
      // The unread triangle is ignored.
      near(ops, ops.triangularSolve([[2, 9], [1, 1]], [[2, 4], [3, 6]]), [[1, 2], [2, 4]]);
      near(ops, ops.triangularSolve([[[2, 0], [1, 1]], [[1, 0], [0, 4]]], [[2], [3]]), [[[1], [2]], [[2], [0.75]]]);
      near(ops, ops.triangularSolve([[1, 0], [1, 2]], [[[1], [3]], [[2], [2]]]), [[[1], [1]], [[2], [0]]]);
      assert.throws(() => ops.triangularSolve([[1, 0], [0, 1]], [[1, 2, 3]]), /ops\.triangularSolve: argument b must have shape \[\.\.\., 2, k\]/);
    });

    it("triangularSolve: gradients in a and b, with broadcasting", () => {
      const a = { data: [2, 0.5, -0.25, 0.75, 1.5, 0.5, -0.5, 0.25, 1.75], shape: [3, 3] };
      const b = { data: [1, -0.5, 0.25, 2, 0.75, -1], shape: [3, 2] };
      for (const lower of [true, false]) {
        for (const transpose of [false, true]) {
          const opt = { lower, transpose };
          gradCheck(ops, ([p, q]) => ops.triangularSolve(p!, q!, opt), ([p, q]) =>
            triangularSolveKernel(Float64Array.from(p!), [3, 3], Float64Array.from(q!), [3, 2], lower, transpose).data, [a, b], 1e-3);
        }
      }
      const a2 = { data: [...a.data, ...a.data.map((v, i) => (i % 4 === 0 ? v + 1 : -v))], shape: [2, 3, 3] };
      const b3 = { data: [...b.data, ...b.data.map((v) => v * 2 - 1), ...b.data.map((v) => -v)], shape: [3, 1, 3, 2] };
      gradCheck(ops, ([p, q]) => ops.triangularSolve(p!, q!), ([p, q]) =>
        triangularSolveKernel(Float64Array.from(p!), [2, 3, 3], Float64Array.from(q!), [3, 1, 3, 2], true, false).data, [a2, b3], 1e-3);
    });

    it("allclose: numpy semantics with broadcasting", () => {
      assert.equal(ops.allclose([1, 2], [1, 2 + 1e-6]), true);
      assert.equal(ops.allclose([1, 2], [1, 2.001]), false);
      assert.equal(ops.allclose([1, 2], [1, 2.001], { rtol: 1e-3 }), true);
      assert.equal(ops.allclose([0, 0], [1e-9, 0]), true);
      assert.equal(ops.allclose([0], [1e-3], { atol: 1e-2 }), true);
      assert.equal(ops.allclose([[1], [1]], [1, 1, 1]), true);
      assert.equal(ops.allclose([1, 2], [1, 2, 3]), false);
      assert.equal(ops.allclose([NaN], [NaN]), false);
      assert.equal(ops.allclose([Infinity, -Infinity], [Infinity, -Infinity]), true);
      assert.equal(ops.allclose([Infinity], [-Infinity]), false);
    });

    it("derived ops leak no tensors outside tidy", () => {
      const x = ops.tensor([[4, 2], [2, 5]]);
      const before = ops.numTensors();
      for (const f of [
        () => ops.logsumexp(x, -1),
        () => ops.mean(x, 0),
        () => ops.lgamma(x),
        () => ops.cholesky(x),
        () => ops.triangularSolve(x, [[1], [2]]),
        () => ops.diagonal(x),
        () => ops.diagEmbed([1, 2]),
        () => ops.oneHot([1, 0], 3),
        () => ops.clamp(x, 0, 3),
      ]) {
        const y = f();
        assert.equal(ops.numTensors(), before + 1);
        ops.dispose(y);
      }
      assert.equal(ops.allclose(x, [[4, 2], [2, 5]]), true);
      const r = ops.valueAndGrad(([t]) => ops.sum(ops.cholesky(t!)), [x]);
      ops.dispose([r.value, ...r.grads]);
      assert.equal(ops.numTensors(), before);
    });
  });
}

describe("completeOps", () => {
  it("keeps members the core implements and fills the others", () => {
    const square = (x: NestedArray | T) => tfjsOps.mul(x, 2);
    const ops = completeOps({ ...minimal, square });
    assert.equal(ops.square, square);
    for (const k of DERIVED) assert.equal(typeof ops[k], "function", k);
  });

  it("derived ops report errors with the name the user called (tfjs)", () => {
    assert.throws(() => tfjsOps.logsumexp("x" as never), { message: "ops.logsumexp: argument x must be a number, nested array or tfjs tensor, got string" });
    assert.throws(() => tfjsOps.lgamma({} as never), { message: "ops.lgamma: argument x must be a number, nested array or tfjs tensor, got object" });
    assert.throws(() => tfjsOps.triangularSolve([[1]], [[1], [2]] as never), /^TensorOpError: ops\.triangularSolve: argument b must have shape \[\.\.\., 1, k\]/);
    assert.throws(() => tfjsOps.cholesky([[1, [2]]] as never), /^TensorOpError: ops\.cholesky: argument a must be a nested array of numbers, but a\[0\]\[1\] is object/);
    assert.throws(() => tfjsOps.diagonal([1, 2]), /ops\.diagonal: argument x must have rank >= 2, got shape \[2\]/);
  });
});
