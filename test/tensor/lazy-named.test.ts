// Named dimensions of lazy terms: naming axes, broadcasting by name, reductions
// over named inputs, ops without an alignment rule (one configuration at a
// time), sum-product contraction, and integration — exact under the eager
// interpretation, sampled under Monte Carlo. Exact results are float64 sums of
// a handful of terms (compared to 1e-12); Monte Carlo tolerances are 4
// standard errors, computed from the known variance of the integrand.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";
import { normal, PRNGKey } from "../../src/tensor/random/index.js";
import {
  contract, evaluate, integrate, lazy, LazyTensor, LazyTensorError, makeLazyOps, monteCarlo, reduceNamed, toNamed, toPositional, variable,
} from "../../src/tensor/lazy/index.js";

const { ops, env } = makeLazyOps(ndarrayOps as unknown as Ops);
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${a} vs ${b}`);
const flat = (t: LazyTensor) => Array.from(ops.toFlat(t));
const lse = (xs: readonly number[]) => Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));

describe("named inputs", () => {
  const A = [[0, -1], [-2, -3], [-1, 0.5]]; // [z: 3, data: 2]
  it("names axes and makes them positional again", () => {
    const t = toNamed(env, ops.tensor(A), ["z", "data"]);
    assert.deepEqual(t.inputs, [{ name: "z", size: 3 }, { name: "data", size: 2 }]);
    assert.deepEqual(t.shape, []);
    assert.deepEqual(ops.toArray(toPositional(env, t, ["data", "z"])), [[0, -2, -1], [-1, -3, 0.5]]);
    const partly = toNamed(env, ops.tensor(A), [null, "data"]);
    assert.deepEqual(partly.shape, [3]);
    assert.deepEqual(ops.toArray(toPositional(env, partly, ["data"])), [[0, -2, -1], [-1, -3, 0.5]]);
  });

  it("broadcasts by name, whatever the order of the names", () => {
    const f = toNamed(env, ops.tensor([10, 20, 30]), ["z"]);
    const g = toNamed(env, ops.tensor([[0, -2, -1], [-1, -3, 0.5]]), ["data", "z"]);
    const h = ops.add(f, g) as LazyTensor;
    assert.deepEqual(h.inputs.map((d) => d.name), ["z", "data"]);
    assert.deepEqual(ops.toArray(toPositional(env, h, ["z", "data"])), [[10, 9], [18, 17], [29, 30.5]]);
  });

  it("broadcasts named inputs and positional shapes together", () => {
    const f = toNamed(env, ops.tensor([1, 2]), ["z"]);
    const y = ops.mul(f, ops.tensor([1, 10, 100])) as LazyTensor;
    assert.deepEqual(y.shape, [3]);
    assert.deepEqual(ops.toArray(toPositional(env, y, ["z"])), [[1, 10, 100], [2, 20, 200]]);
    assert.deepEqual(ops.toArray(toPositional(env, ops.sum(y), ["z"])), [111, 222], "positional reductions keep named inputs");
  });

  it("reduces named inputs", () => {
    const t = toNamed(env, ops.tensor(A), ["z", "data"]);
    const m = reduceNamed(env, t, "logsumexp", ["z"]);
    assert.deepEqual(m.inputs.map((d) => d.name), ["data"]);
    flat(toPositional(env, m, ["data"])).forEach((v, j) => close(v, lse(A.map((r) => r[j]!))));
    close(ops.item(reduceNamed(env, t, "sum")), -6.5);
  });

  it("applies ops without an alignment rule one configuration at a time", () => {
    const locs = ops.tensor([[0, 1], [10, 11], [20, 21]]);
    const z = toNamed(env, ops.tensor([2, 0]), ["z"]);
    const picked = ops.index(locs, z) as LazyTensor; // locs[z] for each z
    assert.deepEqual(picked.shape, [2]);
    assert.deepEqual(ops.toArray(toPositional(env, picked, ["z"])), [[20, 21], [0, 1]]);
  });

  it("refuses to read a term with named inputs as a plain tensor", () => {
    assert.throws(() => ops.toFlat(toNamed(env, ops.tensor([1, 2]), ["z"])), LazyTensorError);
  });
});

describe("contract", () => {
  const F = [0.1, -0.7, 0.3];
  const G = [[0.2, 1.1], [-0.4, 0.5], [0.9, -1.3]]; // [a, b]
  const H = [0.6, -0.2]; // [b]
  const factors = () => [toNamed(env, ops.tensor(F), ["a"]), toNamed(env, ops.tensor(G), ["a", "b"]), toNamed(env, ops.tensor(H), ["b"])];
  const joint = F.flatMap((f, a) => H.map((h, b) => f + G[a]![b]! + h));

  it("equals brute force in each ring", () => {
    close(ops.item(contract(env, "logsumexp", factors(), ["a", "b"])), lse(joint));
    close(ops.item(contract(env, "max", factors(), ["a", "b"])), Math.max(...joint));
    const lin = contract(env, "sum", factors().map((f) => ops.exp(f)), ["a", "b"]);
    close(ops.item(lin), joint.reduce((s, x) => s + Math.exp(x), 0));
  });

  it("keeps the variables not eliminated", () => {
    const m = contract(env, "logsumexp", factors(), ["a"]);
    assert.deepEqual(m.inputs.map((d) => d.name), ["b"]);
    flat(toPositional(env, m, ["b"])).forEach((v, b) => close(v, lse(F.map((f, a) => f + G[a]![b]! + H[b]!))));
  });

  it("builds one node lazily, and evaluating it gives the eager result", () => {
    const node = env.run(lazy, () => contract(env, "logsumexp", factors(), ["a", "b"]));
    assert.equal(node.op, "contract");
    assert.equal(node.value, undefined);
    close(ops.item(evaluate(env, node)), lse(joint));
  });

  it("runs the forward algorithm of a chain (the likelihood of an HMM) in linear time", () => {
    const T = 60;
    const trans = [[0.9, 0.1], [0.2, 0.8]];
    const emit = Array.from({ length: T }, (_, t) => [Math.sin(t), Math.cos(t)]);
    const fs = [toNamed(env, ops.log(ops.tensor([0.5, 0.5])), ["x0"]), toNamed(env, ops.tensor(emit[0]!), ["x0"])];
    for (let t = 1; t < T; t++) {
      fs.push(toNamed(env, ops.log(ops.tensor(trans)), [`x${t - 1}`, `x${t}`]), toNamed(env, ops.tensor(emit[t]!), [`x${t}`]));
    }
    let alpha = [Math.log(0.5) + emit[0]![0]!, Math.log(0.5) + emit[0]![1]!];
    for (let t = 1; t < T; t++) alpha = [0, 1].map((j) => lse([0, 1].map((i) => alpha[i]! + Math.log(trans[i]![j]!))) + emit[t]![j]!);
    close(ops.item(contract(env, "logsumexp", fs, Array.from({ length: T }, (_, t) => `x${t}`))), lse(alpha), 1e-10);
  });
});

describe("integrate: eager (exact) and Monte Carlo (sampled)", () => {
  const probs = [0.2, 0.5, 0.3];
  const values = [1, 3, -2];
  const exact = probs.reduce((s, p, i) => s + p * values[i]!, 0);
  const variance = probs.reduce((s, p, i) => s + p * (values[i]! - exact) ** 2, 0);
  const measure = () => ({ kind: "discrete" as const, logDensity: toNamed(env, ops.log(ops.tensor(probs)), ["z"]), vars: ["z"] });
  const f = () => toNamed(env, ops.tensor(values), ["z"]);

  it("sums exactly under the eager interpretation", () => {
    close(ops.item(integrate(env, measure(), f())), exact);
  });

  it("samples the measure under Monte Carlo: within 4 standard errors of the exact value", () => {
    const n = 4000;
    const est = env.run(monteCarlo(PRNGKey(3), n), () => ops.item(integrate(env, measure(), f())));
    assert.ok(Math.abs(est - exact) < 4 * Math.sqrt(variance / n), `MC ${est}, exact ${exact}`);
  });

  it("keeps the integrand's other named inputs", () => {
    const g = toNamed(env, ops.tensor([[1, 0], [3, 1], [-2, 2]]), ["z", "data"]);
    const r = integrate(env, measure(), g);
    assert.deepEqual(r.inputs.map((d) => d.name), ["data"]);
    const got = flat(toPositional(env, r, ["data"]));
    close(got[0]!, exact);
    close(got[1]!, 0.5 + 0.6);
  });

  it("integrates a free real variable against a sampler only by Monte Carlo", () => {
    const x = variable(env, "x");
    const integrand = ops.square(ops.add(x, 1)) as LazyTensor; // E[(x + 1)²] = 2 for x ~ N(0, 1)
    const m = { kind: "sampler" as const, variable: "x", sample: (key: readonly [number, number], n: number) => ops.fromFlat(normal(key, n), [n]) as LazyTensor };
    assert.throws(() => integrate(env, m, integrand), LazyTensorError);
    const n = 4000;
    const est = env.run(monteCarlo(PRNGKey(5), n), () => ops.item(integrate(env, m, integrand)));
    // Var[(x + 1)²] = E[(x+1)⁴] − 4 = (3 + 6 + 1) − 4 = 6.
    assert.ok(Math.abs(est - 2) < 4 * Math.sqrt(6 / n), `MC ${est}, exact 2`);
  });

  it("builds an integral lazily and samples it when evaluated under Monte Carlo", () => {
    const node = env.run(lazy, () => integrate(env, measure(), f()));
    assert.equal(node.op, "integrate");
    close(ops.item(evaluate(env, node)), exact);
    const n = 4000;
    const est = env.run(monteCarlo(PRNGKey(9), n), () => ops.item(evaluate(env, node)));
    assert.ok(Math.abs(est - exact) < 4 * Math.sqrt(variance / n));
  });
});
