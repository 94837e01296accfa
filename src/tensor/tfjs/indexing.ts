/**
 * tfjs indexing: `take`, `index` (`x[idx]`), `takeAlongAxis`, `oneHot`.
 *
 * Indices are whole floats in user land (or any tfjs tensor); they are read
 * in JavaScript (cheap on the cpu backend), checked, wrapped when negative as
 * in numpy, and handed to `tf.gather` as int32. Every op is differentiable in
 * `x` (gather's gradient is a segment sum), never in `idx`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { broadcastIndex } from "../kernels/linalg.js";
import type { CoreOps } from "../ops.js";
import { formatShape, normalizeAxis, sizeOf, tryBroadcastShapes } from "../shape.js";
import { engine, indicesOf, release, toTf, valuesOf, type Arg } from "./convert.js";
import { TensorOpError } from "../errors.js";

/** `tf.gather(x, idx, axis)` for checked int32 indices of shape `shape`. */
function gather(x: tf.Tensor, idx: Int32Array, shape: number[], axis: number): tf.Tensor {
  const it = engine.makeTensor(idx, shape, "int32");
  try {
    return tf.gather(x, it, axis);
  } finally {
    it.dispose();
  }
}

/** numpy `take` along a normalised axis. */
function take(op: string, x: Arg, idx: Arg, axis: number): tf.Tensor {
  const t = toTf(x, op, "x");
  try {
    if (t.rank === 0) throw new TensorOpError(`ops.${op}: argument x must have rank >= 1, got a scalar`);
    const ax = normalizeAxisFor(op, axis, t.rank);
    const { data, shape } = valuesOf(idx, op, "idx");
    return gather(t, indicesOf(data, t.shape[ax]!, op, "idx"), shape, ax);
  } finally {
    release(t, x);
  }
}

function normalizeAxisFor(op: string, axis: number, rank: number): number {
  try {
    return normalizeAxis(axis, rank);
  } catch (e) {
    throw new TensorOpError(`ops.${op}: ${(e as Error).message}`);
  }
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * numpy `take_along_axis` with broadcasting on the other axes: the flat
 * position in `x` of every output element is computed in JavaScript (with
 * stride 0 on axes where `x` broadcasts), so the op is one `gather` from the
 * flattened `x` — no broadcast copy of `x`, and a segment-sum gradient.
 */
function takeAlongAxis(x: Arg, idx: Arg, axis: number): tf.Tensor {
  const op = "takeAlongAxis";
  const t = toTf(x, op, "x");
  try {
    const xs = t.shape;
    const rank = xs.length;
    const ax = normalizeAxisFor(op, axis, rank);
    const { data, shape: is } = valuesOf(idx, op, "idx");
    if (is.length !== rank) {
      throw new TensorOpError(`ops.${op}: argument idx must have the rank of x (${rank}), got shape ${formatShape(is)}`);
    }
    const others = tryBroadcastShapes(
      xs.map((d, i) => (i === ax ? 1 : d)),
      is.map((d, i) => (i === ax ? 1 : d)),
    );
    if (others === undefined) {
      throw new TensorOpError(`ops.${op}: shapes ${formatShape(xs)} (x) and ${formatShape(is)} (idx) do not broadcast off axis ${ax}`);
    }
    const outShape = others.map((d, i) => (i === ax ? is[ax]! : d));
    const strides = stridesOf(xs).map((s, i) => (i === ax || (xs[i] === 1 && outShape[i] !== 1) ? 0 : s));
    const axisStride = stridesOf(xs)[ax]!;
    const fromIdx = broadcastIndex(outShape, is);
    const ix = indicesOf(Array.from(fromIdx, (j) => data[j]!), xs[ax]!, op, "idx");
    // Walk the output positions, keeping the flat offset of the non-axis coordinates in x.
    const n = ix.length;
    const counter = new Array<number>(rank).fill(0);
    let pos = 0;
    for (let k = 0; k < n; k++) {
      ix[k] = pos + ix[k]! * axisStride;
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]!++;
        pos += strides[d]!;
        if (counter[d]! < outShape[d]!) break;
        pos -= strides[d]! * counter[d]!;
        counter[d] = 0;
      }
    }
    return tf.tidy(() => tf.reshape(gather(tf.reshape(t, [-1]), ix, [n], 0), outShape));
  } finally {
    release(t, x);
  }
}

/** The indexing members of the tfjs core (`index` and `oneHot` natively too). */
export type IndexingOps = Pick<CoreOps<tf.Tensor>, "take" | "index" | "takeAlongAxis" | "oneHot">;

/** The indexing members of the tfjs core. */
export const indexingOps: IndexingOps = {
  take: (x, idx, axis) => take("take", x, idx, axis),
  index: (x, idx) => take("index", x, idx, 0),
  takeAlongAxis,
  oneHot: (idx, depth) => {
    const { data, shape } = valuesOf(idx, "oneHot", "idx");
    if (!Number.isInteger(depth) || depth < 0) throw new TensorOpError(`ops.oneHot: argument depth must be a whole number >= 0, got ${depth}`);
    const out = new Float32Array(sizeOf(shape) * depth);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!(v >= 0 && v < depth && v === Math.floor(v))) {
        throw new TensorOpError(`ops.oneHot: argument idx must hold whole numbers in [0, ${depth}), got ${v}`);
      }
      out[i * depth + v] = 1;
    }
    return engine.makeTensor(out, [...shape, depth], "float32");
  },
};
