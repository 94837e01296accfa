/**
 * Per-op and per-gradient overhead of the tensor backends: the cost that
 * dominates small and medium models.
 */
import type { Ops } from "../../src/tensor/ops.js";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import { tfjsOps } from "../../src/tensor/tfjs/index.js";
import type { Tensor } from "../../src/tensor/types.js";
import { measure, table, type Contender } from "../harness.js";

const backends: [string, Ops][] = [
  ["numpy (ndarray f64)", ndarrayOps as unknown as Ops],
  ["pyro (tfjs f32)", tfjsOps as unknown as Ops],
];

function contenders(make: (ops: Ops) => () => void, inner: number): Contender[] {
  return backends.map(([name, ops]) => ({
    name,
    setup: () => {
      const f = make(ops);
      return { run: () => ops.tidy(() => { for (let i = 0; i < inner; i++) f(); }) };
    },
  }));
}

/** Runs the op-overhead micro-benchmarks; returns Markdown. */
export async function opsCase(repeats: number): Promise<string> {
  const inner = 1000;
  const perCall = (ms: number) => (ms * 1000) / inner; // µs per call
  const out: string[] = [];
  const cases: [string, (ops: Ops) => () => void][] = [
    ["add, two scalars", (ops) => { const a = ops.tensor(1.5), b = ops.tensor(2.5); ops.keep(a); ops.keep(b); return () => void ops.add(a, b); }],
    ["add, two 1000-vectors", (ops) => { const a = ops.ones([1000]), b = ops.ones([1000]); ops.keep(a); ops.keep(b); return () => void ops.add(a, b); }],
    ["valueAndGrad of a 4-op scalar function", (ops) => {
      const x = ops.keep(ops.tensor(0.7));
      const f = (xs: readonly Tensor[]) => ops.sum(ops.mul(ops.exp(ops.sin(xs[0]!)), ops.add(xs[0]!, 1)));
      return () => void ops.valueAndGrad(f, [x]);
    }],
  ];
  for (const [name, make] of cases) {
    const results = (await measure(`ops: ${name}`, contenders(make, inner), repeats)).map((r) => ({
      ...r,
      median: perCall(r.median),
    }));
    out.push(`**${name}**\n\n${table(results, "pyro (tfjs f32)", "µs per call")}`);
  }
  return out.join("\n\n");
}
