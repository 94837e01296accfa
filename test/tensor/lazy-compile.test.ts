// Compiling traced graphs to JavaScript (jitFunction): the compiled forward
// pass and gradient equal the base ops' evaluation and reverse-mode autodiff
// at new inputs, for every kind of node the code generator handles (fused
// elementwise loops with broadcasting, reductions, gathers, matrix products,
// fallbacks to the base ops); guards reject inputs that would change the
// traced structure. Both sides compute in float64 with the same formulas; only
// the order of summation may differ, so 1e-12 relative is ample.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";
import { jitFunction, LazyTensor, makeLazyOps } from "../../src/tensor/lazy/index.js";

const { ops } = makeLazyOps(ndarrayOps as unknown as Ops);
type F = (xs: readonly LazyTensor[]) => LazyTensor;

/** Compiles `f` at `example`, then checks value and gradient at `at` against eager evaluation and autodiff. */
function check(f: F, example: readonly number[][], at: readonly number[][], shapes: readonly number[][]): void {
  const mk = (vals: readonly number[][]) => vals.map((v, i) => ops.fromFlat(v, shapes[i]!) as LazyTensor);
  const jit = jitFunction(ops, (xs) => [f(xs)], mk(example));
  const out = jit.call(at.map((v) => Float64Array.from(v)));
  assert.ok(out !== undefined, "guards pass");
  const grads = jit.grad();
  const ref = ops.valueAndGrad(f, mk(at));
  const close = (a: number, b: number, what: string) =>
    assert.ok(a === b || Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b)), `${what}: compiled ${a}, eager ${b}`);
  close(out[0]![0]!, ops.item(ref.value), "value");
  grads.forEach((g, i) => Array.from(ops.toFlat(ref.grads[i]!)).forEach((r, k) => close(g[k]!, r, `∂/∂x${i}[${k}]`)));
}

const A = [[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]];
const B = [[1, 2, 3, 0.5, -0.5, 0.1], [1.5, 2, -3, 0.25, 0.5, 1]];

describe("jitFunction: compiled values and gradients equal eager evaluation and autodiff", () => {
  it("fused elementwise math with broadcasting, scalars and every unary function", () => {
    const f: F = ([a, b]) => {
      const x = ops.div(ops.sub(b!, ops.expand(ops.reshape(a!, [1, 3]), [2, 3])), ops.softplus(a!));
      const unary = [ops.exp, (t: LazyTensor) => ops.log1p(ops.square(t)), ops.expm1, ops.sigmoid, ops.tanh, ops.sin, ops.cos, ops.atan, ops.erf, ops.neg, ops.abs, ops.square]
        .map((u) => ops.sum(u(ops.mul(x, 0.3))));
      const pos = ops.add(ops.square(x), 0.5);
      const more = [ops.log(pos), ops.sqrt(pos), ops.reciprocal(pos), ops.lgamma(pos), ops.digamma(pos), ops.pow(pos, a!), ops.pow(1.7, x)]
        .map((t) => ops.sum(t));
      const inv = ops.sum(ops.erfinv(ops.mul(ops.tanh(x), 0.9)));
      const picks = ops.sum(ops.where(ops.gt(x, 0), ops.maximum(x, 0.2), ops.minimum(x, ops.clamp(b!, -1, 1))));
      return [...unary, ...more, inv, picks].reduce((s, t) => ops.add(s, t));
    };
    check(f, [A[0]!, B[0]!], [A[1]!, B[1]!], [[3], [2, 3]]);
  });

  it("reductions over axes: sum, mean, max, min, prod, logsumexp", () => {
    const f: F = ([b]) => {
      const x = ops.reshape(b!, [2, 3]);
      return [
        ops.sum(x, 0), ops.mean(x, { axis: 1, keepdims: true }), ops.max(x, -1), ops.min(x, 0), ops.prod(x, 1),
        ops.logsumexp(x, 0), ops.logsumexp(x),
      ].reduce<LazyTensor>((s, t) => ops.add(s, ops.sum(ops.mul(t, 1.3))), ops.tensor(0));
    };
    check(f, [B[0]!], [B[1]!], [[6]]);
  });

  it("data movement: transpose, slice, take and takeAlongAxis with constant indices, pad, squeeze, stack", () => {
    const f: F = ([b]) => {
      const x = ops.reshape(b!, [2, 3]);
      const t = ops.transpose(x);
      const s = ops.slice(x, [0, 1], [2, 2]);
      const k = ops.take(x, ops.tensor([2, 0, 2]), 1);
      const g = ops.takeAlongAxis(x, ops.tensor([[1, 0], [2, 2]]), 1);
      const p = ops.pad(s, [[1, 0], [0, 2]], 0.5);
      const st = ops.stack([ops.squeeze(ops.slice(x, [0, 0], [1, 3]), 0), ops.index(x, 1)], 0);
      const w = (y: LazyTensor, c: number) => ops.sum(ops.mul(ops.square(y), c));
      return ops.add(ops.add(ops.add(w(t, 1), w(s, 2)), ops.add(w(k, 3), w(g, 4))), ops.add(w(p, 5), w(st, 6)));
    };
    check(f, [B[0]!], [B[1]!], [[6]]);
  });

  it("matrix products: batched with broadcasting, and with vectors", () => {
    const f: F = ([b, a]) => {
      const m = ops.reshape(b!, [2, 3]);
      const batch = ops.matmul(ops.stack([m, ops.mul(m, 2)]), ops.transpose(m)); // [2, 2, 3] · [3, 2]
      const mv = ops.matmul(m, a!);
      const vm = ops.matmul(ops.tensor([1, -1]), m);
      return ops.add(ops.add(ops.sum(ops.square(batch)), ops.sum(ops.exp(mv))), ops.sum(ops.sin(vm)));
    };
    check(f, [B[0]!, A[0]!], [B[1]!, A[1]!], [[6], [3]]);
  });

  it("softplus keeps exp(−|x|) for its gradient: equal to eager on both branches and at extreme arguments", () => {
    const f: F = ([a]) => ops.add(ops.sum(ops.mul(ops.softplus(a!), ops.tensor([1, 2, 3, 4, 5, 6]))), ops.sum(ops.softplus(ops.mul(a!, -1))));
    check(f, [[0.5, -0.5, 2, -2, 0, 1]], [[-800, 800, 1e-300, -0, 36.5, -36.5]], [[6]]);
    check(f, [[0.5, -0.5, 2, -2, 0, 1]], [[0.3, -1.7, 4.2, -0.01, 0, 19]], [[6]]);
  });

  it("a fused group whose last node is not differentiated still passes cotangents back", () => {
    // exp, mul and gt form one group; gt (last) carries no gradient, y (inside) feeds a sum outside.
    const f: F = ([a]) => {
      const y = ops.mul(ops.exp(a!), 2);
      const c = ops.gt(y, 1.5);
      return ops.add(ops.sum(ops.square(ops.sum(y))), ops.sum(c));
    };
    check(f, [A[0]!], [A[1]!], [[3]]);
  });

  it("a broadcast scalar and its reshape (one cotangent buffer) both feeding a fused loop", () => {
    const f: F = ([a, b]) => {
      const s = ops.reshape(a!, []);
      return ops.sum(ops.mul(ops.add(ops.mul(b!, a!), ops.exp(ops.mul(b!, s))), ops.sub(b!, s)));
    };
    check(f, [[0.4], A[0]!], [[-0.7], A[1]!], [[1], [3]]);
  });

  it("ops without a generated kernel fall back to the base ops (cumsum, cholesky, triangularSolve, concat, argmax)", () => {
    const f: F = ([a]) => {
      const L = ops.add(ops.diagEmbed(ops.exp(a!)), ops.mul(ops.tensor([[0, 0, 0], [1, 0, 0], [1, 1, 0]]), a!));
      const S = ops.matmul(L, ops.transpose(L));
      const C = ops.cholesky(S);
      const y = ops.triangularSolve(C, ops.tensor([[1], [2], [3]]));
      const cs = ops.cumsum(ops.concat([a!, ops.square(a!)], 0), 0);
      const am = ops.argmax(a!);
      return ops.add(ops.add(ops.sum(ops.square(y)), ops.sum(ops.mul(cs, 0.1))), ops.mul(am, 0));
    };
    check(f, [A[0]!], [A[1]!], [[3]]);
  });
});

describe("jitFunction: loop fusion", () => {
  /** The loops over `n` elements in the forward pass and in the gradient of `f` compiled at `example`. */
  function loops(f: F, example: readonly number[][], shapes: readonly number[][], n: number): { forward: number; backward: number } {
    const jit = jitFunction(ops, (xs) => [f(xs)], example.map((v, i) => ops.fromFlat(v, shapes[i]!) as LazyTensor));
    const src = jit.graph.source;
    const count = (part: string) => part.split(`j < ${n};`).length - 1 + part.split(`i < ${n};`).length - 1;
    return { forward: count(src.slice(src.indexOf("function forward"), src.indexOf("function outputs"))), backward: count(src.slice(src.indexOf("function backward"))) };
  }
  const X = [0.5, -1, 2, 1.5, 0.3, -0.2, -1, 0.1, 0.4, 2, 2, -0.5, 0.7, 0.6, 1.1];
  const Y = [1, 0, 1, 1, 0];
  /** A regression's log likelihood: logits = X·w + b, Bernoulli log density summed; a prior on w traced in between. */
  const regression: F = ([w, b]) => {
    const logits = ops.add(ops.matmul(ops.reshape(ops.tensor(X), [5, 3]), w!), b!);
    const prior = ops.sum(ops.mul(ops.square(w!), -0.5));
    const ll = ops.sum(ops.sub(ops.mul(ops.tensor(Y), logits), ops.softplus(logits)));
    return ops.add(prior, ll);
  };

  it("a plate's product, elementwise work and sum run as one loop forward and one backward, with eager values and gradients", () => {
    check(regression, [[0.1, 0.2, 0.3], [0.5]], [[1, -2, 0.5], [-0.25]], [[3], [1]]);
    assert.deepEqual(loops(regression, [[0.1, 0.2, 0.3], [0.5]], [[3], [1]], 5), { forward: 1, backward: 1 });
  });

  /** u and v are both over 5 elements, with a 3-element prior traced between them; `keep` is read by a later max. */
  const across = (shift: (w: LazyTensor, b: LazyTensor) => LazyTensor): F => ([w, b]) => {
    const u = ops.exp(ops.mul(ops.tensor(Y), b!));
    const prior = ops.sum(ops.square(w!));
    const v = ops.add(ops.log1p(u), shift(w!, b!));
    const keep = ops.mul(v, u);
    return ops.add(ops.add(prior, ops.sum(keep)), ops.max(keep));
  };

  it("joins an earlier loop of the same shape across other work, and keeps values read after the loop", () => {
    for (const f of [across((_, b) => ops.mul(b, 0.1)), across((w) => ops.mul(ops.sum(w), 0.1))]) {
      check(f, [[0.1, 0.2, 0.3], [0.5]], [[1, -2, 0.5], [-0.25]], [[3], [1]]);
      assert.equal(loops(f, [[0.1, 0.2, 0.3], [0.5]], [[3], [1]], 5).forward, 1);
    }
  });

  it("does not join a loop when a consumer outside it comes first (its cotangent would arrive too late)", () => {
    // a's row sums (a reduction outside the loop) come between a and c, and c also reads a.
    const f: F = ([x]) => {
      const m = ops.reshape(x!, [2, 3]);
      const a = ops.exp(m);
      const rows = ops.logsumexp(a, { axis: 1, keepdims: true });
      const c = ops.mul(ops.mul(a, 3), rows);
      return ops.sum(ops.sin(c));
    };
    check(f, [B[0]!], [B[1]!], [[6]]);
    assert.equal(loops(f, [B[0]!], [[6]], 6).forward, 2);
  });

  it("a fused product whose matrix and vector are both differentiated, including a square one", () => {
    const f: F = ([m, v]) => {
      const a = ops.reshape(m!, [3, 3]);
      const y = ops.matmul(a, v!);
      return ops.add(ops.sum(ops.mul(ops.tanh(y), v!)), ops.sum(ops.square(ops.matmul(a, ops.exp(v!)))));
    };
    const M = [[0.3, -1.2, 2.0, 0.7, 0.1, -0.4, 1, 0.5, -0.3], [1.1, 0.2, -0.6, 0.4, -0.9, 0.8, 0.05, 0.3, 1.3]];
    check(f, [M[0]!, A[0]!], [M[1]!, A[1]!], [[9], [3]]);
  });
});

describe("jitFunction: guards and reuse", () => {
  it("re-checks values read during the trace and refuses inputs that would take another branch", () => {
    const jit = jitFunction(ops, ([x]) => {
      const positive = ops.item(ops.all(ops.gt(x!, 0))) === 1;
      return [positive ? ops.sum(ops.log(x!)) : ops.sum(x!)];
    }, [ops.tensor([1, 2])]);
    assert.deepEqual(Array.from(jit.call([Float64Array.of(3, 4)])![0]!), [Math.log(3) + Math.log(4)]);
    assert.equal(jit.call([Float64Array.of(-3, 4)]), undefined);
  });

  it("an input the output does not use has a zero gradient of its own size", () => {
    const jit = jitFunction(ops, ([x]) => [ops.sum(ops.square(x!))], [ops.tensor([1, 2]), ops.tensor([5, 6, 7])]);
    jit.call([Float64Array.of(3, 4), Float64Array.of(0, 0, 0)]);
    const [gx, gy] = jit.grad(1);
    assert.deepEqual(Array.from(gx!), [6, 8]);
    assert.deepEqual(Array.from(gy!), [0, 0, 0]);
  });

  it("runs again and again on new inputs with the same buffers", () => {
    const jit = jitFunction(ops, ([x]) => [ops.sum(ops.mul(x!, x!))], [ops.tensor([1, 2, 3])]);
    for (let k = 1; k < 6; k++) {
      const v = Float64Array.of(k, k + 1, -k);
      assert.equal(jit.call([v])![0]![0], k * k + (k + 1) * (k + 1) + k * k);
      assert.deepEqual(Array.from(jit.grad(1)[0]!), [2 * k, 2 * (k + 1), -2 * k]);
    }
  });
});
