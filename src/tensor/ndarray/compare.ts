/**
 * Comparisons, masks and `where`. Masks are 0/1 float64 arrays; any nonzero
 * value counts as true where a mask is read. Comparisons and logical ops have
 * no gradient; `where` routes the cotangent to the branch it chose.
 *
 * @module
 */
import type { NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import * as K from "./binary-kernels.js";
import { nd, type NDLike } from "./convert.js";
import { mapBinary, mapUnary, mapWhere, type BinaryKernel, type UnaryKernel } from "./iter.js";
import { sumTo } from "./reduce.js";

function compare(op: string, k: BinaryKernel, a: NDLike, b: NDLike): NDArray {
  return mapBinary(k, nd(a, op, "a"), nd(b, op, "b"), op);
}

/** `a == b` as a 0/1 mask. */
export const eq = (a: NDLike, b: NDLike): NDArray => compare("eq", K.eqK, a, b);
/** `a != b` as a 0/1 mask. */
export const ne = (a: NDLike, b: NDLike): NDArray => compare("ne", K.neK, a, b);
/** `a < b` as a 0/1 mask. */
export const lt = (a: NDLike, b: NDLike): NDArray => compare("lt", K.ltK, a, b);
/** `a <= b` as a 0/1 mask. */
export const le = (a: NDLike, b: NDLike): NDArray => compare("le", K.leK, a, b);
/** `a > b` as a 0/1 mask. */
export const gt = (a: NDLike, b: NDLike): NDArray => compare("gt", K.gtK, a, b);
/** `a >= b` as a 0/1 mask. */
export const ge = (a: NDLike, b: NDLike): NDArray => compare("ge", K.geK, a, b);
/** Elementwise and of masks. */
export const logicalAnd = (a: NDLike, b: NDLike): NDArray => compare("logicalAnd", K.andK, a, b);
/** Elementwise or of masks. */
export const logicalOr = (a: NDLike, b: NDLike): NDArray => compare("logicalOr", K.orK, a, b);

const notK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai] === 0 ? 1 : 0;
};
const finiteK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Number.isFinite(a[ai]) ? 1 : 0;
};
const nanK: UnaryKernel = (o, oi, so, a, ai, sa, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai] !== a[ai] ? 1 : 0;
};

/** Elementwise not of a mask. */
export const logicalNot = (x: NDLike): NDArray => mapUnary(notK, nd(x, "logicalNot", "x"));
/** Mask of finite elements. */
export const isFinite = (x: NDLike): NDArray => mapUnary(finiteK, nd(x, "isFinite", "x"));
/** Mask of NaN elements. */
export const isNaN = (x: NDLike): NDArray => mapUnary(nanK, nd(x, "isNaN", "x"));

/**
 * A mask as floating point values. Masks already are 0/1 floats here, so this
 * returns `x` itself (gradients pass through unchanged).
 */
export const toFloat = (x: NDLike): NDArray => nd(x, "toFloat", "x");

/**
 * `cond ? a : b` elementwise, broadcasting all three. The cotangent goes to
 * `a` where `cond` holds and to `b` elsewhere; `cond` gets none.
 */
export function where(cond0: NDLike, a0: NDLike, b0: NDLike): NDArray {
  const c = nd(cond0, "where", "cond");
  const a = nd(a0, "where", "a");
  const b = nd(b0, "where", "b");
  const y = mapWhere(c, a, b, "where");
  if (!tracked(a, b)) return y;
  const zero = nd(0, "where", "0");
  return record(y, "where", [a, b], (g, need) => [
    need[0] ? sumTo(mapWhere(c, g, zero, "where"), a.shape) : null,
    need[1] ? sumTo(mapWhere(c, zero, g, "where"), b.shape) : null,
  ]);
}
