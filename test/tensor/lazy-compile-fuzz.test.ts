// Randomized check of the code generator's loop fusion: random graphs of
// elementwise ops over two loop shapes, broadcast scalars, full sums (fused
// into their loop), matrix-vector products (fused as a loop's first member),
// reshapes (aliases) and reductions that stay outside any loop, traced in a
// random order, so nodes join loops opened earlier across other work, or are
// refused. Compiled value and gradient must equal eager evaluation and
// autodiff at new inputs. Both sides compute in float64 with the same
// formulas, only summation order may differ: 1e-9 relative is ample for
// graphs of a few dozen nodes with values of order 1.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";
import { jitFunction, LazyTensor, makeLazyOps } from "../../src/tensor/lazy/index.js";
import { mulberry32 as rng } from "../seeded-rng.js";

const { ops } = makeLazyOps(ndarrayOps as unknown as Ops);
const N = 6; // the long loop (rows)
const K = 3; // the short loop (features)


type Shape = "n" | "k" | "s";
interface Node { readonly t: LazyTensor; readonly shape: Shape }

/** The program of graph `seed`: from inputs x [N], v [K], s [1] and a constant matrix [N, K], a scalar. */
function program(seed: number): (xs: readonly LazyTensor[]) => LazyTensor {
  return ([x, v, s]) => {
    const r = rng(seed);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const M = ops.reshape(ops.tensor(Array.from({ length: N * K }, (_, i) => Math.sin(i + seed))), [N, K]) as LazyTensor;
    const pool: Node[] = [{ t: x!, shape: "n" }, { t: v!, shape: "k" }, { t: ops.reshape(s!, []) as LazyTensor, shape: "s" }];
    const outputs: LazyTensor[] = [];
    const of = (shape: Shape): Node[] => pool.filter((p) => p.shape === shape);
    const unary = [
      (a: LazyTensor) => ops.tanh(a), (a: LazyTensor) => ops.sin(a), (a: LazyTensor) => ops.softplus(a),
      (a: LazyTensor) => ops.sigmoid(a), (a: LazyTensor) => ops.log1p(ops.square(a)), (a: LazyTensor) => ops.mul(a, 0.7),
    ];
    const binary = [(a: LazyTensor, b: LazyTensor) => ops.add(a, b), (a: LazyTensor, b: LazyTensor) => ops.mul(a, b), (a: LazyTensor, b: LazyTensor) => ops.sub(a, b)];
    for (let step = 0; step < 24; step++) {
      const kind = r();
      if (kind < 0.3) {
        const a = pick(pool);
        pool.push({ t: pick(unary)(a.t) as LazyTensor, shape: a.shape });
      } else if (kind < 0.6) {
        const a = pick(pool);
        const b = pick(r() < 0.5 ? of(a.shape) : of("s"));
        pool.push({ t: pick(binary)(a.t, b.t) as LazyTensor, shape: a.shape });
      } else if (kind < 0.72) {
        const a = pick([...of("n"), ...of("k")]);
        outputs.push(ops.sum(a.t) as LazyTensor); // a full sum: fused into a's loop when the order allows
        pool.push({ t: ops.mul(ops.sum(a.t), 0.1) as LazyTensor, shape: "s" });
      } else if (kind < 0.82) {
        const b = pick(of("k"));
        pool.push({ t: ops.matmul(M, b.t) as LazyTensor, shape: "n" }); // a matrix-vector product
      } else if (kind < 0.92) {
        const a = pick(of("n"));
        const lse = ops.logsumexp(ops.reshape(a.t, [2, N / 2]), { axis: 1 }); // outside any loop
        pool.push({ t: ops.reshape(ops.sum(lse), []) as LazyTensor, shape: "s" });
      } else {
        const a = pick(of("n"));
        pool.push({ t: ops.reshape(ops.reshape(a.t, [N, 1]), [N]) as LazyTensor, shape: "n" }); // aliases
      }
    }
    for (const p of pool.slice(3)) outputs.push(ops.sum(ops.mul(p.t, p.shape === "s" ? 0.3 : 0.01)) as LazyTensor);
    return outputs.reduce((acc, o) => ops.add(acc, o) as LazyTensor, ops.tensor(0) as LazyTensor);
  };
}

const close = (a: number, b: number, what: string): void =>
  assert.ok(a === b || Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b)), `${what}: compiled ${a}, eager ${b}`);

describe("jitFunction: loop fusion on random graphs", () => {
  it("100 random graphs: compiled values and gradients equal eager evaluation and autodiff", () => {
    const shapes = [[N], [K], [1]];
    const example = [[0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [0.2, -0.1, 0.05], [0.3]];
    const at = [[0.7, 0.1, -0.9, 0.2, 0.5, -0.3], [-0.4, 0.6, 0.25], [-0.6]];
    const mk = (vals: readonly number[][]) => vals.map((d, i) => ops.fromFlat(d, shapes[i]!) as LazyTensor);
    let fusedAcross = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const f = program(seed);
      const jit = jitFunction(ops, (xs) => [f(xs)], mk(example));
      const out = jit.call(at.map((d) => Float64Array.from(d)));
      assert.ok(out !== undefined, `graph ${seed}: guards pass`);
      const grads = jit.grad();
      const ref = ops.valueAndGrad(f, mk(at));
      close(out[0]![0]!, ops.item(ref.value), `graph ${seed}: value`);
      grads.forEach((g, i) => Array.from(ops.toFlat(ref.grads[i]!)).forEach((e, k) => close(g[k]!, e, `graph ${seed}: ∂/∂x${i}[${k}]`)));
      const src = jit.graph.source;
      if (/acc\d+ \+=/.test(src) && /mb\d+_0/.test(src)) fusedAcross++;
    }
    // The generator does exercise the fused forms: sums and products inside loops.
    assert.ok(fusedAcross >= 20, `only ${fusedAcross} graphs had both a fused sum and a fused product`);
  });
});
