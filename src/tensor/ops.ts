/**
 * The array-ops algebra every backend implements.
 *
 * Distributions, handlers and inference are written once against `Ops`
 * (tagless-final style): a backend contributes an implementation and never
 * re-implements `Normal.logProb`. Semantics follow numpy broadcasting; every
 * tensor argument also accepts a plain number, boolean or nested array.
 *
 * Conventions shared by all implementations:
 * - Values are floating point of the backend's {@link DType}; integer data
 *   (category indices, counts) are stored as whole floats and cast inside
 *   index ops.
 * - Comparisons return a mask tensor usable by `where`, `logicalAnd`, `all`,
 *   `any`; `toFloat` turns a mask into 0/1 values.
 * - Axes may be negative (counted from the end).
 *
 * @module
 */
import type { DType, NestedArray, ReduceArg, Shape, Tensor, TensorLike } from "./types.js";

/** Options of {@link Ops.cumsum}. */
export interface CumsumOptions {
  /** Sum from the end of the axis towards its start. */
  readonly reverse?: boolean;
  /** Leave out the element itself (the first output is 0). */
  readonly exclusive?: boolean;
}

/** Options of {@link Ops.triangularSolve}. */
export interface TriangularSolveOptions {
  /** `a` is lower triangular (default `true`); otherwise upper. */
  readonly lower?: boolean;
  /** Solve `aᵀ x = b` instead of `a x = b` (default `false`). */
  readonly transpose?: boolean;
}

/** Options of {@link Ops.allclose}. */
export interface AllcloseOptions {
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number;
}

/** The result of {@link Ops.valueAndGrad}. */
export interface ValueAndGrad<T> {
  /** The scalar value of the function. */
  readonly value: T;
  /** The gradient with respect to each input, in input order and shape. */
  readonly grads: T[];
}

type X<T> = TensorLike<T>;

/**
 * The members {@link completeOps} derives from the others; a backend may
 * still implement them natively (for speed or precision).
 */
export type DerivedOpsKeys =
  | "zerosLike" | "onesLike" | "full" | "square" | "reciprocal" | "clamp" | "mean" | "logsumexp"
  | "lgamma" | "digamma" | "erf" | "erfinv" | "index" | "oneHot" | "diagonal" | "diagEmbed"
  | "cholesky" | "triangularSolve" | "elementwise" | "allclose" | "binaryCrossEntropyWithLogits";

/** What a backend must implement: {@link Ops} without (or with) the derived members. */
export type CoreOps<T = Tensor> = Omit<Ops<T>, DerivedOpsKeys> & Partial<Pick<Ops<T>, DerivedOpsKeys>>;

/**
 * The numpy-like functional array API shared by all backends.
 *
 * @typeParam T - the backend's tensor class; generic layers use the opaque
 *   {@link Tensor}.
 * @example
 * ```ts
 * const z = ops.add(ops.mul(2, x), 1);       // 2x + 1, broadcasting
 * const s = ops.sum(z, { axis: -1 });         // reduce the last axis
 * const picked = ops.index(locs, category);   // locs[category]
 * ```
 */
export interface Ops<T = Tensor> {
  /** The implementation's name, used in error messages ("tfjs", "ndarray"). */
  readonly name: string;
  /** The floating point type values are computed in. */
  readonly dtype: DType;

  // ---------------------------------------------------------------- creation
  /** Whether `x` is a tensor of this backend. */
  isTensor(x: unknown): x is T;
  /** A tensor from a number, boolean, nested array or tensor of this backend. */
  tensor(x: X<T>): T;
  /** A tensor of the given shape from flat row-major data. */
  fromFlat(data: ArrayLike<number>, shape: Shape): T;
  /** Zeros of the given shape. */
  zeros(shape: Shape): T;
  /** Ones of the given shape. */
  ones(shape: Shape): T;
  /** A tensor of the given shape filled with `value`. */
  full(shape: Shape, value: number): T;
  /** Zeros of `x`'s shape. */
  zerosLike(x: X<T>): T;
  /** Ones of `x`'s shape. */
  onesLike(x: X<T>): T;
  /** `[start, start + step, ...)` up to `stop` (exclusive); `arange(n)` is `0..n-1`. */
  arange(start: number, stop?: number, step?: number): T;
  /** The `n × n` identity matrix. */
  eye(n: number): T;

  // -------------------------------------------------------------- reading
  /** The shape of `x`. */
  shape(x: X<T>): Shape;
  /** The single value of a one-element tensor, as a JS number. */
  item(x: X<T>): number;
  /** The values of `x` as a nested JS array (a number for a scalar). */
  toArray(x: X<T>): NestedArray;
  /** The values of `x` flattened in row-major order. Do not mutate the result. */
  toFlat(x: X<T>): Float32Array | Float64Array;
  /**
   * `toFlat` for callers that only look: present on eager backends, where a
   * read has no effect and (for a contiguous array) copies nothing. Absent on
   * lazy ops, whose reads are traced and guard the compiled code; there,
   * validation reads a constraint's mask, which stays the same from run to
   * run, instead of the values.
   */
  peekFlat?(x: X<T>): Float32Array | Float64Array;

  // ------------------------------------------------------ elementwise, unary
  /** `-x` */ neg(x: X<T>): T;
  /** `eˣ` */ exp(x: X<T>): T;
  /** Natural logarithm. */ log(x: X<T>): T;
  /** `log(1 + x)`, accurate near 0. */ log1p(x: X<T>): T;
  /** `eˣ - 1`, accurate near 0. */ expm1(x: X<T>): T;
  /** Square root. */ sqrt(x: X<T>): T;
  /** `x²` */ square(x: X<T>): T;
  /** `1 / x` */ reciprocal(x: X<T>): T;
  /** Absolute value. */ abs(x: X<T>): T;
  /** Sign: -1, 0 or 1. */ sign(x: X<T>): T;
  /** Round down. */ floor(x: X<T>): T;
  /** Round up. */ ceil(x: X<T>): T;
  /** Round half away from zero... or to even, as the backend does. */ round(x: X<T>): T;
  /** `1 / (1 + e⁻ˣ)` */ sigmoid(x: X<T>): T;
  /** `log(1 + eˣ)`, stable for large `|x|`. */ softplus(x: X<T>): T;
  /**
   * `softplus(l) − t·l = −(t·log σ(l) + (1 − t)·log σ(−l))`, elementwise with
   * broadcasting: the negative log density of a Bernoulli observation `t`
   * with logits `l` (PyTorch's `binary_cross_entropy_with_logits`), finite for
   * every finite logit.
   */
  binaryCrossEntropyWithLogits(logits: X<T>, target: X<T>): T;
  /** Hyperbolic tangent. */ tanh(x: X<T>): T;
  /** Sine. */ sin(x: X<T>): T;
  /** Cosine. */ cos(x: X<T>): T;
  /** Tangent. */ tan(x: X<T>): T;
  /** Arc tangent. */ atan(x: X<T>): T;
  /** `log|Γ(x)|` */ lgamma(x: X<T>): T;
  /** `ψ(x) = d/dx log Γ(x)` */ digamma(x: X<T>): T;
  /** The error function. */ erf(x: X<T>): T;
  /** The inverse error function on (-1, 1). */ erfinv(x: X<T>): T;

  // ----------------------------------------------------- elementwise, binary
  /** `a + b` */ add(a: X<T>, b: X<T>): T;
  /** `a - b` */ sub(a: X<T>, b: X<T>): T;
  /** `a * b` */ mul(a: X<T>, b: X<T>): T;
  /** `a / b` */ div(a: X<T>, b: X<T>): T;
  /** `aᵇ` */ pow(a: X<T>, b: X<T>): T;
  /** Elementwise maximum. */ maximum(a: X<T>, b: X<T>): T;
  /** Elementwise minimum. */ minimum(a: X<T>, b: X<T>): T;
  /** `x` clamped to `[lo, hi]`. */ clamp(x: X<T>, lo: number, hi: number): T;

  // -------------------------------------------------- comparison and masks
  /** `a == b` as a mask. */ eq(a: X<T>, b: X<T>): T;
  /** `a != b` as a mask. */ ne(a: X<T>, b: X<T>): T;
  /** `a < b` as a mask. */ lt(a: X<T>, b: X<T>): T;
  /** `a <= b` as a mask. */ le(a: X<T>, b: X<T>): T;
  /** `a > b` as a mask. */ gt(a: X<T>, b: X<T>): T;
  /** `a >= b` as a mask. */ ge(a: X<T>, b: X<T>): T;
  /** Mask of finite elements. */ isFinite(x: X<T>): T;
  /** Mask of NaN elements. */ isNaN(x: X<T>): T;
  /** Elementwise and of masks. */ logicalAnd(a: X<T>, b: X<T>): T;
  /** Elementwise or of masks. */ logicalOr(a: X<T>, b: X<T>): T;
  /** Elementwise not of a mask. */ logicalNot(a: X<T>): T;
  /** `cond ? a : b` elementwise, broadcasting all three. */
  where(cond: X<T>, a: X<T>, b: X<T>): T;
  /** A mask (or any tensor) as floating point values (true → 1). */
  toFloat(x: X<T>): T;

  // ------------------------------------------------------------- reductions
  /** Sum over `axis` (all axes by default). */ sum(x: X<T>, axis?: ReduceArg): T;
  /** Mean over `axis`. */ mean(x: X<T>, axis?: ReduceArg): T;
  /** Product over `axis`. */ prod(x: X<T>, axis?: ReduceArg): T;
  /** Maximum over `axis`. */ max(x: X<T>, axis?: ReduceArg): T;
  /** Minimum over `axis`. */ min(x: X<T>, axis?: ReduceArg): T;
  /** `log Σ exp(x)` over `axis`, computed stably. */ logsumexp(x: X<T>, axis?: ReduceArg): T;
  /** Whether all elements of a mask are true, over `axis`. */ all(x: X<T>, axis?: ReduceArg): T;
  /** Whether any element of a mask is true, over `axis`. */ any(x: X<T>, axis?: ReduceArg): T;
  /** Index of the maximum along one axis (default -1), as whole floats. */
  argmax(x: X<T>, axis?: number): T;
  /** Cumulative sum along one axis. */
  cumsum(x: X<T>, axis?: number, options?: CumsumOptions): T;

  // ------------------------------------------------------------------ shape
  /** `x` with a new shape of the same size; one entry may be -1. */
  reshape(x: X<T>, shape: Shape): T;
  /** `x` broadcast to `shape` (numpy `broadcast_to`). */
  expand(x: X<T>, shape: Shape): T;
  /** `x` without size-1 axes (`axis` given: only those). */
  squeeze(x: X<T>, axis?: number | readonly number[]): T;
  /** `x` with a new size-1 axis at `axis`. */
  unsqueeze(x: X<T>, axis: number): T;
  /** `x` with its axes permuted (reversed by default). */
  transpose(x: X<T>, perm?: readonly number[]): T;
  /** Tensors joined along an existing axis. */
  concat(xs: readonly X<T>[], axis?: number): T;
  /** Tensors stacked along a new axis. */
  stack(xs: readonly X<T>[], axis?: number): T;
  /** The slices of `x` along `axis`. */
  unstack(x: X<T>, axis?: number): T[];
  /** A contiguous slice: `begin` per axis, `size` per axis (-1 = to the end). */
  slice(x: X<T>, begin: readonly number[], size: readonly number[]): T;
  /** `x` padded with `value`: `paddings[i] = [before, after]` for axis i. */
  pad(x: X<T>, paddings: readonly (readonly [number, number])[], value?: number): T;

  // --------------------------------------------------------------- indexing
  /** `x[idx]`: rows of `x` along axis 0; shape `idx.shape ++ x.shape[1:]`. */
  index(x: X<T>, idx: X<T>): T;
  /** numpy `take`: elements along `axis` at `idx`. */
  take(x: X<T>, idx: X<T>, axis: number): T;
  /**
   * numpy `take_along_axis`: `idx` has `x`'s rank; the two broadcast on every
   * axis but `axis`.
   */
  takeAlongAxis(x: X<T>, idx: X<T>, axis: number): T;
  /** One-hot encoding of whole-number `idx` with `depth` classes (new last axis). */
  oneHot(idx: X<T>, depth: number): T;

  // --------------------------------------------------------- linear algebra
  /** Batched matrix product of the last two axes, broadcasting batch axes. */
  matmul(a: X<T>, b: X<T>): T;
  /** Lower Cholesky factor of symmetric positive-definite matrices (batched). */
  cholesky(a: X<T>): T;
  /** Solves `a x = b` (or `aᵀ x = b`) for triangular `a` (batched). */
  triangularSolve(a: X<T>, b: X<T>, options?: TriangularSolveOptions): T;
  /** The diagonal of the last two axes. */
  diagonal(x: X<T>): T;
  /** Square matrices with `x`'s last axis on the diagonal. */
  diagEmbed(x: X<T>): T;

  // ------------------------------------------------------- custom kernels
  /**
   * A tensor computed by a float64 JavaScript kernel, with a hand-written
   * gradient. `forward` receives each input's flat row-major data and shape;
   * `backward` receives the output cotangent, the output and the inputs and
   * returns one cotangent per input (shaped like that input).
   */
  custom(
    inputs: readonly X<T>[],
    forward: (data: readonly Float64Array[], shapes: readonly Shape[]) => { data: ArrayLike<number>; shape: Shape },
    backward: (dy: T, y: T, inputs: readonly T[]) => readonly T[],
  ): T;
  /**
   * An elementwise function computed by a float64 kernel that returns the
   * value and the derivative of each element (special functions, implicit
   * reparameterization gradients).
   */
  elementwise(x: X<T>, kernel: (x: Float64Array) => { value: Float64Array; derivative: Float64Array }): T;

  // ------------------------------------------------------------- autodiff
  /** The value and the gradients of a scalar function at `xs`. */
  valueAndGrad(f: (xs: readonly T[]) => T, xs: readonly T[]): ValueAndGrad<T>;
  /** `x` with gradients blocked. */
  stopGradient(x: X<T>): T;

  // ---------------------------------------------------------------- memory
  /** Runs `f` and frees every tensor it made that is not in its result. */
  tidy<R>(f: () => R): R;
  /** Exempts `x` from the enclosing `tidy`. */
  keep<S extends T>(x: S): S;
  /** Frees tensors now. */
  dispose(x: T | readonly T[]): void;
  /** The number of live tensors (for leak tests). */
  numTensors(): number;

  // --------------------------------------------------------------- testing
  /** Whether `a` and `b` have broadcast-compatible shapes and close values. */
  allclose(a: X<T>, b: X<T>, options?: AllcloseOptions): boolean;
}
