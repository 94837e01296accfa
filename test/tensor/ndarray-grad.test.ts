/**
 * Generated gradient check of every differentiable op of the `ndarray`
 * backend: for random inputs of random shapes (fixed seed), the reverse-mode
 * gradient of `F(xs) = Σ w · op(xs)` (random weights `w`) must match central
 * finite differences in float64.
 *
 * Why a relative error below 1e-6 holds. The central difference
 * `(F(x + h) − F(x − h)) / 2h` with `h = 1e-6·max(1, |x|)` has
 *  - truncation error `h²·|F'''|/6`: inputs lie in `|x| ≤ 3` and each op's
 *    domain is chosen away from singularities (log, sqrt, lgamma, digamma on
 *    [0.5, 3]; reciprocal and abs at |x| ≥ 0.5; tan on |x| ≤ 1.2; erfinv on
 *    |x| ≤ 0.9; clamp away from its bounds; no ties for max/min), so
 *    `|F'''| ≲ 1e3` and the error is ≲ 9e-12·1e3/6 ≈ 2e-9;
 *  - rounding error `≈ ε·Σ|terms| / h`: with ε = 2⁻⁵² ≈ 2.2e-16, at most ~50
 *    terms of size ≲ 10 and a few roundings each, `ε·Σ|terms| ≲ 1e-13`, i.e.
 *    ≲ 1e-7 after dividing by `2h = 2e-6`.
 * Both are well below 1e-6 of `max(1, |∂F|)`, the scale the error is
 * measured against (an absolute floor of 1 so that gradients that are ~0 by
 * cancellation are not held to a relative bound they cannot meet).
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NDArray, ndarrayOps as ops } from "../../src/tensor/ndarray/index.js";
import { mulberry32 as rng } from "../seeded-rng.js";

// ------------------------------------------------------------------ random
const rand = rng(20240601);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The values an input is drawn from. */
type Domain = "real" | "positive" | "unit" | "nonzero" | "clampSafe";
function draw(domain: Domain): number {
  switch (domain) {
    case "real":
      return uniform(-2, 2);
    case "positive":
      return uniform(0.5, 3);
    case "unit":
      return uniform(-0.9, 0.9);
    case "nonzero":
      return (rand() < 0.5 ? -1 : 1) * uniform(0.5, 2);
    case "clampSafe": {
      // Clamp to [-0.5, 0.5]: stay 0.05 away from both bounds.
      const v = uniform(-1, 1);
      return Math.abs(Math.abs(v) - 0.5) < 0.05 ? v * 0.5 : v;
    }
  }
}

/** A random shape of rank in [lo, hi] with sizes 1–4. */
const randShape = (lo = 0, hi = 3): number[] => Array.from({ length: randInt(lo, hi) }, () => randInt(1, 4));

/** A shape that broadcasts to `s`: some leading axes dropped, some sizes set to 1. */
const broadcastable = (s: readonly number[]): number[] => s.slice(randInt(0, s.length)).map((d) => (rand() < 0.3 ? 1 : d));

// ---------------------------------------------------------------- the check
interface Input {
  readonly shape: readonly number[];
  readonly domain: Domain;
  /** Fixed data instead of random draws (e.g. an SPD construction). */
  readonly data?: readonly number[];
}

interface Case {
  readonly label: string;
  readonly inputs: readonly Input[];
  readonly f: (xs: readonly NDArray[]) => NDArray;
}

const inp = (shape: readonly number[], domain: Domain = "real"): Input => ({ shape, domain });

function check(c: Case): void {
  const xs = c.inputs.map((i) => (i.data ? [...i.data] : Array.from({ length: size(i.shape) }, () => draw(i.domain))));
  const arrays = (vals: number[][]) => vals.map((v, k) => ops.fromFlat(v, c.inputs[k]!.shape));
  const y0 = c.f(arrays(xs));
  const w = ops.fromFlat(Array.from({ length: size(y0.shape) }, () => uniform(-1, 1)), y0.shape);
  const F = (a: readonly NDArray[]) => ops.sum(ops.mul(c.f(a), w));
  const { value, grads } = ops.valueAndGrad(F, arrays(xs));
  assert.equal(ops.item(value), ops.item(F(arrays(xs))), `${c.label}: value`);
  xs.forEach((x, k) => {
    const g = ops.toFlat(grads[k]!);
    assert.deepEqual([...grads[k]!.shape], [...c.inputs[k]!.shape], `${c.label}: gradient shape of input ${k}`);
    x.forEach((v, j) => {
      const h = 1e-6 * Math.max(1, Math.abs(v));
      const at = (d: number) => {
        const moved = xs.map((y, m) => (m === k ? y.map((u, n) => (n === j ? u + d : u)) : y));
        return ops.item(F(arrays(moved)));
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      const err = Math.abs(g[j]! - fd) / Math.max(1, Math.abs(g[j]!), Math.abs(fd));
      assert.ok(err < 1e-6, `${c.label}: input ${k} element ${j} (x = ${v}): autodiff ${g[j]}, finite difference ${fd}, error ${err}`);
    });
  });
}

/** `n` cases from a generator. */
const times = (n: number, gen: (i: number) => Case): Case[] => Array.from({ length: n }, (_, i) => gen(i));

// ---------------------------------------------------------------- the ops
type Unary = (x: NDArray) => NDArray;
const unaryOps: [string, Unary, Domain][] = [
  ["neg", ops.neg, "real"], ["exp", ops.exp, "real"], ["log", ops.log, "positive"], ["log1p", ops.log1p, "positive"],
  ["expm1", ops.expm1, "real"], ["sqrt", ops.sqrt, "positive"], ["square", ops.square, "real"],
  ["reciprocal", ops.reciprocal, "nonzero"], ["abs", ops.abs, "nonzero"], ["sigmoid", ops.sigmoid, "real"],
  ["softplus", ops.softplus, "real"], ["tanh", ops.tanh, "real"], ["sin", ops.sin, "real"], ["cos", ops.cos, "real"],
  ["tan", (x) => ops.tan(ops.mul(x, 0.6)), "real"], ["atan", ops.atan, "real"], ["lgamma", ops.lgamma, "positive"],
  ["digamma", ops.digamma, "positive"], ["erf", ops.erf, "real"], ["erfinv", ops.erfinv, "unit"],
  ["clamp", (x) => ops.clamp(x, -0.5, 0.5), "clampSafe"], ["toFloat", ops.toFloat, "real"],
  ["elementwise", (x) => ops.elementwise(x, (d) => ({ value: d.map(Math.sin), derivative: d.map(Math.cos) })), "real"],
];

type Binary = (a: NDArray, b: NDArray) => NDArray;
const binaryOps: [string, Binary, Domain, Domain][] = [
  ["add", ops.add, "real", "real"], ["sub", ops.sub, "real", "real"], ["mul", ops.mul, "real", "real"],
  ["div", ops.div, "real", "nonzero"], ["pow", ops.pow, "positive", "real"],
  ["maximum", ops.maximum, "real", "real"], ["minimum", ops.minimum, "real", "real"],
  ["binaryCrossEntropyWithLogits", ops.binaryCrossEntropyWithLogits, "real", "real"],
];
/** Broadcasting pairs: fixed interesting ones, then random ones. */
const pairs = (): [number[], number[]][] => [
  [[3, 1], [4]], [[], [2, 3]], [[2, 3], []], [[4], [3, 1]], [[2, 1, 3], [4, 1]],
  ...Array.from({ length: 4 }, () => {
    const s = randShape(1, 3);
    return (rand() < 0.5 ? [s, broadcastable(s)] : [broadcastable(s), s]) as [number[], number[]];
  }),
];

type Reduce = (x: NDArray, arg?: { axis?: number | number[]; keepdims?: boolean }) => NDArray;
const reduceOps: [string, Reduce][] = [
  ["sum", ops.sum], ["mean", ops.mean], ["prod", ops.prod], ["max", ops.max], ["min", ops.min], ["logsumexp", ops.logsumexp],
];
/** A random reduction argument for a rank-`r` array. */
function randReduce(r: number): { axis?: number | number[]; keepdims?: boolean } {
  const keepdims = rand() < 0.5;
  const pick = rand();
  if (pick < 0.25 || r === 0) return { keepdims };
  if (pick < 0.7) return { axis: randInt(-r, r - 1), keepdims };
  const axes = Array.from({ length: r }, (_, i) => i).filter(() => rand() < 0.6);
  return { axis: axes, keepdims };
}

const randPerm = (r: number): number[] => {
  const p = Array.from({ length: r }, (_, i) => i);
  for (let i = r - 1; i > 0; i--) {
    const j = randInt(0, i);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
};

const randIdx = (n: number, shape: readonly number[]) =>
  ops.fromFlat(Array.from({ length: size(shape) }, () => randInt(-n, n - 1)), shape);

/** Data of a matrix with a dominant diagonal (well conditioned for solves). */
const dominant = (batch: readonly number[], n: number): number[] =>
  Array.from({ length: size(batch) * n * n }, (_, k) => ((k % (n * n)) % (n + 1) === 0 ? 3 + rand() : uniform(-1, 1)));

const mT = (x: NDArray): NDArray => {
  const r = x.shape.length;
  return ops.transpose(x, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
};

/** One named group of cases. */
const S = (name: string, cases: Case[]): [string, Case[]] => [name, cases];

const suites: [string, Case[]][] = [
  ...unaryOps.map(([name, f, dom]): [string, Case[]] => [
    name,
    [
      ...times(4, () => {
        const s = randShape();
        return { label: `${name} [${s}]`, inputs: [inp(s, dom)], f: ([x]) => f(x!) };
      }),
      // A strided (transposed) input.
      { label: `${name} of a transposed view`, inputs: [inp([2, 3], dom)], f: ([x]) => f(ops.transpose(x!)) },
      // A broadcast (stride-0) input.
      { label: `${name} of a broadcast view`, inputs: [inp([2, 1], dom)], f: ([x]) => f(ops.expand(x!, [3, 2, 2])) },
    ],
  ]),
  ...binaryOps.map(([name, f, da, db]): [string, Case[]] => [
    name,
    pairs().map(([sa, sb]) => ({ label: `${name} [${sa}] × [${sb}]`, inputs: [inp(sa, da), inp(sb, db)], f: ([a, b]) => f(a!, b!) })),
  ]),
  S("where",
    pairs().map(([sa, sb]) => {
      const cond = ops.fromFlat(Array.from({ length: size(sb) }, () => (rand() < 0.5 ? 1 : 0)), sb);
      return { label: `where [${sb}] ? [${sa}] : [${sb}]`, inputs: [inp(sa), inp(sb)], f: ([a, b]) => ops.where(cond, a!, b!) };
    }),
  ),
  ...reduceOps.map(([name, f]): [string, Case[]] => [
    name,
    times(6, () => {
      const s = randShape(1, 3);
      const arg = randReduce(s.length);
      return { label: `${name} [${s}] ${JSON.stringify(arg)}`, inputs: [inp(s)], f: ([x]) => f(x!, arg) };
    }),
  ]),
  S("cumsum",
    times(6, () => {
      const s = randShape(1, 3);
      const axis = randInt(-s.length, s.length - 1);
      const opt = { reverse: rand() < 0.5, exclusive: rand() < 0.5 };
      return { label: `cumsum [${s}] axis ${axis} ${JSON.stringify(opt)}`, inputs: [inp(s)], f: ([x]) => ops.cumsum(x!, axis, opt) };
    }),
  ),
  S("reshape",
    [
      { label: "reshape [2,3,2] → [3,-1]", inputs: [inp([2, 3, 2])], f: ([x]) => ops.reshape(x!, [3, -1]) },
      { label: "reshape of a transposed view", inputs: [inp([2, 3])], f: ([x]) => ops.reshape(ops.transpose(x!), [6]) },
    ],
  ),
  S("expand",
    [
      { label: "expand [3,1] → [2,3,4]", inputs: [inp([3, 1])], f: ([x]) => ops.mul(ops.expand(x!, [2, 3, 4]), ops.arange(4)) },
      { label: "expand [] → [3]", inputs: [inp([])], f: ([x]) => ops.expand(x!, [3]) },
    ],
  ),
  S("squeeze/unsqueeze",
    [
      { label: "squeeze [1,3,1]", inputs: [inp([1, 3, 1])], f: ([x]) => ops.squeeze(x!) },
      { label: "squeeze axis -1", inputs: [inp([2, 1])], f: ([x]) => ops.squeeze(x!, -1) },
      { label: "unsqueeze of a view", inputs: [inp([2, 3])], f: ([x]) => ops.mul(ops.unsqueeze(ops.transpose(x!), 1), [1, 2]) },
    ],
  ),
  S("transpose",
    times(3, () => {
      const s = randShape(2, 4);
      const p = randPerm(s.length);
      return { label: `transpose [${s}] by [${p}]`, inputs: [inp(s)], f: ([x]) => ops.transpose(x!, p) };
    }),
  ),
  S("concat/stack/unstack",
    [
      { label: "concat axis 1", inputs: [inp([2, 3]), inp([2, 1])], f: ([a, b]) => ops.concat([a!, b!], 1) },
      { label: "concat axis -1 of views", inputs: [inp([3, 2]), inp([2, 2])], f: ([a, b]) => ops.concat([ops.transpose(a!), b!], -1) },
      { label: "stack axis -1", inputs: [inp([3]), inp([3])], f: ([a, b]) => ops.stack([a!, b!], -1) },
      {
        label: "unstack axis 1",
        inputs: [inp([2, 3])],
        f: ([x]) => ops.stack(ops.unstack(x!, 1).map((p, i) => ops.mul(p, ops.mul(p, i + 1))), 0),
      },
    ],
  ),
  S("slice/pad",
    [
      { label: "slice", inputs: [inp([3, 4])], f: ([x]) => ops.slice(x!, [1, 1], [2, -1]) },
      { label: "slice of a view", inputs: [inp([3, 4])], f: ([x]) => ops.slice(ops.transpose(x!), [2, 0], [2, 2]) },
      { label: "pad", inputs: [inp([2, 2])], f: ([x]) => ops.pad(x!, [[1, 0], [2, 1]], 3) },
    ],
  ),
  S("take/index",
    [
      ...times(3, () => {
        const s = randShape(1, 3);
        const axis = randInt(-s.length, s.length - 1);
        const n = s[axis < 0 ? axis + s.length : axis]!;
        const idx = randIdx(n, randShape(0, 2));
        return { label: `take [${s}] axis ${axis} idx [${idx.shape}]`, inputs: [inp(s)], f: ([x]) => ops.take(x!, idx, axis) };
      }),
      { label: "index with repeats", inputs: [inp([3, 2])], f: ([x]) => ops.index(x!, [[0, 2], [2, 2]]) },
    ],
  ),
  S("takeAlongAxis",
    [
      { label: "takeAlongAxis axis 1", inputs: [inp([2, 4])], f: ([x]) => ops.takeAlongAxis(x!, [[3, 0, 3], [1, 1, 2]], 1) },
      { label: "takeAlongAxis broadcasting x", inputs: [inp([1, 4])], f: ([x]) => ops.takeAlongAxis(x!, [[3], [1], [1]], -1) },
      { label: "takeAlongAxis broadcasting idx", inputs: [inp([3, 2, 2])], f: ([x]) => ops.takeAlongAxis(x!, [[[1], [0]]], 0) },
    ],
  ),
  S("diagonal/diagEmbed",
    [
      { label: "diagonal [2,3,3]", inputs: [inp([2, 3, 3])], f: ([x]) => ops.diagonal(x!) },
      { label: "diagEmbed [2,3]", inputs: [inp([2, 3])], f: ([x]) => ops.diagEmbed(x!) },
    ],
  ),
  S("matmul",
    (
      [
        [[2, 3], [3, 4]], [[3], [3, 2]], [[2, 3], [3]], [[3], [3]], [[2, 1, 2, 3], [3, 3, 2]], [[4, 2, 3], [3, 2]], [[1, 3], [2, 3, 1]],
      ] as [number[], number[]][]
    ).map(([sa, sb]) => ({ label: `matmul [${sa}] @ [${sb}]`, inputs: [inp(sa), inp(sb)], f: ([a, b]) => ops.matmul(a!, b!) })),
  ),
  S("matmul of views",
    [{ label: "matmul aᵀ @ bᵀ", inputs: [inp([3, 2]), inp([4, 3])], f: ([a, b]) => ops.matmul(ops.transpose(a!), ops.transpose(b!)) }],
  ),
  S("cholesky",
    // The input M parametrizes the SPD matrix A = M Mᵀ + n·I, so finite
    // differences move A only along symmetric directions.
    ([[3], [2, 3]] as number[][]).map((batch) => {
      const s = [...batch, 3, 3];
      return {
        label: `cholesky [${s}]`,
        inputs: [inp(s)],
        f: ([m]) => ops.cholesky(ops.add(ops.matmul(m!, mT(m!)), ops.mul(3, ops.eye(3)))),
      };
    }),
  ),
  S("triangularSolve",
    (
      [
        [[3, 3], [3, 2], true, false], [[3, 3], [3, 2], true, true], [[3, 3], [3, 2], false, false], [[3, 3], [3, 1], false, true],
        [[2, 3, 3], [3, 2], true, false], [[3, 3], [2, 3, 1], false, true],
      ] as [number[], number[], boolean, boolean][]
    ).map(([sa, sb, lower, transpose]) => ({
      label: `triangularSolve [${sa}] [${sb}] lower ${lower} transpose ${transpose}`,
      inputs: [{ shape: sa, domain: "real" as Domain, data: dominant(sa.slice(0, -2), 3) }, inp(sb)],
      f: ([a, b]: readonly NDArray[]) => ops.triangularSolve(a!, b!, { lower, transpose }),
    })),
  ),
  S("custom",
    [
      {
        label: "custom x³ with a broadcast second input",
        inputs: [inp([2, 3]), inp([3])],
        f: ([x, b]) =>
          ops.custom(
            [x!, b!],
            ([d, e], [s]) => ({ data: d!.map((v, i) => v * v * v + e![i % 3]!), shape: s! }),
            (dy, _y, [v]) => [ops.mul(dy, ops.mul(3, ops.square(v!))), dy], // dy is summed to b's shape
          ),
      },
    ],
  ),
];

describe("ndarray gradient check (central differences, relative error < 1e-6)", () => {
  for (const [name, cases] of suites) {
    it(`${name} (${cases.length} cases)`, () => {
      for (const c of cases) check(c);
    });
  }
});
