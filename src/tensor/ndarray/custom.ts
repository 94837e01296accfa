/**
 * `custom`: an array computed by a float64 JavaScript kernel, with a
 * hand-written gradient expressed in ops (so it composes with the rest of the
 * graph). Used by the derived linear algebra (`cholesky`, `triangularSolve`)
 * and available to users for their own kernels.
 *
 * @module
 */
import type { Shape } from "../types.js";
import { flatData, fresh, type NDArray } from "./array.js";
import { record, stopGradient, tracked } from "./autodiff.js";
import { checkShape, fail, fmt, nd, sameShape, tryBroadcast, type NDLike } from "./convert.js";
import { sumTo } from "./reduce.js";
import { expand } from "./shape.js";

/**
 * Runs `forward` on the flat row-major data and shapes of `inputs`; when an
 * input is tracked, the gradient is `backward(dy, y, inputs)`, one cotangent
 * per input. A cotangent may be any array that broadcasts with its input's
 * shape: extra broadcast axes are summed away, missing ones expanded.
 */
export function custom(
  inputs: readonly NDLike[],
  forward: (data: readonly Float64Array[], shapes: readonly Shape[]) => { data: ArrayLike<number>; shape: Shape },
  backward: (dy: NDArray, y: NDArray, inputs: readonly NDArray[]) => readonly NDLike[],
): NDArray {
  if (!Array.isArray(inputs)) fail("custom", "argument inputs must be an array");
  const xs = inputs.map((x, i) => nd(x, "custom", `inputs[${i}]`));
  const r = forward(xs.map(flatData), xs.map((x) => x.shape));
  if (r === null || typeof r !== "object") fail("custom", "forward must return { data, shape }");
  const shape = checkShape(r.shape, "custom", "shape returned by forward");
  let n = 1;
  for (const d of shape) n *= d;
  if (r.data === null || typeof r.data !== "object" || r.data.length !== n) {
    fail("custom", `forward returned ${r.data?.length ?? "no"} values for shape ${fmt(shape)} (${n} elements)`);
  }
  const data = r.data instanceof Float64Array ? r.data : Float64Array.from(r.data);
  const y = fresh(data, shape);
  if (!xs.some((x) => tracked(x))) return y;
  const yc = stopGradient(y);
  const plain = xs.map((x) => stopGradient(x));
  return record(y, "custom", xs, (g, need) => {
    const gs = backward(g, yc, plain);
    if (!Array.isArray(gs) || gs.length !== xs.length) {
      fail("custom", `backward must return ${xs.length} cotangents (one per input), got ${Array.isArray(gs) ? gs.length : typeof gs}`);
    }
    return xs.map((x, i) => {
      if (!need[i]) return null;
      const gi = nd(gs[i], "custom", `cotangent ${i} returned by backward`);
      if (sameShape(gi.shape, x.shape)) return gi;
      const b = tryBroadcast(gi.shape, x.shape);
      if (b === undefined) {
        fail("custom", `backward returned a cotangent of shape ${fmt(gi.shape)} for input ${i} of shape ${fmt(x.shape)}`);
      }
      return sumTo(sameShape(b, gi.shape) ? gi : expand(gi, b), x.shape);
    });
  });
}
