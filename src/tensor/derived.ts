/**
 * Derived ops: the members of {@link Ops} that can be written with the others.
 *
 * A backend implements {@link CoreOps} and calls {@link completeOps}; every
 * member of {@link DerivedOpsKeys} it leaves out is filled in here, written
 * once against the core. Special functions, `logsumexp` and linear algebra
 * run as float64 JavaScript kernels through `core.custom` (the linear algebra
 * gradients are written with ops, so every backend differentiates them the
 * same way; `logsumexp`'s backward is a float64 softmax kernel, for speed on
 * the tfjs cpu backend, where ~12 small ops cost ~10× more).
 *
 * Every derived body that makes intermediate tensors runs inside `ops.tidy`,
 * so calling it outside a tidy leaks nothing.
 *
 * @module
 */
import { broadcastIndex, choleskyKernel, triangularSolveKernel } from "./kernels/linalg.js";
import type { AllcloseOptions, CoreOps, DerivedOpsKeys, Ops, TriangularSolveOptions } from "./ops.js";
import { formatShape, normalizeAxis, shapesEqual, sizeOf, tryBroadcastShapes } from "./shape.js";
import * as special from "./special/index.js";
import { reduceOptions, type Axis, type ReduceArg, type Shape, type TensorLike } from "./types.js";
import { TensorOpError } from "./errors.js";

/** A float64 kernel for {@link Ops.elementwise}: values and derivatives. */
type ElementKernel = (x: Float64Array) => { value: Float64Array; derivative: Float64Array };

/** An {@link ElementKernel} from a scalar function and its derivative `df(x, f(x))`. */
function scalarKernel(f: (x: number) => number, df: (x: number, y: number) => number): ElementKernel {
  return (x) => {
    const n = x.length;
    const value = new Float64Array(n);
    const derivative = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = f(x[i]!);
      value[i] = y;
      derivative[i] = df(x[i]!, y);
    }
    return { value, derivative };
  };
}

const SQRT_PI = Math.sqrt(Math.PI);
const lgammaKernel = scalarKernel(special.lgamma, (x) => special.digamma(x));
const digammaKernel = scalarKernel(special.digamma, (x) => special.trigamma(x));
const erfKernel = scalarKernel(special.erf, (x) => (2 / SQRT_PI) * Math.exp(-x * x));
const erfinvKernel = scalarKernel(special.erfinv, (_x, y) => (SQRT_PI / 2) * Math.exp(y * y));

/** The reduced axes of a reduction over `axis` of a rank-`rank` tensor, sorted and non-negative. */
function reducedAxes(axis: Axis | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  return [...new Set(list.map((a) => normalizeAxis(a, rank)))].sort((a, b) => a - b);
}

/**
 * `log Σ exp` of `x` into `n` slots (`slot[i]` is the slot of `x[i]`), shifted
 * by each slot's maximum; a slot of only −∞ gives −∞, one with +∞ gives +∞.
 */
function logsumexpKernel(x: Float64Array, slot: Int32Array, n: number): Float64Array {
  const max = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < x.length; i++) if (x[i]! > max[slot[i]!]!) max[slot[i]!] = x[i]!; // NaN: see the sum
  const sum = new Float64Array(n);
  for (let i = 0; i < x.length; i++) {
    const m = max[slot[i]!]!;
    sum[slot[i]!] += Math.exp(x[i]! - (Number.isFinite(m) ? m : 0));
  }
  for (let o = 0; o < n; o++) sum[o] = Math.log(sum[o]!) + (Number.isFinite(max[o]!) ? max[o]! : 0);
  return sum;
}

/** `n × n` mask, row-major: `diag` on the diagonal, 1 in the named triangle, 0 elsewhere. */
function triangleMask(n: number, lower: boolean, diag: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * n + j] = i === j ? diag : (lower ? j < i : j > i) ? 1 : 0;
  }
  return m;
}

/**
 * Fills every member of {@link DerivedOpsKeys} that `core` does not implement
 * from `core`'s other members, and returns the complete {@link Ops}.
 *
 * `core` must be a plain object (its own enumerable members are copied);
 * derived members call members of the returned object, so a native member
 * always wins over a derived one.
 *
 * @example
 * ```ts
 * const ops: Ops<tf.Tensor> = completeOps(tfjsCore);
 * ops.logsumexp([[0, 0], [-Infinity, -Infinity]], -1); // [log 2, -∞]
 * ```
 */
export function completeOps<T>(core: CoreOps<T>): Ops<T> {
  type X = TensorLike<T>;
  const ops = { ...core } as Ops<T>;

  /** `x` with its last two axes swapped. */
  const mT = (x: T): T => {
    const r = ops.shape(x).length;
    const perm = Array.from({ length: r }, (_, i) => i);
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return ops.transpose(x, perm);
  };

  /** `g` summed over the axes along which a tensor of shape `target` was broadcast to `g`'s shape. */
  const sumToShape = (g: T, target: Shape): T => {
    const gs = ops.shape(g);
    if (shapesEqual(gs, target)) return g;
    const lead = gs.length - target.length;
    const axes: number[] = [];
    for (let i = 0; i < gs.length; i++) if (i < lead || (target[i - lead] === 1 && gs[i] !== 1)) axes.push(i);
    return ops.reshape(ops.sum(g, { axis: axes, keepdims: true }), target);
  };

  // ------------------------------------------------------------- creation
  ops.zerosLike ??= (x: X) => ops.zeros(ops.shape(x));
  ops.onesLike ??= (x: X) => ops.ones(ops.shape(x));
  ops.full ??= (shape, value) => ops.fromFlat(new Float64Array(sizeOf(shape)).fill(value), shape);

  // ---------------------------------------------------------- elementwise
  ops.square ??= (x: X) => ops.mul(x, x);
  ops.reciprocal ??= (x: X) => ops.div(1, x);
  ops.clamp ??= (x: X, lo: number, hi: number) => ops.tidy(() => ops.minimum(ops.maximum(x, lo), hi));
  ops.binaryCrossEntropyWithLogits ??= (l: X, t: X) => ops.tidy(() => ops.sub(ops.softplus(l), ops.mul(t, l)));

  ops.elementwise ??= (x: X, kernel: ElementKernel) => {
    // The forward pass keeps the derivative for the backward pass of this call only.
    let derivative: Float64Array = new Float64Array(0);
    let shape: Shape = [];
    return ops.custom(
      [x],
      ([data], [s]) => {
        const r = kernel(data!);
        derivative = r.derivative;
        shape = s!;
        return { data: r.value, shape };
      },
      (dy) => ops.tidy(() => [ops.mul(dy, ops.fromFlat(derivative, shape))]),
    );
  };
  ops.lgamma ??= (x: X) => ops.elementwise(x, lgammaKernel);
  ops.digamma ??= (x: X) => ops.elementwise(x, digammaKernel);
  ops.erf ??= (x: X) => ops.elementwise(x, erfKernel);
  ops.erfinv ??= (x: X) => ops.elementwise(x, erfinvKernel);

  // ----------------------------------------------------------- reductions
  ops.mean ??= (x: X, arg?: ReduceArg) =>
    ops.tidy(() => {
      const shape = ops.shape(x);
      let count = 1;
      for (const a of reducedAxes(reduceOptions(arg).axis, shape.length)) count *= shape[a]!;
      return ops.div(ops.sum(x, arg), count);
    });

  ops.logsumexp ??= (x: X, arg?: ReduceArg) => {
    // One float64 kernel: max-shifted forward; backward dy·exp(x − y) (the
    // softmax) from the float64 result, 0 on slices whose result is −∞ (all
    // entries −∞), so they give −∞ and a zero gradient rather than NaN.
    const opts = reduceOptions(arg);
    let x64: Float64Array = new Float64Array(0);
    let y64: Float64Array = new Float64Array(0);
    let slot: Int32Array = new Int32Array(0);
    let xShape: Shape = [];
    return ops.custom(
      [x],
      ([data], [shape]) => {
        x64 = data!;
        xShape = shape!;
        const axes = reducedAxes(opts.axis, xShape.length);
        const kept = xShape.map((d, i) => (axes.includes(i) ? 1 : d));
        slot = broadcastIndex(xShape, kept);
        y64 = logsumexpKernel(data!, slot, sizeOf(kept));
        return { data: y64, shape: opts.keepdims ? kept : xShape.filter((_, i) => !axes.includes(i)) };
      },
      (dy) => {
        const dy64 = ops.toFlat(dy);
        const g = new Float64Array(slot.length);
        for (let i = 0; i < g.length; i++) {
          const o = slot[i]!;
          g[i] = y64[o] === -Infinity ? 0 : dy64[o]! * Math.exp(x64[i]! - y64[o]!);
        }
        return [ops.fromFlat(g, xShape)];
      },
    );
  };

  // ------------------------------------------------------------- indexing
  ops.index ??= (x: X, idx: X) => ops.take(x, idx, 0);
  ops.oneHot ??= (idx: X, depth: number) =>
    ops.tidy(() => ops.toFloat(ops.eq(ops.unsqueeze(idx, -1), ops.arange(depth))));

  ops.diagonal ??= (x: X) =>
    ops.tidy(() => {
      const s = ops.shape(x);
      if (s.length < 2) throw new TensorOpError(`ops.diagonal: argument x must have rank >= 2, got shape ${formatShape(s)}`);
      const n = s[s.length - 2]!;
      const m = s[s.length - 1]!;
      // Element (i, i) sits at i·(m + 1) in the flattened matrix.
      const flat = ops.reshape(x, [...s.slice(0, -2), n * m]);
      return ops.take(flat, ops.arange(0, Math.min(n, m) * (m + 1), m + 1), -1);
    });

  ops.diagEmbed ??= (x: X) =>
    ops.tidy(() => {
      const s = ops.shape(x);
      if (s.length < 1) throw new TensorOpError(`ops.diagEmbed: argument x must have rank >= 1, got shape ${formatShape(s)}`);
      return ops.mul(ops.unsqueeze(x, -1), ops.eye(s[s.length - 1]!));
    });

  // -------------------------------------------------------- linear algebra
  ops.cholesky ??= (a: X) =>
    ops.custom(
      [a],
      ([data], [shape]) => choleskyKernel(data!, shape!),
      // Murray (2016), "Differentiation of the Cholesky decomposition", with the
      // symmetrised result: Φ(M) is the lower triangle of M with half its
      // diagonal, S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, Ā = (S + Sᵀ) / 2. The upper triangle of L̄
      // only reaches the strict upper triangle of Lᵀ L̄, which Φ drops.
      (lBar, l) =>
        ops.tidy(() => {
          const n = ops.shape(l).at(-1)!;
          const phi = ops.mul(ops.matmul(mT(l), lBar), ops.fromFlat(triangleMask(n, true, 0.5), [n, n]));
          const x = ops.triangularSolve(l, phi, { lower: true, transpose: true }); // L⁻ᵀ Φ
          const s = mT(ops.triangularSolve(l, mT(x), { lower: true, transpose: true })); // (L⁻ᵀ Xᵀ)ᵀ = X L⁻¹
          return [ops.mul(ops.add(s, mT(s)), 0.5)];
        }),
    );

  ops.triangularSolve ??= (a: X, b: X, options: TriangularSolveOptions = {}) => {
    const lower = options.lower ?? true;
    const transpose = options.transpose ?? false;
    return ops.custom(
      [a, b],
      ([ad, bd], [as, bs]) => triangularSolveKernel(ad!, as!, bd!, bs!, lower, transpose),
      // x = M⁻¹ b with M = a or aᵀ: b̄ = M⁻ᵀ x̄ and M̄ = −b̄ xᵀ, so ā = −b̄ xᵀ
      // (or its transpose −x b̄ᵀ when M = aᵀ), kept to the triangle that is read.
      // Both are summed over the batch axes their input was broadcast along.
      (dy, x, [ta, tb]) =>
        ops.tidy(() => {
          const aShape = ops.shape(ta!);
          const n = aShape.at(-1)!;
          const gb = ops.triangularSolve(ta!, dy, { lower, transpose: !transpose });
          const outer = transpose ? ops.matmul(x, mT(gb)) : ops.matmul(gb, mT(x));
          const ga = ops.mul(outer, ops.fromFlat(triangleMask(n, lower, 1).map((v) => -v), [n, n]));
          return [sumToShape(ga, aShape), sumToShape(gb, ops.shape(tb!))];
        }),
    );
  };

  // --------------------------------------------------------------- testing
  ops.allclose ??= (a: X, b: X, options: AllcloseOptions = {}) => {
    if (tryBroadcastShapes(ops.shape(a), ops.shape(b)) === undefined) return false;
    const rtol = options.rtol ?? 1e-5;
    const atol = options.atol ?? 1e-8;
    return ops.tidy(() => {
      // numpy: |a − b| ≤ atol + rtol·|b| where b is finite (a = ±∞ fails it);
      // equal values (±∞ included) are close; NaN is close to nothing.
      const within = ops.le(ops.abs(ops.sub(a, b)), ops.add(ops.mul(ops.abs(b), rtol), atol));
      const close = ops.logicalOr(ops.logicalAnd(within, ops.isFinite(b)), ops.eq(a, b));
      return ops.item(ops.toFloat(ops.all(close))) === 1;
    });
  };

  return ops;
}
