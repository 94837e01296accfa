/**
 * `ndarrayOps`: the `Ops` of the `ndarray` backend (float64, own
 * reverse-mode autodiff), assembled from the op modules of this folder and
 * completed by the generic derived ops.
 *
 * Native members replace derived ones where they are clearly cheaper:
 * creation helpers, `square`, `reciprocal`, `clamp` (one loop instead of two
 * ops), `binaryCrossEntropyWithLogits` (one pass and one exponential instead
 * of three passes and two), `mean` and `logsumexp` (one pass per row), the special functions
 * (derivatives computed only when a gradient is taken) and `elementwise`.
 * `index`, `oneHot`, `diagonal`, `diagEmbed`, `cholesky`, `triangularSolve`
 * and `allclose` come from `completeOps`.
 *
 * Memory: arrays are ordinary garbage-collected JavaScript objects, so `tidy`
 * just runs its function, `keep` and `dispose` do nothing and `numTensors`
 * is always 0.
 *
 * @module
 */
import { completeOps } from "../derived.js";
import type { CoreOps, Ops } from "../ops.js";
import type { NDArray } from "./array.js";
import { stopGradient, valueAndGrad } from "./autodiff.js";
import { add, div, maximum, minimum, mul, pow, sub } from "./binary.js";
import { eq, ge, gt, isFinite, isNaN, le, logicalAnd, logicalNot, logicalOr, lt, ne, toFloat, where } from "./compare.js";
import { arange, eye, fromFlat, full, isTensor, item, ones, onesLike, shape, tensor, toArray, toFlat, zeros, zerosLike } from "./creation.js";
import { binaryCrossEntropyWithLogits } from "./cross-entropy.js";
import { cumsum } from "./cumsum.js";
import { custom } from "./custom.js";
import { take, takeAlongAxis } from "./indexing.js";
import { matmul } from "./linalg.js";
import { all, any, argmax, logsumexp, max, mean, min, prod, sum } from "./reduce.js";
import { concat, expand, pad, reshape, slice, squeeze, stack, transpose, unsqueeze, unstack } from "./shape.js";
import { digamma, erf, erfinv, lgamma } from "./special.js";
import * as U from "./unary.js";

/** The core members of the `ndarray` backend, with its native derived members. */
export const ndarrayCore: CoreOps<NDArray> = {
  name: "ndarray",
  dtype: "float64",
  isTensor, tensor, fromFlat, zeros, ones, full, zerosLike, onesLike, arange, eye,
  shape, item, toArray, toFlat,
  peekFlat: toFlat,
  neg: U.neg, exp: U.exp, log: U.log, log1p: U.log1p, expm1: U.expm1, sqrt: U.sqrt, square: U.square,
  reciprocal: U.reciprocal, abs: U.abs, sign: U.sign, floor: U.floor, ceil: U.ceil, round: U.round,
  sigmoid: U.sigmoid, softplus: U.softplus, tanh: U.tanh, sin: U.sin, cos: U.cos, tan: U.tan, atan: U.atan,
  lgamma, digamma, erf, erfinv, clamp: U.clamp, elementwise: U.elementwise, binaryCrossEntropyWithLogits,
  add, sub, mul, div, pow, maximum, minimum,
  eq, ne, lt, le, gt, ge, isFinite, isNaN, logicalAnd, logicalOr, logicalNot, where, toFloat,
  sum, mean, prod, max, min, logsumexp, all, any, argmax, cumsum,
  reshape, expand, squeeze, unsqueeze, transpose, concat, stack, unstack, slice, pad,
  take, takeAlongAxis,
  matmul,
  custom,
  valueAndGrad,
  stopGradient,
  tidy: <R>(f: () => R): R => f(),
  keep: <S extends NDArray>(x: S): S => x,
  dispose: (): void => {},
  numTensors: (): number => 0,
};

/**
 * The float64 array ops of the `numpy` backend: numpy semantics, strided
 * views, reverse-mode autodiff.
 *
 * @example
 * ```ts
 * const ops = ndarrayOps;
 * const { value, grads } = ops.valueAndGrad(([w]) => ops.sum(ops.square(w)), [ops.tensor([1, 2])]);
 * ops.item(value);        // 5
 * ops.toArray(grads[0]);  // [2, 4]
 * ```
 */
export const ndarrayOps: Ops<NDArray> = completeOps(ndarrayCore);
