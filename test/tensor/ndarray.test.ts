/**
 * Value tests of the `ndarray` backend: every op on small examples whose
 * expected values are computed by hand or by formula, with broadcasting,
 * negative axes, strided views, and error messages for bad input. Part 1:
 * creation, elementwise ops, reductions; part 2 (`ndarray-shape.test.ts`):
 * shapes and views, indexing, linear algebra, autodiff and kernels.
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

describe("ndarray: creation and reading", () => {
  it("tensor, fromFlat, zeros, ones, full, eye, arange", () => {
    near(ops.tensor(2.5), 2.5);
    near(ops.tensor(true), 1);
    near(ops.tensor([[true, false]]), [[1, 0]]);
    near(ops.tensor([]), []);
    assert.equal(ops.tensor(x23), x23);
    near(ops.fromFlat([1, 2, 3, 4, 5, 6], [3, 2]), [[1, 2], [3, 4], [5, 6]]);
    near(ops.zeros([2, 2]), [[0, 0], [0, 0]]);
    near(ops.ones([3]), [1, 1, 1]);
    near(ops.full([2], 7), [7, 7]);
    near(ops.eye(2), [[1, 0], [0, 1]]);
    near(ops.zerosLike(x23), [[0, 0, 0], [0, 0, 0]]);
    near(ops.onesLike([1, 2]), [1, 1]);
    near(ops.arange(4), [0, 1, 2, 3]);
    near(ops.arange(1, 4), [1, 2, 3]);
    near(ops.arange(0, 1, 0.25), [0, 0.25, 0.5, 0.75]);
    near(ops.arange(5, 0, -2), [5, 3, 1]);
    near(ops.arange(3, 1), []);
  });
  it("fromFlat copies its data", () => {
    const d = new Float64Array([1, 2]);
    const t = ops.fromFlat(d, [2]);
    d[0] = 9;
    near(t, [1, 2]);
  });
  it("shape, item, toArray, toFlat, isTensor", () => {
    assert.deepEqual(ops.shape(x32t), [3, 2]);
    assert.deepEqual(ops.shape(5), []);
    assert.equal(ops.item([[4]]), 4);
    assert.deepEqual(ops.toArray(x32t), [[1, 4], [2, 5], [3, 6]]);
    assert.deepEqual(ops.toArray(3), 3);
    assert.deepEqual(Array.from(ops.toFlat(x32t)), [1, 4, 2, 5, 3, 6]);
    assert.ok(ops.toFlat(x23) instanceof Float64Array);
    assert.ok(ops.isTensor(x23));
    assert.ok(!ops.isTensor([1]));
    assert.equal(ops.name, "ndarray");
    assert.equal(ops.dtype, "float64");
  });
  it("rejects bad input, naming the op and argument", () => {
    throwsWith(() => ops.tensor([[1, 2], [3]]), /ndarray\.tensor: argument x is a ragged nested array: x\[1\] has length 1, expected 2/);
    throwsWith(() => ops.tensor([1, "a"] as unknown as number[]), /ndarray\.tensor: .*x\[1\] is string a/);
    throwsWith(() => ops.add({ shape: [2], dataSync: () => [] } as unknown as number, 1), /ndarray\.add: argument a is a tensor of another backend/);
    throwsWith(() => ops.fromFlat([1, 2, 3], [2, 2]), /ndarray\.fromFlat: argument data has 3 elements but shape \[2, 2\] needs 4/);
    throwsWith(() => ops.zeros([2, -1]), /ndarray\.zeros: argument shape must be an array of non-negative whole numbers/);
    throwsWith(() => ops.item([1, 2]), /ndarray\.item: argument x must have exactly one element, got shape \[2\]/);
    throwsWith(() => ops.arange(0, 1, 0), /ndarray\.arange: argument step must not be 0/);
    throwsWith(() => ops.eye(1.5), /ndarray\.eye/);
  });
});

describe("ndarray: elementwise", () => {
  const v = [-1.5, -0.5, 0, 0.5, 2];
  const f = (g: (x: number) => number) => v.map(g);
  it("unary math matches Math", () => {
    near(ops.neg(v), f((x) => -x));
    near(ops.exp(v), f(Math.exp));
    near(ops.expm1(v), f(Math.expm1));
    near(ops.log1p(v), f(Math.log1p));
    near(ops.abs(v), f(Math.abs));
    near(ops.sign(v), f(Math.sign));
    near(ops.floor(v), f(Math.floor));
    near(ops.ceil(v), f(Math.ceil));
    near(ops.square(v), f((x) => x * x));
    near(ops.tanh(v), f(Math.tanh));
    near(ops.sin(v), f(Math.sin));
    near(ops.cos(v), f(Math.cos));
    near(ops.tan(v), f(Math.tan));
    near(ops.atan(v), f(Math.atan));
    near(ops.log([1, Math.E, 0]), [0, 1, -Infinity]);
    near(ops.sqrt([4, 2]), [2, Math.SQRT2]);
    near(ops.reciprocal([4, -0.5]), [0.25, -2]);
  });
  it("round is half-to-even as numpy", () => {
    near(ops.round([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6]), [0, 2, 2, -0, -2, -2, 2, -3]);
  });
  it("sigmoid and softplus are stable at the extremes", () => {
    near(ops.sigmoid([0, 800, -800, 2]), [0.5, 1, 0, 1 / (1 + Math.exp(-2))]);
    near(ops.softplus([0, 800, -800, 2]), [Math.LN2, 800, 0, Math.log1p(Math.exp(2))]);
    near(ops.softplus(-40), Math.exp(-40), 1e-12, 0);
  });
  it("binaryCrossEntropyWithLogits: the fused loop gives the composed ops' values and gradients to the bit, extremes included", () => {
    const l = [-800, -40, -1, -0, 0, 1e-300, 0.5, 36.5, 800];
    const t = [0, 1, 1, 0, 1, 0, 0.25, 1, 1];
    const composed = (a: NDArray, b: NDArray) => ops.sub(ops.softplus(a), ops.mul(b, a));
    const fused = ops.binaryCrossEntropyWithLogits(ops.tensor(l), ops.tensor(t));
    assert.deepEqual(Array.from(ops.toFlat(fused)), Array.from(ops.toFlat(composed(ops.tensor(l), ops.tensor(t)))));
    // Gradients in both arguments: σ(l) − t and −l, from exp(−|l|) kept by the forward pass.
    const g = ops.valueAndGrad(([a, b]) => ops.sum(ops.binaryCrossEntropyWithLogits(a!, b!)), [ops.tensor(l), ops.tensor(t)]);
    const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    assert.deepEqual(Array.from(ops.toFlat(g.grads[0]!)), l.map((x, i) => sig(x) - t[i]!));
    assert.deepEqual(Array.from(ops.toFlat(g.grads[1]!)), l.map((x) => -x));
  });
  it("special functions", () => {
    near(ops.lgamma([0.5, 1, 2, 5]), [Math.log(Math.sqrt(Math.PI)), 0, 0, Math.log(24)], 1e-12, 1e-14);
    near(ops.digamma([1, 0.5]), [-0.5772156649015329, -0.5772156649015329 - 2 * Math.LN2], 1e-12);
    near(ops.erf([0, 0.5, -1]), [0, 0.5204998778130465, -0.8427007929497149], 1e-13);
    near(ops.erfinv(ops.erf([-1.2, 0.3, 0.9])), [-1.2, 0.3, 0.9], 1e-12);
  });
  it("unary ops read strided views", () => {
    near(ops.exp(x32t), [[1, 4], [2, 5], [3, 6]].map((r) => r.map(Math.exp)));
    near(ops.neg(ops.slice(x23, [0, 1], [2, 2])), [[-2, -3], [-5, -6]]);
  });
  it("unary ops of broadcast views broadcast their result", () => {
    const e = ops.expand([[0.5], [2]], [2, 3]);
    near(ops.exp(e), [[0.5, 0.5, 0.5], [2, 2, 2]].map((r) => r.map(Math.exp)));
    near(ops.lgamma(e), [[0.5, 0.5, 0.5], [2, 2, 2]].map((r) => r.map((v) => (v === 2 ? 0 : Math.log(Math.sqrt(Math.PI))))), 1e-12, 1e-14);
    near(ops.reshape(ops.neg(e), [6]), [-0.5, -0.5, -0.5, -2, -2, -2]);
    const g = ops.valueAndGrad(([x]) => ops.sum(ops.lgamma(ops.expand(x!, [2, 3]))), [ops.tensor([[1], [2]])]).grads[0]!;
    near(g, [[3 * -0.5772156649015329], [3 * (1 - 0.5772156649015329)]], 1e-12);
  });
  it("clamp", () => {
    near(ops.clamp([-3, 0.2, 5], -1, 1), [-1, 0.2, 1]);
    throwsWith(() => ops.clamp([1], 2, 1), /ndarray\.clamp: argument lo \(2\) must not exceed hi \(1\)/);
  });
  it("binary ops broadcast like numpy", () => {
    const a = [[1], [2], [3]];
    const b = [10, 20, 30, 40];
    near(ops.add(a, b), a.map(([p]) => b.map((q) => p! + q)));
    near(ops.sub(b, a), a.map(([p]) => b.map((q) => q - p!)));
    near(ops.mul(2, x23), [[2, 4, 6], [8, 10, 12]]);
    near(ops.div(x23, [1, 2, 4]), [[1, 1, 0.75], [4, 2.5, 1.5]]);
    near(ops.pow([2, 4, 9], [3, 0.5, -1]), [8, 2, 1 / 9]);
    near(ops.add(x32t, [[100], [200], [300]]), [[101, 104], [202, 205], [303, 306]]);
    near(ops.mul([[[2]]], [1, 2]), [[[2, 4]]]);
    near(ops.maximum([1, NaN, 3], [2, 0, 3]), [2, NaN, 3]);
    near(ops.minimum([[1], [5]], [2, 4]), [[1, 1], [2, 4]]);
    throwsWith(() => ops.add([1, 2], [1, 2, 3]), /ndarray\.add: shapes \[2\] and \[3\] do not broadcast/);
  });
  it("binary ops on random broadcast shapes and strided views agree with a naive loop", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const ri = (n: number) => Math.floor(rnd() * n);
    /** An array of `shape` with values v(i) = i·0.37 − 1 (row-major i), built as a random kind of view. */
    const make = (shape: number[]): NDArray => {
      const n = shape.reduce((a, b) => a * b, 1);
      const vals = Array.from({ length: n }, (_, i) => i * 0.37 - 1);
      const kind = ri(3);
      if (kind === 0 || shape.length < 2) return ops.fromFlat(vals, shape);
      if (kind === 1) {
        // the transpose of the transposed data
        const r = shape.length;
        const perm = Array.from({ length: r }, (_, i) => r - 1 - i);
        const t = ops.transpose(ops.fromFlat(vals, shape), perm);
        return ops.transpose(ops.add(t, 0), perm); // add(·, 0) makes t contiguous, transposing back makes a strided view
      }
      // a slice out of a larger array
      const big = shape.map((d) => d + 1);
      const bn = big.reduce((a, b) => a * b, 1);
      const bigVals = new Array<number>(bn).fill(NaN);
      for (let i = 0; i < n; i++) {
        let rem = i;
        let at = 0;
        let stride = 1;
        for (let d = shape.length - 1; d >= 0; d--) {
          at += ((rem % shape[d]!) + 1) * stride;
          rem = Math.floor(rem / shape[d]!);
          stride *= big[d]!;
        }
        bigVals[at] = vals[i]!;
      }
      return ops.slice(ops.fromFlat(bigVals, big), big.map(() => 1), shape);
    };
    for (let trial = 0; trial < 60; trial++) {
      const out = Array.from({ length: ri(5) }, () => 1 + ri(4));
      const shrink = () => out.slice(ri(out.length + 1)).map((d) => (rnd() < 0.3 ? 1 : d));
      const sa = shrink();
      const sb = shrink();
      const a = make(sa);
      const b = make(sb);
      const full = out.slice(out.length - Math.max(sa.length, sb.length));
      for (let d = 0; d < full.length; d++) {
        const da = sa[d - (full.length - sa.length)] ?? 1;
        const db = sb[d - (full.length - sb.length)] ?? 1;
        full[d] = Math.max(da, db);
      }
      const n = full.reduce((x, y) => x * y, 1);
      const at = (s: number[], idx: number[]) => {
        let i = 0;
        for (let d = 0; d < s.length; d++) i = i * s[d]! + (s[d] === 1 ? 0 : idx[idx.length - s.length + d]!);
        return i * 0.37 - 1;
      };
      const want: number[] = [];
      for (let e = 0; e < n; e++) {
        const idx: number[] = [];
        let rem = e;
        for (let d = full.length - 1; d >= 0; d--) {
          idx.unshift(rem % full[d]!);
          rem = Math.floor(rem / full[d]!);
        }
        want.push(at(sa, idx) * 2 - at(sb, idx));
      }
      const got = ops.sub(ops.mul(a, 2), b);
      assert.deepEqual([...got.shape], full, `shapes [${sa}] and [${sb}]`);
      assert.deepEqual(Array.from(ops.toFlat(got)), want, `shapes [${sa}] and [${sb}]`);
    }
  });
  it("comparisons, masks and where", () => {
    near(ops.eq([1, 2, 3], 2), [0, 1, 0]);
    near(ops.ne([1, 2, 3], 2), [1, 0, 1]);
    near(ops.lt([[1], [3]], [2, 3]), [[1, 1], [0, 0]]);
    near(ops.le([1, 2, 3], 2), [1, 1, 0]);
    near(ops.gt([1, 2, 3], 2), [0, 0, 1]);
    near(ops.ge([1, 2, 3], 2), [0, 1, 1]);
    near(ops.isFinite([1, Infinity, NaN, -Infinity]), [1, 0, 0, 0]);
    near(ops.isNaN([1, Infinity, NaN]), [0, 0, 1]);
    near(ops.logicalAnd([1, 1, 0], [1, 0, 0]), [1, 0, 0]);
    near(ops.logicalOr([1, 1, 0], [1, 0, 0]), [1, 1, 0]);
    near(ops.logicalNot([1, 0]), [0, 1]);
    near(ops.toFloat(ops.gt([1, 3], 2)), [0, 1]);
    near(ops.where([[1], [0]], [1, 2, 3], -1), [[1, 2, 3], [-1, -1, -1]]);
  });
});

describe("ndarray: reductions", () => {
  const x = ops.reshape(ops.arange(24), [2, 3, 4]);
  it("sum with axis, negative axis, several axes and keepdims", () => {
    near(ops.sum(x23), 21);
    near(ops.sum(x23, 0), [5, 7, 9]);
    near(ops.sum(x23, -1), [6, 15]);
    near(ops.sum(x23, { axis: 1, keepdims: true }), [[6], [15]]);
    near(ops.sum(x, [0, 2]), [60, 92, 124]);
    near(ops.sum(x, { axis: [0, -1], keepdims: true }), [[[60], [92], [124]]]);
    near(ops.sum(x32t, 0), [6, 15]);
    near(ops.sum(ops.zeros([0, 3]), 0), [0, 0, 0]);
  });
  it("mean, prod, max, min, all, any", () => {
    near(ops.mean(x23, 0), [2.5, 3.5, 4.5]);
    near(ops.mean(x), 11.5);
    near(ops.prod(x23, -1), [6, 120]);
    near(ops.prod(ops.zeros([2, 0]), 1), [1, 1]);
    near(ops.max(x23, 0), [4, 5, 6]);
    near(ops.min(x, [1, 2]), [0, 12]);
    near(ops.max([1, NaN, 3]), NaN);
    near(ops.all([[1, 0], [1, 1]], 1), [0, 1]);
    near(ops.any([[1, 0], [0, 0]], -1), [1, 0]);
    near(ops.all(ops.zeros([0])), 1);
  });
  it("argmax takes the first maximum", () => {
    near(ops.argmax([[1, 3, 3], [7, 2, 7]]), [1, 0]);
    near(ops.argmax([[1, 3, 3], [7, 2, 7]], 0), [1, 0, 1]);
  });
  it("logsumexp is stable and handles -∞ rows", () => {
    near(ops.logsumexp([[1000, 1000], [-Infinity, -Infinity]], -1), [1000 + Math.LN2, -Infinity]);
    near(ops.logsumexp(x23, 0), [1, 2, 3].map((v) => Math.log(Math.exp(v) + Math.exp(v + 3))));
    near(ops.logsumexp(x, { axis: [0, 2], keepdims: true }), [[[0, 4, 8].map((b) => {
      let s = 0;
      for (const i of [0, 12]) for (let k = 0; k < 4; k++) s += Math.exp(b + i + k);
      return Math.log(s);
    })].map((r) => r.map((v) => [v]))].flat(1), 1e-12);
  });
  it("cumsum forwards, reversed and exclusive", () => {
    near(ops.cumsum([1, 2, 3]), [1, 3, 6]);
    near(ops.cumsum([1, 2, 3], -1, { reverse: true }), [6, 5, 3]);
    near(ops.cumsum([1, 2, 3], 0, { exclusive: true }), [0, 1, 3]);
    near(ops.cumsum([1, 2, 3], 0, { exclusive: true, reverse: true }), [5, 3, 0]);
    near(ops.cumsum(x23, 0), [[1, 2, 3], [5, 7, 9]]);
    near(ops.cumsum(x32t, 0), [[1, 4], [3, 9], [6, 15]]);
  });
  it("rejects bad axes", () => {
    throwsWith(() => ops.sum(x23, 2), /ndarray\.sum: axis 2 is out of range for an array of rank 2/);
    throwsWith(() => ops.sum(x23, [1, -1]), /ndarray\.sum: axis -1 is repeated/);
    throwsWith(() => ops.max(ops.zeros([0])), /ndarray\.max: cannot reduce an empty axis/);
  });
});
