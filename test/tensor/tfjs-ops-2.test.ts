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
import { near, linearGradCheck, type T } from "./tfjs-helpers.js";

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

  it("matmul's gradient sums over broadcast batch axes (tfjs itself returns the broadcast shape)", () => {
    // d/dB Σ W ⊙ (A B) = Σ_batch Aᵀ W: for A = [[1,2],[3,4]] and [[0,1],[1,0]], W = [[1,2],[3,4]]:
    // Aᵀ W = [[10,14],[14,20]] and [[3,4],[1,2]]; their sum is [[13,18],[15,22]].
    const A = ops.tensor([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]);
    const B = ops.tensor([[1, 0.5], [2, -1]]);
    const W = ops.tensor([[1, 2], [3, 4]]);
    const { grads } = ops.valueAndGrad((xs) => ops.sum(ops.mul(ops.matmul(xs[0]!, xs[1]!), W)), [A, B]);
    assert.deepEqual(grads[1]!.shape, [2, 2]);
    near(grads[1]!, [[13, 18], [15, 22]]);
    assert.deepEqual(grads[0]!.shape, [2, 2, 2]);
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
    assert.throws(() => ops.where(null as never, 1, 2), /^TensorOpError: ops\.where: argument cond .* got null/);
    assert.throws(() => ops.mul([[1, 2], [3]], 1), /^TensorOpError: ops\.mul: argument a is a ragged nested array: a\[1\] has length 1, expected 2/);
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
    assert.throws(() => ops.add([1, 2], [1, 2, 3]), /^TensorOpError: ops\.add: /);
    assert.throws(() => ops.reshape([1, 2, 3], [2, 2]), /^TensorOpError: ops\.reshape: /);
    const t = ops.tensor([1]);
    ops.dispose(t);
    assert.throws(() => ops.exp(t), /^TensorOpError: ops\.exp: .*disposed/);
  });
});

describe("tfjs ops: typed arrays", () => {
  it("accepts a flat Float64Array or Float32Array as a vector, as the ndarray backend does", () => {
    near(ops.tensor(Float64Array.from([1, 2.5])), [1, 2.5]);
    near(ops.add(Float32Array.from([1, 2]), 1), [2, 3]);
  });
});
