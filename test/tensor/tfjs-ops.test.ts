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
import { tfjsOps as ops } from "../../src/tensor/tfjs/index.js";
import { flat, near, gradCheck, linearGradCheck, broadcast2, type T, type Input } from "./tfjs-helpers.js";

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
