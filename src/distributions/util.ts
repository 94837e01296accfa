/**
 * Small numeric and shape helpers shared by the distribution families.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { DType, Shape, Tensor, TensorLike } from "../tensor/types.js";

/** `½ log(2π)`, the normal density's normalising constant. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Machine limits of a floating point type (numpy's `finfo`). */
export interface FloatInfo {
  /** The gap between 1 and the next representable number. */
  readonly eps: number;
  /** The smallest positive normal number. */
  readonly tiny: number;
}

/** The machine limits of `dtype`: what probabilities and samples are clamped with. */
export function finfo(dtype: DType): FloatInfo {
  return dtype === "float32"
    ? { eps: 2 ** -23, tiny: 2 ** -126 }
    : { eps: Number.EPSILON, tiny: 2 ** -1022 };
}

/** `x` as a tensor of `ops` (tensors pass through unchanged). */
export function asTensor(ops: Ops, x: TensorLike): Tensor {
  return ops.isTensor(x) ? x : ops.tensor(x);
}

/** `x` summed over its `n` rightmost dims (`x` itself when `n` is 0). */
export function sumRightmost(ops: Ops, x: Tensor, n: number): Tensor {
  if (n <= 0) return x;
  const rank = x.shape.length;
  const axes = Array.from({ length: n }, (_, i) => rank - n + i);
  return ops.sum(x, axes);
}

/** `shape` without its `n` rightmost dims. */
export function dropRightmost(shape: Shape, n: number): Shape {
  return n <= 0 ? shape : shape.slice(0, Math.max(shape.length - n, 0));
}

/** The `n` rightmost dims of `shape` (`[]` when `n` is 0). */
export function takeRightmost(shape: Shape, n: number): Shape {
  return n <= 0 ? [] : shape.slice(Math.max(shape.length - n, 0));
}

/** `x` (a mask or a tensor) as a flat array of plain numbers, in row-major order. */
export function flatNumbers(ops: Ops, x: TensorLike): Float64Array {
  return Float64Array.from(ops.toFlat(ops.toFloat(x)));
}

/** `x` broadcast to `shape`, without a copy when it already has that shape. */
export function expandTo(ops: Ops, x: Tensor, shape: Shape): Tensor {
  const s = x.shape;
  if (s.length === shape.length && s.every((d, i) => d === shape[i])) return x;
  return ops.expand(x, shape);
}

/** `a log x`, defined as 0 where `a` is 0 (so `0 log 0 = 0`, as scipy's `xlogy`). */
export function xlogy(ops: Ops, a: TensorLike, x: TensorLike): Tensor {
  return ops.where(ops.eq(a, 0), 0, ops.mul(a, ops.log(x)));
}

/** `a log(1 + x)`, defined as 0 where `a` is 0 (scipy's `xlog1py`). */
export function xlog1py(ops: Ops, a: TensorLike, x: TensorLike): Tensor {
  return ops.where(ops.eq(a, 0), 0, ops.mul(a, ops.log1p(x)));
}

/** `log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b)`. */
export function logBeta(ops: Ops, a: TensorLike, b: TensorLike): Tensor {
  return ops.sub(ops.add(ops.lgamma(a), ops.lgamma(b)), ops.lgamma(ops.add(a, b)));
}

/**
 * The log density of a half distribution (a symmetric density folded onto
 * `x >= 0`): `log 2 + logDensity` for `x >= 0`, `-∞` below.
 */
export function halfLogProb(ops: Ops, x: Tensor, logDensity: Tensor): Tensor {
  return ops.where(ops.ge(x, 0), ops.add(logDensity, Math.LN2), -Infinity);
}
