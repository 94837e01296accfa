/**
 * Autodiff and memory for the tfjs backend: `custom` (float64 JavaScript
 * kernels with hand-written gradients, via `tf.customGrad`), `valueAndGrad`
 * (tfjs tape), `stopGradient`, and `tidy`/`keep`/`dispose`/`numTensors`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { formatShape, shapesEqual } from "../shape.js";
import type { Shape } from "../types.js";
import { describe, engine, make, release, toTf } from "./convert.js";
import { TensorOpError } from "../errors.js";

type Forward = (data: readonly Float64Array[], shapes: readonly Shape[]) => { data: ArrayLike<number>; shape: Shape };
type Backward = (dy: tf.Tensor, y: tf.Tensor, inputs: readonly tf.Tensor[]) => readonly tf.Tensor[];

/** The tensors a `custom` op needs for its backward pass: its inputs, then its output. */
type GradSave = (tensors: tf.Tensor[]) => void;

function custom(inputs: readonly unknown[], forward: Forward, backward: Backward): tf.Tensor {
  const ts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < inputs.length; i++) ts.push(toTf(inputs[i], "custom", `inputs[${i}]`));
    const n = ts.length;
    const op = tf.customGrad(((...args: unknown[]) => {
      const xs = args.slice(0, n) as tf.Tensor[];
      const save = args[n] as GradSave;
      const out = forward(
        xs.map((t) => Float64Array.from(t.dataSync() as Float32Array)),
        xs.map((t) => t.shape),
      );
      const y = make(Float32Array.from(out.data), out.shape);
      // Intermediates die with the forward scope; the tape keeps what `save` gets.
      save([...xs, y]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const grads = backward(dy, saved[n]!, saved.slice(0, n));
        if (grads.length !== n) {
          throw new TensorOpError(`ops.custom: backward returned ${grads.length} gradients for ${n} inputs`);
        }
        return grads.map((g, i) => {
          if (!(g instanceof tf.Tensor) || !shapesEqual(g.shape, xs[i]!.shape)) {
            const got = g instanceof tf.Tensor ? `shape ${formatShape(g.shape)}` : describe(g);
            throw new TensorOpError(`ops.custom: the gradient of inputs[${i}] must have shape ${formatShape(xs[i]!.shape)}, got ${got}`);
          }
          return g;
        });
      };
      return { value: y, gradFunc };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return op(...ts);
  } finally {
    ts.forEach((t, i) => release(t, inputs[i]));
  }
}

function valueAndGrad(f: (xs: readonly tf.Tensor[]) => tf.Tensor, xs: readonly tf.Tensor[]) {
  if (!Array.isArray(xs) || xs.length === 0) throw new TensorOpError("ops.valueAndGrad: argument xs must be a non-empty array of tensors");
  const ts = xs.map((x, i) => toTf(x, "valueAndGrad", `xs[${i}]`));
  try {
    // allowNoGradients: an input that does not reach the value gets a zero gradient.
    const { value, grads } = engine.gradients(
      () => {
        const y = f(ts);
        if (!(y instanceof tf.Tensor) || y.rank !== 0) {
          const got = y instanceof tf.Tensor ? `shape ${formatShape(y.shape)}` : describe(y);
          throw new TensorOpError(`ops.valueAndGrad: f must return a scalar tensor, got ${got}`);
        }
        // The value must be a tensor of its own, even when f returns an input.
        return ts.includes(y) ? y.clone() : y;
      },
      ts,
      undefined,
      true,
    );
    return { value, grads: grads.map((g, i) => g ?? tf.zerosLike(ts[i]!)) };
  } finally {
    ts.forEach((t, i) => release(t, xs[i]));
  }
}

/** The autodiff and memory members of the tfjs core. */
export type AutodiffOps = Pick<
  CoreOps<tf.Tensor>,
  "custom" | "valueAndGrad" | "stopGradient" | "tidy" | "keep" | "dispose" | "numTensors"
>;

/** The autodiff and memory members of the tfjs core. */
export const autodiffOps: AutodiffOps = {
  custom,
  valueAndGrad,

  // tfjs 4.22 has no stopGradient: a new tensor sharing x's data (what the
  // Identity kernel does), made without a kernel and so unknown to the tape,
  // is a constant to autodiff. No copy.
  stopGradient: (x) => {
    const t = toTf(x, "stopGradient", "x");
    if (t !== x) return t;
    const s = engine.makeTensorFromDataId(t.dataId, t.shape, t.dtype);
    engine.backend.incRef(t.dataId);
    return s;
  },

  tidy: <R>(f: () => R): R => tf.tidy(f as () => tf.TensorContainer) as R,
  keep: (x) => tf.keep(x),
  dispose: (x) => tf.dispose(x as tf.Tensor | tf.Tensor[]),
  numTensors: () => tf.memory().numTensors,
};
