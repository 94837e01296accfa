/**
 * The kernels of the unary elementwise ops and of their vector-Jacobian
 * products. Each is its own function so each loop stays monomorphic (V8 then
 * inlines the arithmetic); see `iter.ts` for how they are driven.
 *
 * Gradient kernels take the output cotangent `g` as their first operand and
 * the op's input `x` or output `y` as their second (`v`).
 *
 * @module
 */
import type { BinaryKernel, UnaryKernel } from "./iter.js";

/** Numerically stable logistic function of one number. */
export function sigmoid1(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Numerically stable `log(1 + eˣ)` of one number. */
export function softplus1(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Rounds half to even, as numpy does (`round(2.5) = 2`, `round(-0.5) = -0`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Kernel: -x. */
export const negK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = -a[ai + i]!;
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = -a[ai]!;
};
/** Kernel: eˣ. */
export const expK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.exp(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.exp(a[ai]!);
};
/** Kernel: log x. */
export const logK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.log(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log(a[ai]!);
};
/** Kernel: log(1 + x). */
export const log1pK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.log1p(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log1p(a[ai]!);
};
/** Kernel: eˣ - 1. */
export const expm1K: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.expm1(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.expm1(a[ai]!);
};
/** Kernel: √x. */
export const sqrtK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.sqrt(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sqrt(a[ai]!);
};
/** Kernel: x². */
export const squareK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! * a[ai + i]!;
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai]! * a[ai]!;
};
/** Kernel: 1 / x. */
export const reciprocalK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = 1 / a[ai + i]!;
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 1 / a[ai]!;
};
/** Kernel: |x|. */
export const absK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.abs(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.abs(a[ai]!);
};
/** Kernel: sign x. */
export const signK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.sign(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sign(a[ai]!);
};
/** Kernel: ⌊x⌋. */
export const floorK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.floor(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.floor(a[ai]!);
};
/** Kernel: ⌈x⌉. */
export const ceilK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.ceil(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.ceil(a[ai]!);
};
/** Kernel: x rounded half to even. */
export const roundK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = roundHalfEven(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = roundHalfEven(a[ai]!);
};
/** Kernel: 1 / (1 + e⁻ˣ). */
export const sigmoidK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = sigmoid1(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = sigmoid1(a[ai]!);
};
/** Kernel: log(1 + eˣ). */
export const softplusK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = softplus1(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = softplus1(a[ai]!);
};
/** Kernel: tanh x. */
export const tanhK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.tanh(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.tanh(a[ai]!);
};
/** Kernel: sin x. */
export const sinK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.sin(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sin(a[ai]!);
};
/** Kernel: cos x. */
export const cosK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.cos(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.cos(a[ai]!);
};
/** Kernel: tan x. */
export const tanK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.tan(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.tan(a[ai]!);
};
/** Kernel: atan x. */
export const atanK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  if (so === 1 && sa === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.atan(a[ai + i]!);
  else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.atan(a[ai]!);
};

/** Kernel: g·v. */
export const mulG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * b[bi]!;
};
/** Kernel: g / v. */
export const divG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / b[bi]!;
};
/** Kernel: g / (1 + x): the VJP of log1p. */
export const log1pG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / (1 + b[bi]!);
};
/** Kernel: g·(y + 1): the VJP of expm1. */
export const expm1G: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * (b[bi]! + 1);
};
/** Kernel: g / (2y): the VJP of sqrt. */
export const sqrtG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = (0.5 * a[ai]!) / b[bi]!;
};
/** Kernel: 2g·x: the VJP of square. */
export const squareG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = 2 * a[ai]! * b[bi]!;
};
/** Kernel: -g·y²: the VJP of reciprocal. */
export const reciprocalG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = -a[ai]! * b[bi]! * b[bi]!;
};
/** Kernel: g·sign(x): the VJP of abs. */
export const absG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = b[bi]! > 0 ? a[ai]! : b[bi]! < 0 ? -a[ai]! : 0;
};
/** Kernel: g·y·(1 - y): the VJP of sigmoid. */
export const sigmoidG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * b[bi]! * (1 - b[bi]!);
};
/** Kernel: g·sigmoid(x): the VJP of softplus. */
export const softplusG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * sigmoid1(b[bi]!);
};
/** Kernel: g·(1 - y²): the VJP of tanh. */
export const tanhG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * (1 - b[bi]! * b[bi]!);
};
/** Kernel: g·cos x: the VJP of sin. */
export const sinG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * Math.cos(b[bi]!);
};
/** Kernel: -g·sin x: the VJP of cos. */
export const cosG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = -a[ai]! * Math.sin(b[bi]!);
};
/** Kernel: g·(1 + y²): the VJP of tan. */
export const tanG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * (1 + b[bi]! * b[bi]!);
};
/** Kernel: g / (1 + x²): the VJP of atan. */
export const atanG: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / (1 + b[bi]! * b[bi]!);
};
