/**
 * Zero gradients for the tfjs kernels that have none: comparisons, logical
 * ops and mask reductions.
 *
 * A mask computed from a differentiated value (`where(eq(s, 0), ...)`,
 * `toFloat(gt(x, 0))`) puts these kernels on the tape between the inputs and
 * the result; tfjs then fails with "gradient function not found for Equal".
 * Their true gradient is zero, so they get one. This registers into tfjs's
 * global gradient registry, once, and never replaces an existing gradient.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The piecewise-constant tfjs kernels that tfjs 4.22 registers no gradient for. */
const KERNELS: readonly (readonly [string, readonly string[]])[] = [
  ["Equal", ["a", "b"]],
  ["NotEqual", ["a", "b"]],
  ["Less", ["a", "b"]],
  ["LessEqual", ["a", "b"]],
  ["Greater", ["a", "b"]],
  ["GreaterEqual", ["a", "b"]],
  ["LogicalAnd", ["a", "b"]],
  ["LogicalOr", ["a", "b"]],
  ["LogicalNot", ["x"]],
  ["All", ["x"]],
  ["Any", ["x"]],
];

/** Registers a zero gradient for each comparison, logical or mask-reduction kernel that has no gradient yet. */
export function registerZeroGradients(): void {
  for (const [kernelName, inputs] of KERNELS) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: [...inputs],
      gradFunc: (_dy, saved) =>
        Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros((saved as tf.Tensor[])[i]!.shape, "float32")])),
    });
  }
}
