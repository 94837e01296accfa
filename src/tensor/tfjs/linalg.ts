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

/** The linear algebra members of the tfjs core. */
export type LinalgOps = Pick<CoreOps<tf.Tensor>, "matmul">;

/** The linear algebra members of the tfjs core. */
export const linalgOps: LinalgOps = {
  matmul: (a, b) => {
    const ta = toTf(a, "matmul", "a");
    const tb = toTf(b, "matmul", "b");
    try {
      if (ta.rank === 0 || tb.rank === 0) {
        throw new Error(`ops.matmul: arguments must have rank >= 1, got shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)}`);
      }
      if (ta.rank > 1 && tb.rank > 1) return tf.matMul(ta, tb);
      return tf.tidy(() => {
        const a2 = ta.rank === 1 ? tf.reshape(ta, [1, -1]) : ta;
        const b2 = tb.rank === 1 ? tf.reshape(tb, [-1, 1]) : tb;
        const c = tf.matMul(a2, b2);
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
