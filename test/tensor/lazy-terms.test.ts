// Lazy terms: construction and evaluation under each interpretation (eager,
// lazy, trace), free variables, and the environment that chooses the
// interpretation. Values are float64 (ndarray base): results that are the same
// arithmetic in the same order are compared exactly, others to 1e-12.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";
import {
  eager, evaluate, evaluateAll, freeVariables, GraphRecorder, lazy, LazyTensor, LazyTensorError, makeLazyOps, tracing, variable,
} from "../../src/tensor/lazy/index.js";

const base = ndarrayOps as unknown as Ops;

/** A base whose `exp` calls are counted (to see how often a shared subterm is evaluated). */
function countingBase(): { base: Ops; calls: () => number } {
  let n = 0;
  const counted = Object.create(base) as Ops;
  counted.exp = (x) => { n++; return base.exp(x); };
  return { base: counted, calls: () => n };
}

describe("lazy terms: eager interpretation (the default)", () => {
  const { ops } = makeLazyOps(base);
  it("evaluates every op at once into a constant that keeps no history", () => {
    const x = ops.add(ops.mul(2, ops.tensor([1, 2, 3])), 1) as LazyTensor;
    assert.equal(x.op, "const");
    assert.equal(x.args.length, 0);
    assert.deepEqual(ops.toArray(x), [3, 5, 7]);
    assert.deepEqual(ops.shape(ops.sum(ops.ones([2, 3]), { axis: 0, keepdims: true })), [1, 3]);
  });

  it("differentiates through the base ops' autodiff", () => {
    const f = (xs: readonly LazyTensor[]) => ops.sum(ops.mul(ops.exp(xs[0]!), ops.tensor([1, 2])));
    const { value, grads } = ops.valueAndGrad(f, [ops.tensor([0, 1])]);
    // d/dx Σ w·eˣ = w·eˣ: the same float64 products the value sums.
    assert.equal(ops.item(value), 1 + 2 * Math.exp(1));
    assert.deepEqual(ops.toArray(grads[0]!), [1, 2 * Math.exp(1)]);
  });
});

describe("lazy terms: lazy interpretation", () => {
  it("builds terms with inferred shapes and no values; reading evaluates them", () => {
    const { ops, env } = makeLazyOps(base);
    const t = env.run(lazy, () => ops.logsumexp(ops.transpose(ops.add(ops.tensor([[0, 1, 2]]), ops.tensor([[0], [1]]))), -1)) as LazyTensor;
    assert.equal(t.op, "call");
    assert.equal(t.attrs[0], "logsumexp", "a lazy node records the op call (re-applied, by name, when evaluated)");
    assert.equal(t.value, undefined);
    assert.deepEqual(t.shape, [3]);
    const want = [0, 1, 2].map((a) => Math.log(Math.exp(a) + Math.exp(a + 1)));
    const got = Array.from(ops.toFlat(t));
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-12));
  });

  it("evaluates a shared subterm once", () => {
    const { base: counted, calls } = countingBase();
    const { ops, env } = makeLazyOps(counted);
    const [a, b] = env.run(lazy, () => {
      const shared = ops.exp(ops.tensor([1, 2]));
      return [ops.sum(shared), ops.mul(shared, 2)] as LazyTensor[];
    });
    assert.equal(calls(), 0, "nothing is evaluated while building");
    const [va, vb] = evaluateAll(env, [a!, b!]);
    assert.equal(calls(), 1);
    assert.equal(ops.item(va!), Math.exp(1) + Math.exp(2));
    assert.deepEqual(ops.toArray(vb!), [2 * Math.exp(1), 2 * Math.exp(2)]);
  });

  it("gives the eager value after evaluation, and differentiates through it", () => {
    const { ops, env } = makeLazyOps(base);
    const f = (xs: readonly LazyTensor[]) => ops.sum(ops.square(ops.sub(xs[0]!, 1)));
    const viaLazy = ops.valueAndGrad((xs) => env.run(lazy, () => f(xs)), [ops.tensor([0, 3])]);
    const viaEager = ops.valueAndGrad(f, [ops.tensor([0, 3])]);
    assert.equal(ops.item(viaLazy.value), ops.item(viaEager.value));
    assert.deepEqual(ops.toArray(viaLazy.grads[0]!), ops.toArray(viaEager.grads[0]!));
  });
});

describe("lazy terms: free variables and substitution", () => {
  const { ops, env } = makeLazyOps(base);
  it("keeps a term with a free variable lazy, even eagerly, until the variable is bound", () => {
    const x = variable(env, "x", [2]);
    const y = ops.mul(ops.add(x, 1), ops.tensor([2, 3])) as LazyTensor;
    assert.equal(y.value, undefined);
    assert.deepEqual(y.shape, [2]);
    assert.deepEqual([...freeVariables(y)], ["x"]);
    assert.throws(() => ops.item(ops.sum(y)), LazyTensorError);
    assert.deepEqual(ops.toArray(evaluate(env, y, { x: ops.tensor([1, 2]) })), [4, 9]);
  });

  it("substitutes a partially bound term step by step", () => {
    const a = variable(env, "a");
    const b = variable(env, "b");
    const t = ops.sub(ops.mul(a, 10), b) as LazyTensor;
    const half = evaluate(env, t, { a: ops.tensor(3) });
    assert.equal(half.value, undefined);
    assert.deepEqual([...freeVariables(half)], ["b"]);
    assert.equal(ops.item(evaluate(env, half, { b: ops.tensor(4) })), 26);
  });
});

describe("lazy terms: the environment chooses the interpretation", () => {
  it("scopes an interpretation to a call and restores it on throw", () => {
    const { ops, env } = makeLazyOps(base);
    assert.equal(env.interpretation, eager);
    assert.throws(() => env.run(lazy, () => { throw new Error("boom"); }), /boom/);
    assert.equal(env.interpretation, eager);
    const nested = env.run(lazy, () => env.run(eager, () => ops.exp(0) as LazyTensor));
    assert.equal(nested.op, "const");
  });

  it("keeps two lazy ops over the same base independent (no global interpretation)", () => {
    const one = makeLazyOps(base);
    const two = makeLazyOps(base);
    const t = one.env.run(lazy, () => [one.ops.exp(1), two.ops.exp(1)] as LazyTensor[]);
    assert.equal(t[0]!.value, undefined);
    assert.notEqual(t[1]!.value, undefined);
  });
});

describe("lazy terms: tracing interpretation", () => {
  it("evaluates and records every node in creation order, and every read", () => {
    const { ops, env } = makeLazyOps(base);
    const rec = new GraphRecorder();
    const x = ops.tensor([1, 2]);
    const out = env.run(tracing(rec), () => {
      const y = ops.exp(x);
      const s = ops.sum(y);
      ops.item(s);
      return s as LazyTensor;
    });
    assert.deepEqual(rec.nodes.map((n) => n.op), ["exp", "sum"]);
    assert.equal(rec.nodes[1], out);
    assert.equal(out.args[0], rec.nodes[0]);
    assert.equal(out.args[0]!.args[0], x, "the external constant is an argument, not a recorded node");
    assert.equal(rec.reads.length, 1);
    assert.equal(rec.reads[0]!.data[0], Math.exp(1) + Math.exp(2));
  });

  it("reports a nested valueAndGrad as untraceable", () => {
    const { ops, env } = makeLazyOps(base);
    const rec = new GraphRecorder();
    env.run(tracing(rec), () => ops.valueAndGrad(([a]) => ops.sum(ops.square(a!)), [ops.tensor([1])]));
    assert.match(rec.untraceable ?? "", /valueAndGrad/);
  });
});
