/**
 * Pyro's `enumerate_support` layout, shared by the discrete families: the
 * values along a new leftmost dim, then one size-1 dim per batch dim (or the
 * batch shape itself when expanded).
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Shape, Tensor } from "../tensor/types.js";

/**
 * `0, 1, ..., n - 1` shaped `[n, 1, ..., 1]` (one 1 per batch dim), or
 * expanded to `[n, ...batchShape]`.
 *
 * @example
 * ```ts
 * enumerateRange(ops, 2, [3], true); // [[0, 0, 0], [1, 1, 1]]
 * ```
 */
export function enumerateRange(ops: Ops, n: number, batchShape: Shape, expand: boolean): Tensor {
  const values = ops.reshape(ops.arange(n), [n, ...batchShape.map(() => 1)]);
  return expand ? ops.expand(values, [n, ...batchShape]) : values;
}
