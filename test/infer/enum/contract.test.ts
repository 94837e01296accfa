// The contraction engine on its own: greedy variable elimination and the
// plated sum-product against brute-force sums over every assignment.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { numpyBackend, pyroTfjsBackend } from "../../../src/dispatch/standard-backends.js";
import { alignTo, type NamedTensor } from "../../../src/infer/enum/named.js";
import { contractPlated, NonTreePlatesError } from "../../../src/infer/enum/plated.js";
import { logRing, type Ring } from "../../../src/infer/enum/ring.js";
import { sumProduct } from "../../../src/infer/enum/sum-product.js";

const ops = numpyBackend.runtime.ops;

/** Deterministic pseudo-random log-factor values. */
function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 1.7);
}

function factor(dims: string[], sizes: Record<string, number>, seed: number): NamedTensor & { at: (a: Record<string, number>) => number } {
  const shape = dims.map((d) => sizes[d]!);
  const data = values(shape.reduce((a, b) => a * b, 1), seed);
  const at = (a: Record<string, number>): number => data[dims.reduce((i, d, k) => i * shape[k]! + a[d]!, 0)]!;
  return { value: ops.fromFlat(data, shape), dims, at };
}

/** Every assignment of `vars` (with their sizes). */
function* assignments(vars: readonly string[], sizes: Record<string, number>): Generator<Record<string, number>> {
  const a: Record<string, number> = Object.fromEntries(vars.map((v) => [v, 0]));
  for (;;) {
    yield { ...a };
    let k = vars.length - 1;
    while (k >= 0 && ++a[vars[k]!]! === sizes[vars[k]!]) a[vars[k--]!] = 0;
    if (k < 0) return;
  }
}

const lse = (xs: readonly number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

describe("named tensors", () => {
  it("align by name: transposed, with size-1 axes for missing names", () => {
    const x: NamedTensor = { value: ops.tensor([[1, 2, 3], [4, 5, 6]]), dims: ["a", "b"] };
    const y = alignTo(ops, x, ["b", "c", "a"]);
    assert.deepEqual(y.shape, [3, 1, 2]);
    assert.deepEqual(ops.toArray(y), [[[1, 4]], [[2, 5]], [[3, 6]]]);
  });
});

describe("sumProduct (greedy variable elimination)", () => {
  it("equals the brute-force log-sum over every assignment", () => {
    const sizes = { a: 2, b: 3, c: 2, d: 3 };
    const fs = [factor(["a", "b"], sizes, 1), factor(["b", "c", "d"], sizes, 2), factor(["d", "a"], sizes, 3), factor(["c"], sizes, 4)];
    const exact = lse([...assignments(["a", "b", "c", "d"], sizes)].map((x) => fs.reduce((s, f) => s + f.at(x), 0)));
    const got = sumProduct(ops, logRing, fs, new Set(["a", "b", "c", "d"]));
    assert.deepEqual(got.dims, []);
    // float64 on both sides, ≈ 30 terms of magnitude ≲ 7: rounding ≲ 1e-13.
    assert.ok(Math.abs(ops.item(got.value) - exact) < 1e-10);
  });

  it("keeps the dims it does not eliminate", () => {
    const sizes = { a: 2, b: 3 };
    const f = factor(["a", "b"], sizes, 5);
    const g = factor(["b"], sizes, 6);
    const got = sumProduct(ops, logRing, [f, g], new Set(["b"]));
    assert.deepEqual(got.dims, ["a"]);
    const flat = Array.from(ops.toFlat(got.value));
    for (let a = 0; a < 2; a++) {
      const exact = lse([0, 1, 2].map((b) => f.at({ a, b }) + g.at({ b })));
      assert.ok(Math.abs(flat[a]! - exact) < 1e-12);
    }
  });

  it("eliminates a chain end first, so no intermediate exceeds K² (linear cost)", () => {
    const K = 3;
    const T = 60;
    const sizes: Record<string, number> = {};
    for (let t = 0; t < T; t++) sizes[`x${t}`] = K;
    const fs = [factor(["x0"], sizes, 0)];
    for (let t = 1; t < T; t++) fs.push(factor([`x${t - 1}`, `x${t}`], sizes, t));
    let largest = 0;
    const spy: Ring = {
      eliminate(o, x, dim) {
        largest = Math.max(largest, x.value.shape.reduce((a, b) => a * b, 1));
        return logRing.eliminate(o, x, dim);
      },
    };
    const got = sumProduct(ops, spy, fs, new Set(Object.keys(sizes)));
    assert.equal(largest, K * K);
    // The forward algorithm on the same factors.
    let alpha = [0, 1, 2].map((k) => fs[0]!.at({ x0: k }));
    for (let t = 1; t < T; t++) {
      alpha = [0, 1, 2].map((j) => lse(alpha.map((a, i) => a + fs[t]!.at({ [`x${t - 1}`]: i, [`x${t}`]: j }))));
    }
    assert.ok(Math.abs(ops.item(got.value) - lse(alpha)) < 1e-9);
  });
});

describe("contractPlated (plated sum-product)", () => {
  // a global; b_i in plate i (size 2); c_ij in plates i and j (2 × 2). Factors: f(a), g(a, b_i),
  // h(b_i, c_ij) and u(c_ij).
  const sizes = { a: 2, b: 2, c: 2, i: 2, j: 2 };
  const f = factor(["a"], sizes, 11);
  const g = factor(["i", "a", "b"], sizes, 12);
  const h = factor(["j", "i", "b", "c"], sizes, 13);
  const u = factor(["c", "i", "j"], sizes, 14);

  function bruteForce(): number {
    // Variables: a, b_0, b_1, c_00, c_01, c_10, c_11 (2^7 assignments).
    const names = ["a", "b0", "b1", "c00", "c01", "c10", "c11"];
    const two = Object.fromEntries(names.map((n) => [n, 2]));
    const terms: number[] = [];
    for (const x of assignments(names, two)) {
      let s = f.at({ a: x.a! });
      for (let i = 0; i < 2; i++) {
        s += g.at({ i, a: x.a!, b: x[`b${i}`]! });
        for (let j = 0; j < 2; j++) {
          s += h.at({ j, i, b: x[`b${i}`]!, c: x[`c${i}${j}`]! }) + u.at({ c: x[`c${i}${j}`]!, i, j });
        }
      }
      terms.push(s);
    }
    return lse(terms);
  }

  for (const [backend, o, tol] of [["numpy", ops, 1e-10], ["pyro", pyroTfjsBackend.runtime.ops, 1e-4]] as const) {
    it(`equals the brute-force sum over all 2^7 assignments (${backend})`, () => {
      const t = (x: NamedTensor): NamedTensor => ({ value: o.tensor(ops.toArray(x.value)), dims: x.dims });
      const out = contractPlated(o, logRing, [
        { tensor: t(f), ordinal: new Set() },
        { tensor: t(g), ordinal: new Set(["i"]) },
        { tensor: t(h), ordinal: new Set(["i", "j"]) },
        { tensor: t(u), ordinal: new Set(["i", "j"]) },
      ], new Set(["a", "b", "c"]));
      assert.equal(out.length, 1);
      assert.equal(out[0]!.ordinal.size, 0);
      // float32: ≈ 20 log-space terms of magnitude ≲ 10 → rounding ≲ 20 · 10 · 6e-8 ≈ 1e-5.
      assert.ok(Math.abs(o.item(out[0]!.tensor.value) - bruteForce()) < tol);
    });
  }

  it("returns one term per connected component, at its smallest ordinal", () => {
    const out = contractPlated(ops, logRing, [
      { tensor: factor(["i", "b"], sizes, 21), ordinal: new Set(["i"]) },
      { tensor: factor(["a"], sizes, 22), ordinal: new Set() },
    ], new Set(["a", "b"]));
    assert.deepEqual(out.map((c) => [...c.ordinal]).sort(), [[], ["i"]]);
  });

  it("refuses variables that interact across independent plates", () => {
    // a in plate i, b in plate j, and a factor of both in plates i and j.
    assert.throws(
      () =>
        contractPlated(ops, logRing, [
          { tensor: factor(["i", "a"], sizes, 31), ordinal: new Set(["i"]) },
          { tensor: factor(["j", "b"], sizes, 32), ordinal: new Set(["j"]) },
          { tensor: factor(["i", "j", "a", "b"], sizes, 33), ordinal: new Set(["i", "j"]) },
        ], new Set(["a", "b"])),
      NonTreePlatesError,
    );
  });
});
