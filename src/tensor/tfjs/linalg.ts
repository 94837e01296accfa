/**
 * tfjs `matmul` with numpy semantics: batch axes broadcast, and a 1-D operand
 * is a vector (a row on the left, a column on the right) whose axis is
 * dropped from the result. `cholesky` and `triangularSolve` are derived
 * (float64 kernels, see `derived.ts`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { formatShape } from "../shape.js";
import { release, toTf } from "./convert.js";
import { TensorOpError } from "../errors.js";

function sameBatch(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length - 2; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `tf.matMul` with batch axes broadcast explicitly first: tfjs broadcasts
 * them in the forward pass but returns gradients of the broadcast shape.
 * `broadcastTo`'s own gradient sums back to each operand's shape.
 */
function matMulBroadcast(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (sameBatch(a.shape, b.shape)) return tf.matMul(a, b);
  const batch = tf.broadcastArgs(
    tf.tensor1d(a.shape.slice(0, -2).length > 0 ? a.shape.slice(0, -2) : [1], "int32"),
    tf.tensor1d(b.shape.slice(0, -2).length > 0 ? b.shape.slice(0, -2) : [1], "int32"),
  ).arraySync() as number[];
  const aShape = [...batch, ...a.shape.slice(-2)];
  const bShape = [...batch, ...b.shape.slice(-2)];
  return tf.matMul(tf.broadcastTo(a, aShape), tf.broadcastTo(b, bShape));
}

/** The linear algebra members of the tfjs core. */
export type LinalgOps = Pick<CoreOps<tf.Tensor>, "matmul">;

/** The linear algebra members of the tfjs core. */
export const linalgOps: LinalgOps = {
  matmul: (a, b) => {
    const ta = toTf(a, "matmul", "a");
    const tb = toTf(b, "matmul", "b");
    try {
      if (ta.rank === 0 || tb.rank === 0) {
        throw new TensorOpError(`ops.matmul: arguments must have rank >= 1, got shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)}`);
      }
      if (ta.rank > 1 && tb.rank > 1 && sameBatch(ta.shape, tb.shape)) return tf.matMul(ta, tb);
      return tf.tidy(() => {
        const a2 = ta.rank === 1 ? tf.reshape(ta, [1, -1]) : ta;
        const b2 = tb.rank === 1 ? tf.reshape(tb, [-1, 1]) : tb;
        const c = matMulBroadcast(a2, b2);
        const s = c.shape.slice();
        if (tb.rank === 1) s.splice(-1, 1);
        if (ta.rank === 1) s.splice(-2 + (tb.rank === 1 ? 1 : 0), 1);
        return tf.reshape(c, s);
      });
    } finally {
      release(ta, a);
      release(tb, b);
    }
  },
};
