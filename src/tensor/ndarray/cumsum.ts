/**
 * `cumsum` along one axis, forwards or reversed, inclusive or exclusive. Its
 * gradient is the cumulative sum of the cotangent in the other direction.
 *
 * @module
 */
import type { CumsumOptions } from "../ops.js";
import { alloc } from "./alloc.js";
import { contiguous, fresh, type NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { fail, nd, normAxis, type NDLike } from "./convert.js";

function scan(x: NDArray, axis: number, reverse: boolean, exclusive: boolean): NDArray {
  const c = contiguous(x);
  const shape = x.shape;
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const m = shape[axis]!;
  const xd = c.data;
  const out = alloc(x.size);
  // Along the axis, consecutive elements are `inner` apart.
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let p = o * m * inner + j + (reverse ? (m - 1) * inner : 0);
      let s = 0;
      for (let k = 0; k < m; k++, p += step) {
        const v = xd[c.offset + p]!;
        if (exclusive) {
          out[p] = s;
          s += v;
        } else {
          s += v;
          out[p] = s;
        }
      }
    }
  }
  return fresh(out, shape);
}

/**
 * Cumulative sum along `axis` (default -1). `reverse` sums from the end;
 * `exclusive` leaves each element out of its own sum (the first output is 0).
 */
export function cumsum(x0: NDLike, axis = -1, options: CumsumOptions = {}): NDArray {
  const x = nd(x0, "cumsum", "x");
  if (x.shape.length === 0) fail("cumsum", "argument x must have at least one axis, got a scalar");
  const ax = normAxis(axis, x.shape.length, "cumsum");
  const reverse = options.reverse === true;
  const exclusive = options.exclusive === true;
  const y = scan(x, ax, reverse, exclusive);
  if (!tracked(x)) return y;
  return record(y, "cumsum", [x], (g) => [scan(g, ax, !reverse, exclusive)]);
}
