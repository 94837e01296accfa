/**
 * Backend-neutral tensor types.
 *
 * Generic layers (distributions, handlers, inference) never see a backend's
 * concrete array class: they see the opaque {@link Tensor}, and do all math
 * through an {@link Ops} value. Each backend's `Ops` implementation casts
 * between `Tensor` and its own class (a tfjs `tf.Tensor`, an `NDArray`, a lazy
 * term) at its boundary.
 *
 * @module
 */

declare const tensorBrand: unique symbol;

/**
 * An opaque n-dimensional array owned by one backend.
 *
 * Only its `shape` is visible; everything else goes through {@link Ops}
 * (`ops.item(x)`, `ops.toArray(x)`, `ops.add(x, y)`, ...).
 *
 * @example
 * ```ts
 * const x: Tensor = ops.tensor([1, 2, 3]);
 * x.shape; // [3]
 * ```
 */
export interface Tensor {
  /** The size of each dimension, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** @internal brand: a Tensor is only made by an Ops implementation. */
  readonly [tensorBrand]?: never;
}

/** A shape: the size of each dimension, outermost first. */
export type Shape = readonly number[];

/** A nested JavaScript array of numbers (or a number), as `ops.toArray` returns. */
export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * Anything an op accepts as a tensor argument: a tensor of the same backend, a
 * plain number or boolean, a nested array of them, or a flat typed array (a vector).
 */
export type TensorLike<T = Tensor> = T | NestedArray | Float64Array | Float32Array;

/** The element type a backend computes in. */
export type DType = "float32" | "float64";

/** An axis or several axes; negative values count from the end. */
export type Axis = number | readonly number[];

/** Options of a reduction. */
export interface ReduceOptions {
  /** The axis or axes to reduce; all axes when omitted. */
  readonly axis?: Axis;
  /** Keep reduced axes as size-1 dimensions. */
  readonly keepdims?: boolean;
}

/** The second argument of a reduction: an axis, or {@link ReduceOptions}. */
export type ReduceArg = Axis | ReduceOptions | undefined;

/** Normalises a {@link ReduceArg} into {@link ReduceOptions}. */
export function reduceOptions(arg: ReduceArg): ReduceOptions {
  if (arg === undefined) return {};
  if (typeof arg === "number" || Array.isArray(arg)) return { axis: arg as Axis };
  return arg as ReduceOptions;
}
