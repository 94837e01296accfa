/**
 * Where the `ndarray` backend reuses memory instead of allocating, results
 * must be the same as without reuse:
 *  - the backward pass sums several cotangents of one array in place when it
 *    owns the first one (it came from an elementwise VJP, or from an earlier
 *    sum); the other cotangents, the forward values and the gradients of
 *    other inputs must be untouched, and a VJP that does not promise fresh
 *    arrays (here `custom`, returning one array for two inputs) must not be
 *    written into;
 *  - a value broadcast to a shape (the cotangent of a sum) stays one stored
 *    value through `neg`'s VJP, and combines with an array as a scalar does;
 *  - when the outermost `valueAndGrad` returns, its graph's nodes drop their
 *    inputs and VJPs (kept arrays stop pinning the tape), a nested call's
 *    graph stays until the enclosing call is done;
 *  - `arange(n)` hands out one shared array per `n` (arrays are immutable),
 *    with the same values as a fresh one.
 *
 * Expected gradients are written out by hand; they are sums of a few float64
 * operations, compared with rtol 1e-12.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type NDArray, ndarrayOps as ops } from "../../src/tensor/ndarray/index.js";

/** `actual` equals `expected` elementwise within rtol 1e-12. */
function near(actual: NDArray, expected: readonly number[]): void {
  const a = Array.from(ops.toFlat(actual));
  assert.equal(a.length, expected.length, `got ${a}, expected ${expected}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-12 * Math.max(1, Math.abs(expected[i]!)), `element ${i}: got ${v}, expected ${expected[i]} (all: ${a})`));
}

const xs = [0.3, -1.2, 2.0];

describe("ndarray backward: cotangents summed in place", () => {
  it("an input used by several elementwise ops gets the sum of their cotangents", () => {
    // f = Σ 2eˣ + sin x + x·x + x: ∂f/∂x = 2eˣ + cos x + 2x + 1 (five cotangents, the first few fresh)
    const { grads } = ops.valueAndGrad(([x]) => {
      const t = ops.add(ops.add(ops.mul(ops.exp(x!), 2), ops.sin(x!)), ops.add(ops.mul(x!, x!), x!));
      return ops.sum(t);
    }, [ops.tensor(xs)]);
    near(grads[0]!, xs.map((v) => 2 * Math.exp(v) + Math.cos(v) + 2 * v + 1));
  });

  it("forward values and the cotangents of other inputs are not written into", () => {
    // f = Σ eˣ·y + eˣ + y: ∂f/∂x = eˣ(y + 1), ∂f/∂y = eˣ + 1
    const ys = [1.5, 0.25, -2];
    let e: NDArray | undefined;
    const { grads } = ops.valueAndGrad(([x, y]) => {
      e = ops.exp(x!);
      return ops.sum(ops.add(ops.add(ops.mul(e, y!), e), y!));
    }, [ops.tensor(xs), ops.tensor(ys)]);
    near(e!, xs.map(Math.exp));
    near(grads[0]!, xs.map((v, i) => Math.exp(v) * (ys[i]! + 1)));
    near(grads[1]!, xs.map((v) => Math.exp(v) + 1));
  });

  it("a cotangent shared by two inputs (a custom VJP) is not written into", () => {
    // c = custom(a + b) whose VJP returns its cotangent for both inputs;
    // f = Σ eᵃ + Σ sin b + Σ w·c: ∂f/∂a = eᵃ + w, ∂f/∂b = cos b + w.
    // The backward pass reaches c first, so both slots start with the same array.
    const bs = [0.7, -0.4, 1.1];
    const ws = [2, -3, 0.5];
    const { grads } = ops.valueAndGrad(([a, b]) => {
      const c = ops.custom([a!, b!], ([da, db]) => ({ data: da!.map((v, i) => v + db![i]!), shape: [3] }), (dy) => [dy, dy]);
      return ops.add(ops.add(ops.sum(ops.exp(a!)), ops.sum(ops.sin(b!))), ops.sum(ops.mul(c, ops.tensor(ws))));
    }, [ops.tensor(xs), ops.tensor(bs)]);
    near(grads[0]!, xs.map((v, i) => Math.exp(v) + ws[i]!));
    near(grads[1]!, bs.map((v, i) => Math.cos(v) + ws[i]!));
  });

  it("a broadcast cotangent is added, not written through", () => {
    // f = Σ (x + s) + Σ x² with scalar s: ∂f/∂x = 1 + 2x (the first cotangent is a broadcast view), ∂f/∂s = 3
    const { grads } = ops.valueAndGrad(([x, s]) => ops.add(ops.sum(ops.add(x!, s!)), ops.sum(ops.square(x!))), [ops.tensor(xs), ops.tensor(0.5)]);
    near(grads[0]!, xs.map((v) => 1 + 2 * v));
    near(grads[1]!, [3]);
  });
});

describe("ndarray: one value broadcast stays one value", () => {
  it("the cotangent of sum(-x) is -1 broadcast from one stored element", () => {
    // The cotangent of a sum is a broadcast view; neg's VJP keeps it one, where
    // a product with -1 would fill an array as large as x.
    const { grads } = ops.valueAndGrad(([x]) => ops.sum(ops.neg(x!)), [ops.zeros([1000, 3])]);
    const g = grads[0]!;
    assert.deepEqual([...g.shape], [1000, 3]);
    assert.equal(g.data.length, 1);
    assert.ok(ops.toFlat(g).every((v) => v === -1));
  });

  it("a broadcast value combined with an array equals the scalar combined with it, either side", () => {
    const x = ops.tensor([[0.3, -1.2, 2], [4, -0.5, 8]]);
    const v = ops.expand(ops.tensor(-2.5), [2, 3]);
    for (const f of [ops.sub, ops.div, ops.mul, ops.pow] as const) {
      // The same kernel on the same numbers: equal to the bit (NaN where pow has a negative base).
      assert.deepEqual(Array.from(ops.toFlat(f(v, x))), Array.from(ops.toFlat(f(-2.5, x))));
      assert.deepEqual(Array.from(ops.toFlat(f(x, v))), Array.from(ops.toFlat(f(x, -2.5))));
    }
    // A broadcast of shape [3] is not one value: the general path.
    const row = ops.expand(ops.tensor([1, 2, 3]), [2, 3]);
    near(ops.sub(row, x), [1 - 0.3, 2 + 1.2, 3 - 2, 1 - 4, 2 + 0.5, 3 - 8]);
  });
});

describe("ndarray autodiff: a finished gradient lets go of its graph", () => {
  it("arrays the caller keeps no longer hold the tape, and still act as constants later", () => {
    let kept: NDArray | undefined;
    const first = ops.valueAndGrad(([x]) => {
      kept = ops.mul(ops.exp(x!), 2);
      return ops.sum(kept);
    }, [ops.tensor(xs)]);
    near(first.grads[0]!, xs.map((v) => 2 * Math.exp(v)));
    assert.equal(kept!.node!.parents.length, 0, "the kept array's node dropped its inputs");
    assert.equal(first.value.node!.parents.length, 0);
    // Used in a later gradient, the kept array is a constant: ∂/∂z Σ kept·z = kept.
    const second = ops.valueAndGrad(([z]) => ops.sum(ops.mul(kept!, z!)), [ops.tensor([1, 1, 1])]);
    near(second.grads[0]!, xs.map((v) => 2 * Math.exp(v)));
  });

  it("a nested call keeps its graph for the enclosing one", () => {
    // Outer f(x) = inner value of Σ x·y at y = x, plus Σ x: the inner value depends on x through
    // its graph, so ∂f/∂x = y + 1 = x + 1 — only if the inner call did not release it.
    let innerValue: NDArray | undefined;
    const { grads } = ops.valueAndGrad(([x]) => {
      const inner = ops.valueAndGrad(([y]) => ops.sum(ops.mul(x!, y!)), [ops.stopGradient(x!)]);
      innerValue = inner.value;
      assert.ok(innerValue.node!.parents.length > 0, "still attached inside the enclosing call");
      return ops.add(inner.value, ops.sum(x!));
    }, [ops.tensor(xs)]);
    near(grads[0]!, xs.map((v) => v + 1));
    assert.equal(innerValue!.node!.parents.length, 0, "released with the enclosing call's graph");
  });
});

describe("ndarray arange: one shared array per size", () => {
  it("arange(n) returns the same array each time, with the values 0 … n-1", () => {
    const a = ops.arange(3000);
    assert.equal(ops.arange(3000), a);
    assert.deepEqual(Array.from(ops.toFlat(a)), Array.from({ length: 3000 }, (_, i) => i));
    assert.deepEqual(Array.from(ops.toFlat(ops.arange(0, 3000))), Array.from(ops.toFlat(a)));
  });

  it("other ranges are made afresh", () => {
    assert.notEqual(ops.arange(1, 4), ops.arange(1, 4));
    assert.deepEqual(ops.toArray(ops.arange(1, 7, 2)), [1, 3, 5]);
    assert.deepEqual(ops.toArray(ops.arange(0)), []);
  });
});
