/**
 * Value tests of the `ndarray` backend, part 2: shapes and views, indexing,
 * linear algebra, autodiff, kernels and memory (part 1, `ndarray.test.ts`,
 * has creation, elementwise ops and reductions).
 *
 * Tolerance: results of one or a few float64 operations are compared with
 * rtol 1e-12 (a few ulps of 2⁻⁵²), exact where the arithmetic is exact.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NDArray, ndarrayOps as ops } from "../../src/tensor/ndarray/index.js";
import type { NestedArray } from "../../src/tensor/types.js";
import { mulberry32 } from "../seeded-rng.js";

function flat(a: NestedArray): { v: number[]; s: number[] } {
  const s: number[] = [];
  for (let c: NestedArray = a; Array.isArray(c); c = (c as NestedArray[])[0]!) s.push(c.length);
  const v: number[] = [];
  const walk = (x: NestedArray): void => (Array.isArray(x) ? (x as NestedArray[]).forEach(walk) : void v.push(Number(x)));
  walk(a);
  return { v, s };
}

/** `actual` has `expected`'s shape and values within rtol (NaN matches NaN). */
function near(actual: NDArray, expected: NestedArray, rtol = 1e-12, atol = 1e-14): void {
  const e = flat(expected);
  assert.deepEqual([...actual.shape], e.s, `shape [${actual.shape}] vs [${e.s}]`);
  const a = ops.toFlat(actual);
  e.v.forEach((ev, i) => {
    const av = a[i]!;
    const ok = Object.is(av, ev) || (Number.isNaN(av) && Number.isNaN(ev)) || Math.abs(av - ev) <= atol + rtol * Math.abs(ev);
    assert.ok(ok, `element ${i}: got ${av}, expected ${ev} (all: ${Array.from(a)})`);
  });
}

const throwsWith = (f: () => unknown, re: RegExp) => assert.throws(f, re);

/** A 2×3 array and its (non-contiguous) transpose. */
const x23 = ops.tensor([[1, 2, 3], [4, 5, 6]]);
const x32t = ops.transpose(x23);

describe("ndarray: shapes and views", () => {
  it("reshape, including -1 and transposed (non-contiguous) input", () => {
    near(ops.reshape(x23, [3, -1]), [[1, 2], [3, 4], [5, 6]]);
    near(ops.reshape(x32t, [6]), [1, 4, 2, 5, 3, 6]);
    near(ops.reshape(x32t, [2, 3]), [[1, 4, 2], [5, 3, 6]]);
    near(ops.reshape(ops.transpose(ops.reshape(x32t, [2, 3])), [6]), [1, 5, 4, 3, 2, 6]);
    near(ops.reshape(5, [1, 1]), [[5]]);
    throwsWith(() => ops.reshape(x23, [4]), /ndarray\.reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4\]/);
  });
  it("views do not alias wrongly", () => {
    // A reshape of a transposed slice must read through the strides, not the storage order.
    const s = ops.slice(x32t, [1, 0], [2, 2]); // [[2, 5], [3, 6]]
    near(s, [[2, 5], [3, 6]]);
    near(ops.reshape(s, [4]), [2, 5, 3, 6]);
    near(ops.reshape(ops.expand([[1], [2]], [2, 3]), [6]), [1, 1, 1, 2, 2, 2]);
    near(ops.add(ops.transpose(x32t), x23), [[2, 4, 6], [8, 10, 12]]);
    near(x23, [[1, 2, 3], [4, 5, 6]]); // unchanged by all of the above
  });
  it("expand, squeeze, unsqueeze, transpose", () => {
    near(ops.expand([[1], [2]], [2, 2, 3]), [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    throwsWith(() => ops.expand([1, 2], [3]), /ndarray\.expand: cannot broadcast shape \[2\] to \[3\]/);
    assert.deepEqual(ops.shape(ops.squeeze(ops.zeros([1, 2, 1]))), [2]);
    assert.deepEqual(ops.shape(ops.squeeze(ops.zeros([1, 2, 1]), -1)), [1, 2]);
    throwsWith(() => ops.squeeze(ops.zeros([1, 2]), 1), /ndarray\.squeeze: axis 1 has size 2, not 1/);
    assert.deepEqual(ops.shape(ops.unsqueeze(x23, -1)), [2, 3, 1]);
    assert.deepEqual(ops.shape(ops.unsqueeze(x23, 0)), [1, 2, 3]);
    near(ops.unsqueeze(x32t, 1), [[[1, 4]], [[2, 5]], [[3, 6]]]);
    const x = ops.reshape(ops.arange(6), [1, 2, 3]);
    near(ops.transpose(x, [2, 0, 1]), [[[0, 3]], [[1, 4]], [[2, 5]]]);
    throwsWith(() => ops.transpose(x, [0, 0, 1]), /ndarray\.transpose: argument perm \[0, 0, 1\] is not a permutation/);
  });
  it("concat, stack, unstack, slice, pad", () => {
    near(ops.concat([x23, [[7], [8]]], 1), [[1, 2, 3, 7], [4, 5, 6, 8]]);
    near(ops.concat([x32t, [[0, 0]]], 0), [[1, 4], [2, 5], [3, 6], [0, 0]]);
    throwsWith(() => ops.concat([x23, [[1]]], 0), /ndarray\.concat: xs\[1\] has shape \[1, 1\]/);
    near(ops.stack([[1, 2], [3, 4]], -1), [[1, 3], [2, 4]]);
    near(ops.stack([1, 2]), [1, 2]);
    const parts = ops.unstack(x23, 1);
    assert.equal(parts.length, 3);
    near(parts[2]!, [3, 6]);
    near(ops.slice(x23, [0, 1], [-1, 2]), [[2, 3], [5, 6]]);
    throwsWith(() => ops.slice(x23, [0, 2], [1, 2]), /ndarray\.slice: begin \[0, 2\] with size \[1, 2\] is out of bounds/);
    near(ops.pad([[1, 2]], [[1, 0], [0, 2]], 9), [[9, 9, 9, 9], [1, 2, 9, 9]]);
    near(ops.pad(x32t, [[0, 0], [1, 0]]), [[0, 1, 4], [0, 2, 5], [0, 3, 6]]);
  });
});

describe("ndarray: indexing", () => {
  it("take along any axis, with negative indices", () => {
    near(ops.take(x23, [2, 0, -1], 1), [[3, 1, 3], [6, 4, 6]]);
    near(ops.take(x23, [[1], [0]], 0), [[[4, 5, 6]], [[1, 2, 3]]]);
    near(ops.take(x32t, 1, -1), [4, 5, 6]);
    near(ops.index([10, 20, 30], [[2, 2], [0, 1]]), [[30, 30], [10, 20]]);
    throwsWith(() => ops.take(x23, [3], 1), /ndarray\.take: argument idx must hold whole numbers in \[-3, 3\), got 3/);
    throwsWith(() => ops.take(x23, [0.5], 1), /ndarray\.take: argument idx must hold whole numbers/);
  });
  it("takeAlongAxis broadcasts off the axis", () => {
    near(ops.takeAlongAxis(x23, [[2, 0], [1, 1]], 1), [[3, 1], [5, 5]]);
    near(ops.takeAlongAxis(x23, [[1, 0, 1]], 0), [[4, 2, 6]]);
    near(ops.takeAlongAxis([[1, 2, 3]], [[0], [2]], 1), [[1], [3]]);
    throwsWith(() => ops.takeAlongAxis(x23, [1], 1), /ndarray\.takeAlongAxis: argument idx must have the rank of x/);
  });
  it("oneHot, diagonal, diagEmbed", () => {
    near(ops.oneHot([2, 0], 3), [[0, 0, 1], [1, 0, 0]]);
    near(ops.diagonal([[1, 2], [3, 4]]), [1, 4]);
    near(ops.diagEmbed([1, 2]), [[1, 0], [0, 2]]);
  });
});

describe("ndarray: linear algebra", () => {
  it("matmul of matrices, vectors, views and broadcast batches", () => {
    near(ops.matmul(x23, x32t), [[14, 32], [32, 77]]);
    near(ops.matmul(x32t, x23), [[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
    near(ops.matmul(x23, [1, 0, -1]), [-2, -2]);
    near(ops.matmul([1, 1], x23), [5, 7, 9]);
    near(ops.matmul([1, 2], [3, 4]), 11);
    const a = ops.reshape(ops.arange(12), [2, 1, 2, 3]);
    const b = ops.reshape(ops.arange(18), [3, 3, 2]);
    const c = ops.matmul(a, b);
    assert.deepEqual(ops.shape(c), [2, 3, 2, 2]);
    // c[1, 2] = a[1, 0] @ b[2], computed by hand-written loops
    const a1 = [[6, 7, 8], [9, 10, 11]];
    const b2 = [[12, 13], [14, 15], [16, 17]];
    const want = a1.map((r) => [0, 1].map((j) => r.reduce((s, v, p) => s + v * b2[p]![j]!, 0)));
    near(ops.reshape(ops.slice(c, [1, 2, 0, 0], [1, 1, 2, 2]), [2, 2]), want);
    throwsWith(() => ops.matmul(x23, x23), /ndarray\.matmul: inner dimensions differ: a has shape \[2, 3\] \(3 columns\), b has shape \[2, 3\] \(2 rows\)/);
  });
  it("matrix times vector: every path equals a plain dot product, bit for bit", () => {
    // Rows 0–9 cover the four-row blocks and every remainder, columns 0–9
    // the written-out sums (≤ 4) and the blocked sweeps; each matrix is also
    // read transposed and each vector with a stride.
    const rand = mulberry32(11);
    for (let n = 0; n <= 9; n++) {
      for (let k = 0; k <= 9; k++) {
        const a = Array.from({ length: n }, () => Array.from({ length: k }, () => rand() * 4 - 2));
        const v = Array.from({ length: k }, () => rand() * 4 - 2);
        const want = a.map((row) => row.reduce((s, x, p) => s + x * v[p]!, 0));
        // The same matrix as the transpose (a view with strides [1, n]) of its k×n transpose.
        const aT = v.flatMap((_, p) => a.map((row) => row[p]!));
        const at = ops.transpose(ops.reshape(ops.tensor(aT), [k, n]));
        const strided = ops.slice(ops.reshape(ops.tensor(v.flatMap((x) => [x, NaN])), [k, 2]), [0, 0], [k, 1]);
        const cases: [string, NDArray][] = [
          ["contiguous", ops.matmul(ops.reshape(ops.tensor(a.flat()), [n, k]), ops.tensor(v))],
          ["transposed matrix", ops.matmul(at, ops.tensor(v))],
          ["strided vector", ops.reshape(ops.matmul(ops.reshape(ops.tensor(a.flat()), [n, k]), strided), [n])],
        ];
        for (const [label, got] of cases) {
          assert.deepEqual([...got.shape], [n], `${label} ${n}×${k}`);
          assert.deepEqual(Array.from(ops.toFlat(got)), want, `${label} ${n}×${k}`);
        }
      }
    }
  });
  it("cholesky and triangularSolve", () => {
    near(ops.cholesky([[4, 2], [2, 5]]), [[2, 0], [1, 2]]);
    near(ops.triangularSolve([[2, 0], [1, 2]], [[2], [5]]), [[1], [2]]);
    near(ops.triangularSolve([[2, 0], [1, 2]], [[4], [4]], { transpose: true }), [[1], [2]]);
    near(ops.triangularSolve([[2, 1], [0, 2]], [[4], [4]], { lower: false }), [[1], [2]]);
  });
});

describe("ndarray: autodiff and kernels", () => {
  it("valueAndGrad of a small function", () => {
    const { value, grads } = ops.valueAndGrad(([x, y]) => ops.sum(ops.mul(ops.mul(x!, x!), y!)), [ops.tensor([1, 2]), ops.tensor(3)]);
    near(value, 15);
    near(grads[0]!, [6, 12]);
    near(grads[1]!, 5);
  });
  it("unused inputs get zero gradients; non-scalar results throw", () => {
    const { grads } = ops.valueAndGrad(([x]) => ops.sum(x!), [ops.tensor([1, 2]), ops.tensor([[1, 2]])]);
    near(grads[1]!, [[0, 0]]);
    const c = ops.valueAndGrad(() => ops.tensor(4), [ops.tensor(1)]);
    near(c.grads[0]!, 0);
    throwsWith(() => ops.valueAndGrad(([x]) => x!, [ops.tensor([1, 2])]), /ndarray\.valueAndGrad: f must return a one-element array, got shape \[2\]/);
  });
  it("stopGradient blocks, where routes, masks have no gradient", () => {
    const x = ops.tensor([1, -2, 3]);
    near(ops.valueAndGrad(([v]) => ops.sum(ops.mul(ops.stopGradient(v!), v!)), [x]).grads[0]!, [1, -2, 3]);
    near(ops.valueAndGrad(([v]) => ops.sum(ops.where(ops.gt(v!, 0), ops.mul(v!, 2), ops.mul(v!, v!))), [x]).grads[0]!, [2, -4, 2]);
    near(ops.valueAndGrad(([v]) => ops.sum(ops.mul(ops.gt(v!, 0), ops.floor(v!))), [x]).grads[0]!, [0, 0, 0]);
  });
  it("deep graphs do not overflow the stack", () => {
    const { value, grads } = ops.valueAndGrad(([x]) => {
      let y = x!;
      for (let i = 0; i < 100_000; i++) y = ops.add(y, x!);
      return y;
    }, [ops.tensor(0.5)]);
    near(value, 50000.5);
    near(grads[0]!, 100001);
  });
  it("untracked computation records nothing", () => {
    const y = ops.exp(ops.add(x23, 1));
    assert.equal(y.node, undefined);
  });
  it("nested valueAndGrad: the inner value stays differentiable", () => {
    const outer = ops.valueAndGrad(([a]) => {
      const inner = ops.valueAndGrad(([b]) => ops.mul(ops.mul(a!, b!), b!), [ops.tensor(3)]);
      near(inner.grads[0]!, ops.item(a!) * 6);
      return inner.value; // a · 9
    }, [ops.tensor(2)]);
    near(outer.value, 18);
    near(outer.grads[0]!, 9);
  });
  it("custom kernels compose with the graph and validate their results", () => {
    const cube = (x: NDArray) =>
      ops.custom([x], ([d]) => ({ data: d!.map((v) => v * v * v), shape: x.shape }), (dy, _y, [v]) => [ops.mul(dy, ops.mul(3, ops.square(v!)))]);
    const r = ops.valueAndGrad(([x]) => ops.sum(cube(ops.mul(x!, 2))), [ops.tensor([1, -1])]);
    near(r.value, 0);
    near(r.grads[0]!, [24, 24]);
    throwsWith(() => ops.custom([1], () => ({ data: [1, 2], shape: [3] }), () => []), /ndarray\.custom: forward returned 2 values for shape \[3\]/);
    const bad = ops.custom([[1, 2]], ([d]) => ({ data: d!, shape: [2] }), () => [ops.zeros([3])]);
    void bad;
    throwsWith(
      () => ops.valueAndGrad(([x]) => ops.sum(ops.custom([x!], ([d]) => ({ data: d!, shape: [2] }), () => [ops.zeros([3])])), [ops.tensor([1, 2])]),
      /ndarray\.custom: backward returned a cotangent of shape \[3\] for input 0 of shape \[2\]/,
    );
  });
  it("elementwise kernels", () => {
    const k = (x: Float64Array) => ({ value: x.map((v) => v * v), derivative: x.map((v) => 2 * v) });
    near(ops.elementwise([[1, 2]], k), [[1, 4]]);
    near(ops.valueAndGrad(([x]) => ops.sum(ops.elementwise(x!, k)), [ops.tensor([1, 3])]).grads[0]!, [2, 6]);
  });
  it("memory members: arrays are garbage-collected", () => {
    assert.equal(ops.tidy(() => 7), 7);
    assert.equal(ops.keep(x23), x23);
    ops.dispose(x23);
    near(x23, [[1, 2, 3], [4, 5, 6]]);
    assert.equal(ops.numTensors(), 0);
  });
  it("allclose", () => {
    assert.ok(ops.allclose([1, 2], [1, 2 + 1e-9]));
    assert.ok(!ops.allclose([1, 2], [1, 2.1]));
    assert.ok(!ops.allclose([1, 2], [1, 2, 3]));
  });
});
