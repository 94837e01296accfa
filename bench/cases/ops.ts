/**
 * Per-op and per-gradient overhead of the tensor backends: the cost that
 * dominates small and medium models.
 */
import type { Ops } from "../../src/tensor/ops.js";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import { tfjsOps } from "../../src/tensor/tfjs/index.js";
import type { Tensor } from "../../src/tensor/types.js";
import { measure, type ContenderSpec, type Factory, type Result, type Timed } from "../harness.js";
import { find, fmt, mdTable, ok, row, times, type CaseReport } from "../report.js";

const BACKENDS: Record<string, Ops> = {
  numpy: ndarrayOps as unknown as Ops,
  tfjs: tfjsOps as unknown as Ops,
};

/** Calls per timed repetition. */
const CALLS = 1000;

const MICRO: Record<string, { label: string; make: (ops: Ops) => () => void }> = {
  addScalars: {
    label: "add, two scalars",
    make: (ops) => {
      const a = ops.keep(ops.tensor(1.5));
      const b = ops.keep(ops.tensor(2.5));
      return () => void ops.add(a, b);
    },
  },
  addVectors: {
    label: "add, two 1000-vectors",
    make: (ops) => {
      const a = ops.keep(ops.ones([1000]));
      const b = ops.keep(ops.ones([1000]));
      return () => void ops.add(a, b);
    },
  },
  grad4: {
    label: "valueAndGrad of a 4-op scalar function",
    make: (ops) => {
      const x = ops.keep(ops.tensor(0.7));
      const f = (xs: readonly Tensor[]) => ops.sum(ops.mul(ops.exp(ops.sin(xs[0]!)), ops.add(xs[0]!, 1)));
      return () => void ops.valueAndGrad(f, [x]);
    },
  },
};

function micro(p: { backend: string; micro: string }): Timed {
  const ops = BACKENDS[p.backend]!;
  const f = MICRO[p.micro]!.make(ops);
  return { run: () => ops.tidy(() => { for (let i = 0; i < CALLS; i++) f(); }) };
}

/** The contenders' factories (run in their child processes). */
export const factories: Record<string, Factory> = { micro: micro as Factory };

/** Runs the op-overhead micro-benchmarks; returns their report. */
export async function opsCase(): Promise<CaseReport> {
  const me = import.meta.url;
  const names = { numpy: "numpy (ndarray f64)", tfjs: "pyro (tfjs f32)" } as const;
  const all: Result[] = [];
  const sections: string[] = [];
  for (const [key, m] of Object.entries(MICRO)) {
    const specs: ContenderSpec[] = (["numpy", "tfjs"] as const).map((b) => ({ name: names[b], module: me, factory: "micro", params: { backend: b, micro: key } }));
    const results = await measure(`ops: ${m.label}`, specs, { rounds: 7, warmup: 3 });
    all.push(...results);
    const tfjs = find(results, names.tfjs);
    const us = (r: Result) => (r.median * 1000) / CALLS;
    const rows = results.map((r) => row(r, 3, (r) => [fmt(us(r)), ok(tfjs) ? times(us(r) / us(tfjs)) : "–"]));
    sections.push(`**${m.label}**\n\n${mdTable(["contender", "µs per call (median)", "÷ pyro (tfjs f32)"], rows)}`);
  }
  return {
    markdown: `Each repetition makes ${CALLS} calls inside one \`ops.tidy\`; 7 rounds per contender after 3 untimed repetitions.\n\n${sections.join("\n\n")}`,
    results: all,
    targets: [],
  };
}
