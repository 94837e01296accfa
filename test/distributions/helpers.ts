/**
 * Shared test setup for the distributions layer: the backends every test
 * runs on, tolerance helpers, a JS broadcasting helper for reference values,
 * and Monte Carlo statistics.
 *
 * Tolerances (used by {@link assertLogProbs}): a log density is a sum of
 * terms t_j, each computed with at most ~10 rounding ops of relative error
 * ε/2 (ε = 2⁻²³ for float32, 2⁻⁵² for float64) on values bounded by
 * M = Σ|t_j|; rounding the inputs θ_i to the backend dtype moves the result by
 * at most S·ε/2 with the condition sum S = Σ_i |θ_i ∂f/∂θ_i|. So
 * |error| ≤ ~(10M + S)·ε, and we allow 64·ε·(1 + M + S). The float64 JS
 * references (Math, @stdlib gammaln/digamma/erf) are accurate to a few ε₆₄·M,
 * inside that bound for both dtypes. S is measured on the reference by
 * central differences.
 *
 * @module
 */
import assert from "node:assert/strict";
import { makeDistributionsModule, type DistributionsModule } from "../../src/distributions/index.js";
import { ndarrayOps } from "../../src/tensor/ndarray/index.js";
import type { Ops } from "../../src/tensor/ops.js";
import { tfjsOps } from "../../src/tensor/tfjs/index.js";
import type { NestedArray, Tensor } from "../../src/tensor/types.js";

/** One backend under test. */
export interface Backend {
  readonly name: string;
  readonly ops: Ops;
  /** Machine epsilon of the backend's dtype. */
  readonly eps: number;
  /** The distributions module with validation on. */
  readonly dist: DistributionsModule;
  /** The distributions module with validation off. */
  readonly distNoValidate: DistributionsModule;
}

function backend(name: string, ops: Ops): Backend {
  return {
    name, ops, eps: ops.dtype === "float32" ? 2 ** -23 : 2 ** -52,
    dist: makeDistributionsModule({ ops, validateArgs: true }),
    distNoValidate: makeDistributionsModule({ ops, validateArgs: false }),
  };
}

/** tfjs (float32). */
export const tfjs = backend("tfjs", tfjsOps as unknown as Ops);
/** ndarray (float64). */
export const ndarray = backend("ndarray", ndarrayOps as unknown as Ops);
/** Every backend. */
export const backends: readonly Backend[] = [tfjs, ndarray];

/** The values of `t` as a flat float64 array. */
export function flat(ops: Ops, t: Tensor): number[] {
  return Array.from(ops.toFlat(ops.toFloat(t)));
}

/** The shape of a nested array. */
export function shapeOf(x: NestedArray): number[] {
  return Array.isArray(x) ? [x.length, ...shapeOf((x as NestedArray[])[0]!)] : [];
}

/** A nested array flattened row-major. */
export function flatten(x: NestedArray): number[] {
  return Array.isArray(x) ? (x as NestedArray[]).flatMap(flatten) : [Number(x)];
}

/**
 * The numpy broadcast of nested arrays: the shape and, for every element of
 * it, the tuple of the arguments' values there.
 */
export function broadcastRows(args: readonly NestedArray[]): { shape: number[]; rows: number[][] } {
  const shapes = args.map(shapeOf);
  const rank = Math.max(...shapes.map((s) => s.length));
  const shape = new Array<number>(rank).fill(1);
  for (const s of shapes) s.forEach((d, i) => {
    const j = rank - s.length + i;
    if (d !== 1) shape[j] = d;
  });
  const datas = args.map(flatten);
  const size = shape.reduce((a, b) => a * b, 1);
  const rows: number[][] = [];
  for (let f = 0; f < size; f++) {
    const idx: number[] = [];
    let r = f;
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = r % shape[i]!;
      r = Math.floor(r / shape[i]!);
    }
    rows.push(shapes.map((s, a) => {
      let off = 0;
      for (let i = 0; i < s.length; i++) off = off * s[i]! + (s[i] === 1 ? 0 : idx[rank - s.length + i]!);
      return datas[a]![off]!;
    }));
  }
  return { shape, rows };
}

/** A reference: the value and the magnitude M = Σ|terms| of a log density at scalar arguments. */
export type Reference = (...args: number[]) => [value: number, magnitude: number];

/** The condition sum S = Σ_i |θ_i ∂f/∂θ_i| of `ref` at `args` (central differences). */
export function conditionSum(ref: Reference, args: readonly number[]): number {
  let s = 0;
  args.forEach((a, i) => {
    if (a === 0) return;
    const h = 1e-6 * Math.abs(a);
    const at = (d: number) => ref(...args.map((b, j) => (j === i ? b + d : b)))[0];
    s += Math.abs((a * (at(h) - at(-h))) / (2 * h));
  });
  return s;
}

/**
 * Asserts `actual` has the broadcast shape of `args` and matches `ref`
 * elementwise within 64·ε·(1 + M + S) (see the module comment).
 */
export function assertLogProbs(be: Backend, actual: Tensor, args: readonly NestedArray[], ref: Reference): void {
  const { shape, rows } = broadcastRows(args);
  assert.deepEqual([...actual.shape], shape, "shape");
  const got = flat(be.ops, actual);
  rows.forEach((row, i) => {
    const [want, m] = ref(...row);
    const tol = 64 * be.eps * (1 + m + conditionSum(ref, row));
    assert.ok(Math.abs(got[i]! - want) <= tol,
      `${be.name}: element ${i} (args ${row.join(", ")}): got ${got[i]}, want ${want} (tol ${tol.toExponential(2)})`);
  });
}

/** Asserts `|actual - expected| <= tol` with a helpful message. */
export function assertNear(actual: number, expected: number, tol: number, what = "value"): void {
  assert.ok(Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, want ${expected} ± ${tol.toExponential(2)} (off by ${Math.abs(actual - expected).toExponential(2)})`);
}

/** Sample mean and (unbiased) variance of numbers. */
export function moments(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return { mean: m, variance: v / (n - 1) };
}

/**
 * Asserts the sample mean and variance of `xs` are within 4 standard errors
 * of `mean` and `variance`: SE(mean) = σ/√n, SE(variance) = √((μ₄ - σ⁴)/n)
 * with the 4th central moment μ₄. Four SEs: a correct sampler fails a check
 * with probability ≈ 6e-5 (and the keys are fixed, so the tests are
 * deterministic).
 */
export function assertMoments(xs: readonly number[], mean: number, variance: number, mu4: number, what: string): void {
  const n = xs.length;
  const s = moments(xs);
  assertNear(s.mean, mean, 4 * Math.sqrt(variance / n), `${what} mean`);
  assertNear(s.variance, variance, 4 * Math.sqrt((mu4 - variance ** 2) / n), `${what} variance`);
}

/** Asserts an observed frequency `k / n` is within 4 SE of probability `p`. */
export function assertFrequency(k: number, n: number, p: number, what: string): void {
  assertNear(k / n, p, 4 * Math.sqrt((p * (1 - p)) / n), what);
}

/** Asserts `f` throws an error of class `cls` whose message contains `substring`. */
export function assertThrowsWith(f: () => unknown, cls: new (...args: never[]) => Error, substring: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.ok(e.message.includes(substring), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(substring)}`);
    return true;
  });
}
