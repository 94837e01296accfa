// Shared helpers of the tfjs ops tests (see tfjs-ops.test.ts for how tolerances are derived).
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { broadcastIndex } from "../../src/tensor/kernels/linalg.js";
import { tfjsOps as ops } from "../../src/tensor/tfjs/index.js";
import type { NestedArray } from "../../src/tensor/types.js";


export type T = tf.Tensor;

/** Flat values and shape of a nested array. */
export function flat(a: NestedArray): { v: number[]; s: number[] } {
  const s: number[] = [];
  for (let c: NestedArray = a; Array.isArray(c); c = (c as NestedArray[])[0]!) s.push(c.length);
  const v: number[] = [];
  const walk = (x: NestedArray): void => {
    if (Array.isArray(x)) (x as NestedArray[]).forEach(walk);
    else v.push(Number(x));
  };
  walk(a);
  return { v, s };
}

/** Asserts `actual` (a tensor) equals `expected` within `atol + rtol·|expected|`, shapes included. */
export function near(actual: T, expected: NestedArray, rtol = 1e-6, atol = 1e-7): void {
  const e = flat(expected);
  assert.deepEqual(actual.shape, e.s, `shape ${actual.shape} vs ${e.s}`);
  const a = ops.toFlat(actual);
  e.v.forEach((ev, i) => {
    const av = a[i]!;
    const ok = Object.is(av, ev) || av === ev || Math.abs(av - ev) <= atol + rtol * Math.abs(ev);
    assert.ok(ok, `element ${i}: got ${av}, expected ${ev} (all: ${Array.from(a)})`);
  });
}

/** Deterministic non-uniform weights 0.5 … 1.5 (small multiples of 1/4). */
export const weight = (k: number) => 0.5 + ((k * 7) % 5) / 4;

/** Σₖ wₖ f(x)ₖ as a tfjs scalar. */
export function weighted(y: T): T {
  const w = ops.fromFlat(Array.from({ length: y.size }, (_, k) => weight(k)), y.shape);
  return ops.sum(ops.mul(y, w));
}

export interface Input {
  data: number[];
  shape: number[];
}

/**
 * Checks ops.valueAndGrad of `Σ w f(xs)` against central differences of a
 * float64 reference `ref` (which returns f's flat values).
 */
export function gradCheck(f: (xs: readonly T[]) => T, ref: (xs: number[][]) => number[], inputs: Input[], tol = 1e-4, h = 1e-4): void {
  const xs = inputs.map((i) => i.data.map(Math.fround));
  const loss = (v: number[]) => v.reduce((s, y, k) => s + weight(k) * y, 0);
  const ts = inputs.map((inp, k) => ops.fromFlat(xs[k]!, inp.shape));
  const { value, grads } = ops.valueAndGrad((a) => weighted(f(a)), ts);
  const v0 = loss(ref(xs));
  assert.ok(Math.abs(ops.item(value) - v0) <= tol * (1 + Math.abs(v0)), `value ${ops.item(value)} vs ${v0}`);
  xs.forEach((x, k) => {
    const g = ops.toFlat(grads[k]!);
    assert.deepEqual(grads[k]!.shape, inputs[k]!.shape);
    x.forEach((_, j) => {
      const at = (d: number) => loss(ref(xs.map((y, m) => (m === k ? y.map((u, n) => (n === j ? u + d : u)) : y))));
      const fd = (at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(g[j]! - fd) <= tol * (1 + Math.abs(fd)), `input ${k} element ${j}: autodiff ${g[j]}, finite difference ${fd}`);
    });
  });
  ops.dispose([value, ...grads, ...ts]);
}

/** Checks the gradient of a map linear in each input with exact unit-step differences of its own forward. */
export function linearGradCheck(f: (xs: readonly T[]) => T, inputs: Input[], tol = 1e-5): void {
  const ref = (xs: number[][]) =>
    ops.tidy(() => Array.from(ops.toFlat(f(xs.map((x, k) => ops.fromFlat(x, inputs[k]!.shape))))));
  gradCheck(f, ref, inputs, tol, 1);
}

/** JS reference of a broadcasting binary op on flat data. */
export function broadcast2(a: Input, b: Input, f: (x: number, y: number) => number) {
  const r = Math.max(a.shape.length, b.shape.length);
  const pad = (s: number[]) => [...Array<number>(r - s.length).fill(1), ...s];
  const out = pad(a.shape).map((d, i) => Math.max(d, pad(b.shape)[i]!));
  const ia = broadcastIndex(out, a.shape);
  const ib = broadcastIndex(out, b.shape);
  return (xs: number[][]) => Array.from(ia, (j, k) => f(xs[0]![j]!, xs[1]![ib[k]!]!));
}

