/**
 * Tests of the tfjs core ops: values (broadcasting, negative axes), gradients
 * against finite differences, memory (tidy, leaks) and argument errors.
 *
 * Tolerances:
 * - Values: tfjs computes each elementwise op in float32, so a result is within
 *   a few ulps (2⁻²³ ≈ 1.2e-7 relative each) of the float64 value of the same
 *   float32 input: rtol 1e-6 (8 ulps), atol 1e-7 for results near 0.
 * - Gradients of nonlinear ops: central differences of a float64 JS reference
 *   with h = 1e-4 have truncation error h²/6·|f'''| ≲ 2e-8 on these inputs and
 *   rounding error 1e-16/h ≈ 1e-12; the tfjs gradient runs a handful of float32
 *   ops, each within ε₃₂ relative, on O(1) values: tolerance 1e-4·(1 + |g|)
 *   leaves a wide margin for modest condition numbers (≤ ~100).
 * - Gradients of linear ops (shape, indexing, matmul in one argument, where):
 *   f(x + eⱼ) − f(x − eⱼ) over 2 is the exact partial derivative of a linear
 *   map, and with small-integer data and weights float32 evaluates it exactly
 *   (mean's 1/n excepted, a 1-ulp error): tolerance 1e-5.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { broadcastIndex } from "../../src/tensor/kernels/linalg.js";
import { tfjsOps as ops } from "../../src/tensor/tfjs/index.js";
import type { NestedArray } from "../../src/tensor/types.js";

type T = tf.Tensor;

/** Flat values and shape of a nested array. */
function flat(a: NestedArray): { v: number[]; s: number[] } {
  const s: number[] = [];
  for (let c: NestedArray = a; Array.isArray(c); c = (c as NestedArray[])[0]!) s.push(c.length);
  const v: number[] = [];
  const walk = (x: NestedArray): void => {
    if (Array.isArray(x)) (x as NestedArray[]).forEach(walk);
    else v.push(Number(x));
  };
  walk(a);
  return { v, s };
}

/** Asserts `actual` (a tensor) equals `expected` within `atol + rtol·|expected|`, shapes included. */
function near(actual: T, expected: NestedArray, rtol = 1e-6, atol = 1e-7): void {
  const e = flat(expected);
  assert.deepEqual(actual.shape, e.s, `shape ${actual.shape} vs ${e.s}`);
  const a = ops.toFlat(actual);
  e.v.forEach((ev, i) => {
    const av = a[i]!;
    const ok = Object.is(av, ev) || av === ev || Math.abs(av - ev) <= atol + rtol * Math.abs(ev);
    assert.ok(ok, `element ${i}: got ${av}, expected ${ev} (all: ${Array.from(a)})`);
  });
}

/** Deterministic non-uniform weights 0.5 … 1.5 (small multiples of 1/4). */
const weight = (k: number) => 0.5 + ((k * 7) % 5) / 4;

/** Σₖ wₖ f(x)ₖ as a tfjs scalar. */
function weighted(y: T): T {
  const w = ops.fromFlat(Array.from({ length: y.size }, (_, k) => weight(k)), y.shape);
  return ops.sum(ops.mul(y, w));
}

interface Input {
  data: number[];
  shape: number[];
}

/**
 * Checks ops.valueAndGrad of `Σ w f(xs)` against central differences of a
 * float64 reference `ref` (which returns f's flat values).
 */
function gradCheck(f: (xs: readonly T[]) => T, ref: (xs: number[][]) => number[], inputs: Input[], tol = 1e-4, h = 1e-4): void {
  const xs = inputs.map((i) => i.data.map(Math.fround));
  const loss = (v: number[]) => v.reduce((s, y, k) => s + weight(k) * y, 0);
  const ts = inputs.map((inp, k) => ops.fromFlat(xs[k]!, inp.shape));
  const { value, grads } = ops.valueAndGrad((a) => weighted(f(a)), ts);
  const v0 = loss(ref(xs));
  assert.ok(Math.abs(ops.item(value) - v0) <= tol * (1 + Math.abs(v0)), `value ${ops.item(value)} vs ${v0}`);
  xs.forEach((x, k) => {
    const g = ops.toFlat(grads[k]!);
    assert.deepEqual(grads[k]!.shape, inputs[k]!.shape);
    x.forEach((_, j) => {
      const at = (d: number) => loss(ref(xs.map((y, m) => (m === k ? y.map((u, n) => (n === j ? u + d : u)) : y))));
      const fd = (at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(g[j]! - fd) <= tol * (1 + Math.abs(fd)), `input ${k} element ${j}: autodiff ${g[j]}, finite difference ${fd}`);
    });
  });
  ops.dispose([value, ...grads, ...ts]);
}

/** Checks the gradient of a map linear in each input with exact unit-step differences of its own forward. */
function linearGradCheck(f: (xs: readonly T[]) => T, inputs: Input[], tol = 1e-5): void {
  const ref = (xs: number[][]) =>
    ops.tidy(() => Array.from(ops.toFlat(f(xs.map((x, k) => ops.fromFlat(x, inputs[k]!.shape))))));
  gradCheck(f, ref, inputs, tol, 1);
}

/** JS reference of a broadcasting binary op on flat data. */
function broadcast2(a: Input, b: Input, f: (x: number, y: number) => number) {
  const r = Math.max(a.shape.length, b.shape.length);
  const pad = (s: number[]) => [...Array<number>(r - s.length).fill(1), ...s];
  const out = pad(a.shape).map((d, i) => Math.max(d, pad(b.shape)[i]!));
  const ia = broadcastIndex(out, a.shape);
  const ib = broadcastIndex(out, b.shape);
  return (xs: number[][]) => Array.from(ia, (j, k) => f(xs[0]![j]!, xs[1]![ib[k]!]!));
}

describe("tfjs ops: creation and reading", () => {
  it("makes tensors from numbers, booleans, nested arrays and tensors", () => {
    near(ops.tensor(2.5), 2.5);
    near(ops.tensor(true), 1);
    near(ops.tensor([[1, 2, 3], [4, 5, 6]]), [[1, 2, 3], [4, 5, 6]]);
    near(ops.tensor([true, false]), [1, 0]);
    near(ops.tensor([]), []);
    const m = ops.gt([1, 3], 2);
    assert.equal(ops.tensor(m).dtype, "float32");
    near(ops.fromFlat([1, 2, 3, 4, 5, 6], [3, 2]), [[1, 2], [3, 4], [5, 6]]);
    near(ops.zeros([2, 1]), [[0], [0]]);
    near(ops.ones([3]), [1, 1, 1]);
    near(ops.full([2], 7), [7, 7]);
    near(ops.zerosLike([[1, 2]]), [[0, 0]]);
    near(ops.onesLike(5), 1);
    near(ops.arange(4), [0, 1, 2, 3]);
    near(ops.arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    near(ops.eye(2), [[1, 0], [0, 1]]);
    assert.equal(ops.name, "tfjs");
    assert.equal(ops.dtype, "float32");
  });

  it("reads shapes, items, nested arrays and flat values", () => {
    const x = ops.tensor([[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(ops.shape(x), [3, 2]);
    assert.deepEqual(ops.shape([[1], [2]]), [2, 1]);
    assert.deepEqual(ops.shape(3), []);
    assert.equal(ops.item([[4.5]]), 4.5);
    assert.deepEqual(ops.toArray(x), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(ops.toArray(ops.lt([1, 3], 2)), [true, false]);
    assert.deepEqual(Array.from(ops.toFlat(x)), [1, 2, 3, 4, 5, 6]);
    assert.equal(ops.isTensor(x), true);
    assert.equal(ops.isTensor([1]), false);
  });
});

describe("tfjs ops: elementwise", () => {
  const xs = [-2.5, -0.75, 0, 0.5, 1.25, 3];
  const pos = [0.25, 0.5, 1, 2.5, 7];
  const unit = [-0.75, -0.25, 0.25, 0.5, 1];
  const cases: [string, (x: number) => number, number[]][] = [
    ["neg", (x) => -x, xs],
    ["exp", Math.exp, xs],
    ["log", Math.log, pos],
    ["log1p", Math.log1p, [...pos, 1e-5]],
    ["expm1", Math.expm1, [...xs, 1e-5]],
    ["sqrt", Math.sqrt, pos],
    ["square", (x) => x * x, xs],
    ["reciprocal", (x) => 1 / x, pos],
    ["abs", Math.abs, xs],
    ["sign", Math.sign, xs],
    ["floor", Math.floor, xs],
    ["ceil", Math.ceil, xs],
    ["sigmoid", (x) => 1 / (1 + Math.exp(-x)), xs],
    ["softplus", (x) => Math.log1p(Math.exp(x)), xs],
    ["tanh", Math.tanh, xs],
    ["sin", Math.sin, xs],
    ["cos", Math.cos, xs],
    ["tan", Math.tan, unit],
    ["atan", Math.atan, xs],
  ];
  type UnaryName = "neg" | "exp" | "log";
  for (const [name, f, inputs] of cases) {
    it(`${name}: values and gradient`, () => {
      const op = ops[name as UnaryName];
      near(op(inputs), inputs.map((x) => f(Math.fround(x))));
      // Gradients away from kinks (sign, floor, ceil: zero; abs: ±1).
      const smooth = inputs.filter((x) => x !== 0 && !(["floor", "ceil"].includes(name) && x === Math.floor(x)));
      gradCheck(([x]) => op(x!), ([x]) => x!.map(f), [{ data: smooth, shape: [smooth.length] }]);
    });
  }

  it("round halves to even, as tfjs does", () => {
    near(ops.round([-1.5, -0.5, 0.5, 1.5, 2.5, 2.25]), [-2, -0, 0, 2, 2, 2]);
  });

  it("clamps, with gradient 1 inside and 0 outside", () => {
    near(ops.clamp([-2, 0.5, 3], -1, 1), [-1, 0.5, 1]);
    gradCheck(([x]) => ops.clamp(x!, -1, 1), ([x]) => x!.map((v) => Math.min(1, Math.max(-1, v))), [
      { data: [-2, 0.5, 3, -0.25], shape: [4] },
    ]);
  });

  const a: Input = { data: [0.5, 1.25, 2, 3, 0.75, 1.5], shape: [2, 3] };
  const b: Input = { data: [1.5, 0.25, 2.5], shape: [3] };
  const col: Input = { data: [0.5, 2], shape: [2, 1] };
  const binaries: [string, (x: number, y: number) => number][] = [
    ["add", (x, y) => x + y],
    ["sub", (x, y) => x - y],
    ["mul", (x, y) => x * y],
    ["div", (x, y) => x / y],
    ["pow", (x, y) => x ** y],
    ["maximum", Math.max],
    ["minimum", Math.min],
  ];
  for (const [name, f] of binaries) {
    it(`${name}: broadcast values and gradients`, () => {
      const op = ops[name as "add"];
      for (const [p, q] of [[a, b], [col, b], [b, a]] as const) {
        const expected = broadcast2(p, q, f)([p.data, q.data]);
        const y = op(ops.fromFlat(p.data, p.shape), ops.fromFlat(q.data, q.shape));
        near(y, ops.toArray(ops.fromFlat(expected, y.shape)));
        gradCheck(([x, z]) => op(x!, z!), broadcast2(p, q, f), [p, q]);
      }
      near(op(2, [1, 4]), [f(2, 1), f(2, 4)]);
    });
  }

  it("compares into masks and combines them", () => {
    assert.deepEqual(ops.toArray(ops.eq([1, 2, 3], 2)), [false, true, false]);
    assert.deepEqual(ops.toArray(ops.ne([[1], [2]], [1, 2])), [[false, true], [true, false]]);
    assert.deepEqual(ops.toArray(ops.lt([1, 2, 3], 2)), [true, false, false]);
    assert.deepEqual(ops.toArray(ops.le([1, 2, 3], 2)), [true, true, false]);
    assert.deepEqual(ops.toArray(ops.gt([1, 2, 3], 2)), [false, false, true]);
    assert.deepEqual(ops.toArray(ops.ge([1, 2, 3], 2)), [false, true, true]);
    assert.deepEqual(ops.toArray(ops.isFinite([1, Infinity, -Infinity, NaN])), [true, false, false, false]);
    assert.deepEqual(ops.toArray(ops.isNaN([1, Infinity, NaN])), [false, false, true]);
    assert.deepEqual(ops.toArray(ops.logicalAnd([true, true, false], [true, false, false])), [true, false, false]);
    assert.deepEqual(ops.toArray(ops.logicalOr(ops.gt([1, 3], 2), [1, 0])), [true, true]);
    assert.deepEqual(ops.toArray(ops.logicalNot([true, false])), [false, true]);
    near(ops.toFloat(ops.gt([1, 3], 2)), [0, 1]);
  });

  it("where broadcasts its three arguments, with gradients to both branches", () => {
    near(ops.where([true, false, true], [[1, 2, 3], [4, 5, 6]], 0), [[1, 0, 3], [4, 0, 6]]);
    near(ops.where([[1], [0]], [1, 2], [10, 20]), [[1, 2], [10, 20]]);
    linearGradCheck(
      ([x, y]) => ops.where(ops.gt([[1, -1, 2], [-3, 1, -1]], 0), x!, y!),
      [{ data: [1, 2, 3], shape: [3] }, { data: [4, 5, 6, 7, 8, 9], shape: [2, 3] }],
    );
  });
});

describe("tfjs ops: reductions", () => {
  const x = [[1, 5, 3], [4, 2, 6]];
  it("reduce over all axes, one axis (negative too) or several, keeping dims or not", () => {
    near(ops.sum(x), 21);
    near(ops.sum(x, -1), [9, 12]);
    near(ops.sum(x, { axis: 0, keepdims: true }), [[5, 7, 9]]);
    near(ops.sum(x, [0, 1]), 21);
    near(ops.mean(x, { axis: -1 }), [3, 4]);
    near(ops.prod(x, 1), [15, 48]);
    near(ops.max(x, -1), [5, 6]);
    near(ops.min(x, { axis: 0 }), [1, 2, 3]);
    near(ops.sum(ops.gt(x, 2), -1), [2, 2]);
    assert.deepEqual(ops.toArray(ops.all(ops.gt(x, 0))), true);
    assert.deepEqual(ops.toArray(ops.all(ops.gt(x, 1), -1)), [false, true]);
    assert.deepEqual(ops.toArray(ops.any(ops.gt(x, 5), { axis: 1, keepdims: true })), [[false], [true]]);
    near(ops.argmax(x), [1, 2]);
    near(ops.argmax(x, 0), [1, 0, 1]);
  });

  it("cumsum along an axis, reversed and exclusive", () => {
    near(ops.cumsum(x), [[1, 6, 9], [4, 6, 12]]);
    near(ops.cumsum(x, 0), [[1, 5, 3], [5, 7, 9]]);
    near(ops.cumsum(x, -1, { exclusive: true }), [[0, 1, 6], [0, 4, 6]]);
    near(ops.cumsum(x, -1, { reverse: true }), [[9, 8, 3], [12, 8, 6]]);
  });

  it("gradients of sum, mean, cumsum, prod, max and min", () => {
    const inp = { data: [1, 5, 3, 4, 2, 6], shape: [2, 3] };
    linearGradCheck(([t]) => ops.sum(t!, -1), [inp]);
    linearGradCheck(([t]) => ops.mean(t!, { axis: 0, keepdims: true }), [inp]);
    linearGradCheck(([t]) => ops.cumsum(t!, -1, { reverse: true, exclusive: true }), [inp]);
    const rows = (f: (r: number[]) => number) => ([v]: number[][]) => [f(v!.slice(0, 3)), f(v!.slice(3))];
    gradCheck(([t]) => ops.prod(t!, -1), rows((r) => r.reduce((p, q) => p * q, 1)), [inp]);
    gradCheck(([t]) => ops.max(t!, -1), rows((r) => Math.max(...r)), [inp], 1e-4, 1e-3);
    gradCheck(([t]) => ops.min(t!, 1), rows((r) => Math.min(...r)), [inp], 1e-4, 1e-3);
  });
});

describe("tfjs ops: shape", () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  const inp = { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] };
  it("reshape, expand, squeeze, unsqueeze, transpose", () => {
    near(ops.reshape(x, [3, -1]), [[1, 2], [3, 4], [5, 6]]);
    near(ops.expand([[1], [2]], [2, 2, 3]), [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    near(ops.expand([1, 2], [2, -1]), [[1, 2], [1, 2]]);
    near(ops.squeeze([[[1], [2]]]), [1, 2]);
    near(ops.squeeze([[[1], [2]]], -1), [[1, 2]]);
    near(ops.unsqueeze([1, 2], -1), [[1], [2]]);
    near(ops.unsqueeze([1, 2], 0), [[1, 2]]);
    near(ops.transpose(x), [[1, 4], [2, 5], [3, 6]]);
    near(ops.transpose([[[1, 2]], [[3, 4]]], [1, 2, 0]), [[[1, 3], [2, 4]]]);
    for (const f of [
      (t: T) => ops.reshape(t, [3, 2]),
      (t: T) => ops.expand(ops.unsqueeze(t, 1), [2, 4, 3]),
      (t: T) => ops.squeeze(ops.reshape(t, [1, 6, 1]), [0, -1]),
      (t: T) => ops.transpose(t),
    ]) linearGradCheck(([t]) => f(t!), [inp]);
  });

  it("concat, stack, unstack, slice, pad", () => {
    near(ops.concat([x, [[7, 8, 9]]]), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    near(ops.concat([[[1]], [[2]]], -1), [[1, 2]]);
    near(ops.stack([[1, 2], [3, 4]], -1), [[1, 3], [2, 4]]);
    const [u, v] = ops.unstack(x, -1);
    near(u!, [1, 4]);
    near(v!, [2, 5]);
    near(ops.slice(x, [0, 1], [-1, 2]), [[2, 3], [5, 6]]);
    near(ops.pad([[1, 2]], [[1, 0], [0, 1]], 9), [[9, 9, 9], [1, 2, 9]]);
    linearGradCheck(([t, s]) => ops.concat([t!, s!], -1), [inp, { data: [7, 8], shape: [2, 1] }]);
    linearGradCheck(([t, s]) => ops.stack([t!, s!], 1), [inp, { data: [7, 8, 9, 1, 2, 3], shape: [2, 3] }]);
    linearGradCheck(([t]) => ops.unstack(t!, 1)[2]!, [inp]);
    linearGradCheck(([t]) => ops.slice(t!, [1, 0], [1, 2]), [inp]);
    linearGradCheck(([t]) => ops.pad(t!, [[0, 1], [2, 0]], 3), [inp]);
  });
});

describe("tfjs ops: indexing and matmul", () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  const inp = { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] };
  it("take, index and takeAlongAxis (negative axes and indices, broadcasting)", () => {
    near(ops.take(x, [2, 0, -1], -1), [[3, 1, 3], [6, 4, 6]]);
    near(ops.take(x, 1, 0), [4, 5, 6]);
    near(ops.index([10, 20, 30], [[2, 2], [0, 1]]), [[30, 30], [10, 20]]);
    near(ops.index(x, ops.tensor([1, 0])), [[4, 5, 6], [1, 2, 3]]);
    near(ops.takeAlongAxis(x, [[2, 0], [1, 1]], -1), [[3, 1], [5, 5]]);
    near(ops.takeAlongAxis(x, [[1, 0, 1]], 0), [[4, 2, 6]]);
    // x broadcasts on axis 0 (size 1 → 2); idx broadcasts on axis 1 (size 1 → 3).
    near(ops.takeAlongAxis([[[1, 2], [3, 4], [5, 6]]], [[[1]], [[0]]], -1), [[[2], [4], [6]], [[1], [3], [5]]]);
    near(ops.oneHot([2, 0], 3), [[0, 0, 1], [1, 0, 0]]);
    linearGradCheck(([t]) => ops.take(t!, [2, 2, 0], 1), [inp]);
    linearGradCheck(([t]) => ops.index(t!, [1, 1, 0]), [inp]);
    linearGradCheck(([t]) => ops.takeAlongAxis(t!, [[2, 2], [1, 0]], 1), [inp]);
    linearGradCheck(([t]) => ops.takeAlongAxis(t!, [[[1]], [[0]]], -1), [{ data: [1, 2, 3, 4, 5, 6], shape: [1, 3, 2] }]);
  });

  it("matmul: matrices, broadcast batches, vectors", () => {
    near(ops.matmul(x, [[1, 0], [0, 1], [1, 1]]), [[4, 5], [10, 11]]);
    near(ops.matmul([[[1, 0], [0, 2]], [[0, 1], [1, 0]]], [[1, 2], [3, 4]]), [[[1, 2], [6, 8]], [[3, 4], [1, 2]]]);
    near(ops.matmul([1, 1], x), [5, 7, 9]);
    near(ops.matmul(x, [1, 0, 1]), [4, 10]);
    near(ops.matmul([1, 2, 3], [1, 0, 1]), 4);
    const b = { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3], shape: [2, 3, 2] };
    linearGradCheck(([p]) => ops.matmul(p!, ops.tensor([[1, 2], [3, 4], [5, 6]])), [inp]);
    linearGradCheck(([q]) => ops.matmul(ops.tensor(x), q!), [b]);
    linearGradCheck(([p]) => ops.matmul(p!, [1, 2, 3]), [inp]);
  });
});

describe("tfjs ops: autodiff and memory", () => {
  it("valueAndGrad: zero gradient for unused inputs and through stopGradient", () => {
    const a = ops.tensor([1, 2]);
    const b = ops.tensor(3);
    const c = ops.tensor([[1, 1]]);
    // f(p, q, r) = Σ p·stop(p·q); r unused. Value 1·3 + 2·6 = 15; ∂/∂p = stop(p·q) = [3, 6]; ∂/∂q = 0; ∂/∂r = 0.
    const { value, grads } = ops.valueAndGrad(([p, q]) => ops.sum(ops.mul(p!, ops.stopGradient(ops.mul(p!, q!)))), [a, b, c]);
    near(value, 15);
    near(grads[0]!, [3, 6]);
    near(grads[1]!, 0);
    near(grads[2]!, [[0, 0]]);
  });

  it("masks made from differentiated values do not break autodiff (zero gradient)", () => {
    // f(x) = Σ [x > 0 ∧ x ≠ 2]·x² + where(x == 1, 0, x) + [all(x ≥ -5)]: ∂f/∂x = 2x·mask + [x ≠ 1].
    const x = ops.tensor([-1, 1, 2, 3]);
    const { grads } = ops.valueAndGrad(([t]) => {
      const mask = ops.toFloat(ops.logicalAnd(ops.gt(t!, 0), ops.logicalNot(ops.eq(t!, 2))));
      const rest = ops.add(ops.where(ops.eq(t!, 1), 0, t!), ops.toFloat(ops.all(ops.ge(t!, -5))));
      return ops.sum(ops.add(ops.mul(mask, ops.square(t!)), rest));
    }, [x]);
    near(grads[0]!, [1, 2, 1, 7]);
  });

  it("tidy frees temporaries; ops and autodiff leak nothing", () => {
    const x = ops.tensor([[1, 2], [3, 4]]);
    const before = ops.numTensors();
    ops.tidy(() => {
      ops.exp(ops.add(x, 1));
      ops.sum(ops.mul([[1, 2]], 3), -1);
    });
    assert.equal(ops.numTensors(), before);
    // Outside any tidy, an op's result is its only new tensor (converted arguments are freed).
    for (const f of [
      () => ops.add(x, 2),
      () => ops.where([true, false], x, [[5]]),
      () => ops.matmul(x, [1, 1]),
      () => ops.takeAlongAxis(x, [[1], [0]], 1),
      () => ops.stopGradient([1, 2]),
      () => ops.sum([[1, 2]], 0),
    ]) {
      const y = f();
      assert.equal(ops.numTensors(), before + 1);
      ops.dispose(y);
    }
    const r = ops.valueAndGrad(([p]) => ops.sum(ops.exp(ops.mul(p!, 2))), [x]);
    assert.equal(ops.numTensors(), before + 2);
    ops.dispose([r.value, ...r.grads]);
    assert.equal(ops.numTensors(), before);
    const kept = ops.tidy(() => {
      const k = ops.keep(ops.add(x, 1));
      return ops.mul(k, 2);
    });
    assert.equal(ops.numTensors(), before + 2);
    ops.dispose([kept]);
    assert.equal(ops.numTensors(), before + 1);
  });

  it("custom: float64 forward, hand-written backward, no leaks", () => {
    const x = ops.tensor([0.5, 2]);
    const before = ops.numTensors();
    const cube = (t: T) =>
      ops.custom(
        [t, 2],
        ([d, s]) => ({ data: d!.map((v) => v ** 3 * s![0]!), shape: [2] }),
        (dy, _y, [inp, s]) => [ops.mul(dy, ops.mul(ops.mul(ops.square(inp!), 3), s!)), ops.zerosLike(s!)],
      );
    near(cube(x), [0.25, 16]);
    assert.equal(ops.numTensors(), before + 1);
    const r = ops.valueAndGrad(([p]) => ops.sum(cube(p!)), [x]);
    near(r.grads[0]!, [1.5, 24]);
    ops.dispose([r.value, ...r.grads]);
    assert.equal(ops.numTensors(), before + 1);
  });
});

describe("tfjs ops: argument errors", () => {
  class Foreign {
    shape = [2];
  }
  it("name the op and the argument", () => {
    assert.throws(() => ops.add(1, "x" as never), { message: "ops.add: argument b must be a number, nested array or tfjs tensor, got string" });
    assert.throws(() => ops.exp(new Foreign() as never), { message: "ops.exp: argument x must be a number, nested array or tfjs tensor, got object (Foreign)" });
    assert.throws(() => ops.where(null as never, 1, 2), /^Error: ops\.where: argument cond .* got null/);
    assert.throws(() => ops.mul([[1, 2], [3]], 1), /^Error: ops\.mul: argument a is a ragged nested array: a\[1\] has length 1, expected 2/);
    assert.throws(() => ops.sum([[1, "2"]] as never), /ops\.sum: argument x must be a nested array of numbers, but x\[0\]\[1\] is string/);
    assert.throws(() => ops.concat([[1], {} as never]), /ops\.concat: argument xs\[1\] must be .* got object/);
    assert.throws(() => ops.take([1, 2], [2], 0), /ops\.take: argument idx must hold whole numbers in \[-2, 2\), got 2/);
    assert.throws(() => ops.index([1, 2], [0.5]), /ops\.index: argument idx must hold whole numbers/);
    assert.throws(() => ops.sum([1, 2], 1), /ops\.sum: axis 1 is out of range for a tensor of rank 1/);
    assert.throws(() => ops.expand([1, 2], [3]), /ops\.expand: cannot broadcast shape \[2\] to \[3\]/);
    assert.throws(() => ops.item([1, 2]), /ops\.item: argument x must have one element, got shape \[2\]/);
    assert.throws(() => ops.fromFlat([1, 2, 3], [2, 2]), /ops\.fromFlat: 3 values do not fill shape \[2, 2\]/);
    assert.throws(() => ops.zeros([-1]), /ops\.zeros: argument shape must be/);
    assert.throws(() => ops.valueAndGrad(([p]) => ops.mul(p!, 2), [ops.tensor([1, 2])]), /ops\.valueAndGrad: f must return a scalar tensor, got shape \[2\]/);
  });

  it("tfjs's own errors are labelled with the op", () => {
    assert.throws(() => ops.add([1, 2], [1, 2, 3]), /^Error: ops\.add: /);
    assert.throws(() => ops.reshape([1, 2, 3], [2, 2]), /^Error: ops\.reshape: /);
    const t = ops.tensor([1]);
    ops.dispose(t);
    assert.throws(() => ops.exp(t), /^Error: ops\.exp: .*disposed/);
  });
});
