/**
 * Binary arithmetic with numpy broadcasting (`add`, `sub`, `mul`, `div`,
 * `pow`, `maximum`, `minimum`) and their gradients. The cotangent of an input
 * that was broadcast is summed back to the input's shape.
 *
 * @module
 */
import type { NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import * as K from "./binary-kernels.js";
import { nd, type NDLike } from "./convert.js";
import { mapBinary } from "./iter.js";
import { sumTo } from "./reduce.js";
import { neg } from "./unary.js";

/** `a + b` */
export function add(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "add", "a");
  const b = nd(b0, "add", "b");
  const y = mapBinary(K.addK, a, b, "add");
  if (!tracked(a, b)) return y;
  return record(y, "add", [a, b], (g, need) => [need[0] ? sumTo(g, a.shape) : null, need[1] ? sumTo(g, b.shape) : null]);
}

/** `a - b` */
export function sub(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "sub", "a");
  const b = nd(b0, "sub", "b");
  const y = mapBinary(K.subK, a, b, "sub");
  if (!tracked(a, b)) return y;
  return record(y, "sub", [a, b], (g, need) => [need[0] ? sumTo(g, a.shape) : null, need[1] ? sumTo(neg(g), b.shape) : null]);
}

/** `a · b` */
export function mul(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "mul", "a");
  const b = nd(b0, "mul", "b");
  const y = mapBinary(K.mulK, a, b, "mul");
  if (!tracked(a, b)) return y;
  return record(y, "mul", [a, b], (g, need) => [
    need[0] ? sumTo(mapBinary(K.mulK, g, b, "mul"), a.shape) : null,
    need[1] ? sumTo(mapBinary(K.mulK, g, a, "mul"), b.shape) : null,
  ], true);
}

/** `a / b` */
export function div(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "div", "a");
  const b = nd(b0, "div", "b");
  const y = mapBinary(K.divK, a, b, "div");
  if (!tracked(a, b)) return y;
  return record(y, "div", [a, b], (g, need) => [
    need[0] ? sumTo(mapBinary(K.divK, g, b, "div"), a.shape) : null,
    // ∂(a/b)/∂b = -y / b
    need[1] ? sumTo(mapBinary(K.negDivK, mapBinary(K.mulK, g, y, "div"), b, "div"), b.shape) : null,
  ], true);
}

/**
 * `aᵇ`. The gradient with respect to `b` is `aᵇ·log a`, taken as 0 where
 * `a = 0`; the one with respect to `a` is `b·aᵇ⁻¹`, 0 where `b = 0`.
 */
export function pow(a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, "pow", "a");
  const b = nd(b0, "pow", "b");
  const y = mapBinary(K.powK, a, b, "pow");
  if (!tracked(a, b)) return y;
  return record(y, "pow", [a, b], (g, need) => [
    need[0] ? sumTo(mapBinary(K.mulK, g, mapBinary(K.powGradBaseK, a, b, "pow"), "pow"), a.shape) : null,
    need[1] ? sumTo(mapBinary(K.mulK, g, mapBinary(K.powGradExpK, y, a, "pow"), "pow"), b.shape) : null,
  ], true);
}

/** Shared body of `maximum` and `minimum`: ties split the cotangent evenly. */
function extremum(op: string, k: typeof K.maximumK, weight: typeof K.maxWeightK, a0: NDLike, b0: NDLike): NDArray {
  const a = nd(a0, op, "a");
  const b = nd(b0, op, "b");
  const y = mapBinary(k, a, b, op);
  if (!tracked(a, b)) return y;
  return record(y, op, [a, b], (g, need) => [
    need[0] ? sumTo(mapBinary(K.mulK, g, mapBinary(weight, a, b, op), op), a.shape) : null,
    need[1] ? sumTo(mapBinary(K.mulK, g, mapBinary(weight, b, a, op), op), b.shape) : null,
  ], true);
}

/** Elementwise maximum (NaN propagates). */
export const maximum = (a: NDLike, b: NDLike): NDArray => extremum("maximum", K.maximumK, K.maxWeightK, a, b);

/** Elementwise minimum (NaN propagates). */
export const minimum = (a: NDLike, b: NDLike): NDArray => extremum("minimum", K.minimumK, K.minWeightK, a, b);
