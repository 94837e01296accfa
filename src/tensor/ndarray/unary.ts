/**
 * Unary elementwise ops (`neg`, `exp`, `log`, …, `atan`) and `clamp`, with
 * their gradients. Non-differentiable ones (`sign`, `floor`, `ceil`, `round`)
 * record nothing, so gradients through them are zero.
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { flatData, fresh, NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { fail, nd, type NDLike } from "./convert.js";
import { mapBinary, mapUnary, type BinaryKernel, type UnaryKernel } from "./iter.js";
import * as K from "./unary-kernels.js";

/**
 * Applies `k` to `x0`; when `x` is tracked, records the VJP `g ↦ gk(g, v)`
 * with `v` the input (`useOutput` false) or the output.
 */
function unary(op: string, k: UnaryKernel, x0: NDLike, gk: BinaryKernel | null, useOutput: boolean): NDArray {
  const x = nd(x0, op, "x");
  const y = mapUnary(k, x);
  if (gk === null || !tracked(x)) return y;
  const v = useOutput ? y : x;
  return record(y, op, [x], (g) => [mapBinary(gk, g, v, op)], true);
}

/**
 * `-x`. The cotangent `-g` is a unary map too, so when `g` is a broadcast view
 * (the cotangent of a sum) it is negated once per distinct element and stays
 * a broadcast, where a product with `-1` would fill a full array.
 */
export function neg(x0: NDLike): NDArray {
  const x = nd(x0, "neg", "x");
  const y = mapUnary(K.negK, x);
  if (!tracked(x)) return y;
  return record(y, "neg", [x], (g) => [mapUnary(K.negK, g)], true);
}
/** `eˣ` */
export const exp = (x: NDLike): NDArray => unary("exp", K.expK, x, K.mulG, true);
/** Natural logarithm. */
export const log = (x: NDLike): NDArray => unary("log", K.logK, x, K.divG, false);
/** `log(1 + x)` */
export const log1p = (x: NDLike): NDArray => unary("log1p", K.log1pK, x, K.log1pG, false);
/** `eˣ - 1` */
export const expm1 = (x: NDLike): NDArray => unary("expm1", K.expm1K, x, K.expm1G, true);
/** `√x` */
export const sqrt = (x: NDLike): NDArray => unary("sqrt", K.sqrtK, x, K.sqrtG, true);
/** `x²` */
export const square = (x: NDLike): NDArray => unary("square", K.squareK, x, K.squareG, false);
/** `1 / x` */
export const reciprocal = (x: NDLike): NDArray => unary("reciprocal", K.reciprocalK, x, K.reciprocalG, true);
/** `|x|` (gradient `sign(x)`, 0 at 0). */
export const abs = (x: NDLike): NDArray => unary("abs", K.absK, x, K.absG, false);
/** Sign: -1, 0 or 1 (no gradient). */
export const sign = (x: NDLike): NDArray => unary("sign", K.signK, x, null, false);
/** Round down (no gradient). */
export const floor = (x: NDLike): NDArray => unary("floor", K.floorK, x, null, false);
/** Round up (no gradient). */
export const ceil = (x: NDLike): NDArray => unary("ceil", K.ceilK, x, null, false);
/** Round half to even, as numpy (no gradient). */
export const round = (x: NDLike): NDArray => unary("round", K.roundK, x, null, false);
/** `1 / (1 + e⁻ˣ)` */
export const sigmoid = (x: NDLike): NDArray => unary("sigmoid", K.sigmoidK, x, K.sigmoidG, true);
/** `log(1 + eˣ)`, stable for large `|x|`. */
export const softplus = (x: NDLike): NDArray => unary("softplus", K.softplusK, x, K.softplusG, false);
/** Hyperbolic tangent. */
export const tanh = (x: NDLike): NDArray => unary("tanh", K.tanhK, x, K.tanhG, true);
/** Sine. */
export const sin = (x: NDLike): NDArray => unary("sin", K.sinK, x, K.sinG, false);
/** Cosine. */
export const cos = (x: NDLike): NDArray => unary("cos", K.cosK, x, K.cosG, false);
/** Tangent. */
export const tan = (x: NDLike): NDArray => unary("tan", K.tanK, x, K.tanG, true);
/** Arc tangent. */
export const atan = (x: NDLike): NDArray => unary("atan", K.atanK, x, K.atanG, false);

/**
 * `x` clamped to `[lo, hi]`. The gradient is 1 where `lo ≤ x ≤ hi` and 0
 * outside.
 */
export function clamp(x0: NDLike, lo: number, hi: number): NDArray {
  const x = nd(x0, "clamp", "x");
  if (typeof lo !== "number" || typeof hi !== "number" || Number.isNaN(lo) || Number.isNaN(hi)) {
    fail("clamp", `arguments lo and hi must be numbers, got ${String(lo)} and ${String(hi)}`);
  }
  if (lo > hi) fail("clamp", `argument lo (${lo}) must not exceed hi (${hi})`);
  const k: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
    for (let i = 0; i < n; i++, oi += so, ai += sa) {
      const v = a[ai]!;
      o[oi] = v < lo ? lo : v > hi ? hi : v;
    }
  };
  const y = mapUnary(k, x);
  if (!tracked(x)) return y;
  return record(y, "clamp", [x], (g) => {
    const gk: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
      for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) {
        const v = b[bi]!;
        o[oi] = v >= lo && v <= hi ? a[ai]! : 0;
      }
    };
    return [mapBinary(gk, g, x, "clamp")];
  }, true);
}

/**
 * An elementwise function computed by a float64 kernel returning each
 * element's value and derivative; the gradient multiplies by the derivative.
 */
export function elementwise(
  x0: NDLike,
  kernel: (x: Float64Array) => { value: Float64Array; derivative: Float64Array },
): NDArray {
  const x = nd(x0, "elementwise", "x");
  const r = kernel(flatData(x));
  if (r.value.length !== x.size || r.derivative.length !== x.size) {
    fail("elementwise", `the kernel returned ${r.value.length} values and ${r.derivative.length} derivatives for ${x.size} elements`);
  }
  const y = fresh(r.value, x.shape);
  if (!tracked(x)) return y;
  const d = fresh(r.derivative, x.shape);
  return record(y, "elementwise", [x], (g) => [mapBinary(K.mulG, g, d, "elementwise")], true);
}

/**
 * A unary op from a scalar function `f` and its derivative `df(x, f(x))`;
 * the derivative is evaluated only when a gradient is taken.
 */
export function scalarOp(op: string, f: (x: number) => number, df: (x: number, y: number) => number): (x: NDLike) => NDArray {
  const k: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
    for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = f(a[ai]!);
  };
  return (x0) => {
    const x = nd(x0, op, "x");
    const y = mapUnary(k, x);
    if (!tracked(x)) return y;
    return record(y, op, [x], (g) => {
      const xs = flatData(x);
      const gs = flatData(g);
      const ys = flatData(y);
      const out = alloc(x.size);
      for (let i = 0; i < out.length; i++) out[i] = gs[i]! * df(xs[i]!, ys[i]!);
      return [fresh(out, x.shape)];
    }, true);
  };
}
