/**
 * Small float64 linear algebra for the Laplace approximation: the Hessian by
 * central differences of a gradient, Cholesky factors and the inverse of a
 * symmetric positive-definite matrix. Matrices are row-major `Float64Array`s
 * of `n × n`; `n` is a model's latent dimension, so plain loops suffice.
 *
 * @module
 */

/**
 * The symmetrized Hessian `(H + Hᵀ)/2` of a function whose gradient is
 * `grad`, at `q`, with `H_ij = (∂_j f(q + h_i e_i) − ∂_j f(q − h_i e_i)) / 2h_i`.
 * The error of each entry is `O(h²)` (truncation) plus the gradient's
 * rounding error divided by `h`.
 */
export function centralDifferenceHessian(
  grad: (q: Float64Array) => Float64Array,
  q: Float64Array,
  step: (i: number) => number,
): Float64Array {
  const n = q.length;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const hi = step(i);
    const up = Float64Array.from(q);
    const down = Float64Array.from(q);
    up[i] = q[i]! + hi;
    down[i] = q[i]! - hi;
    const gu = grad(up);
    const gd = grad(down);
    for (let j = 0; j < n; j++) h[i * n + j] = (gu[j]! - gd[j]!) / (2 * hi);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (h[i * n + j]! + h[j * n + i]!);
      h[i * n + j] = s;
      h[j * n + i] = s;
    }
  }
  return h;
}

/** The result of {@link cholesky}: the lower factor, or where it failed. */
export type CholeskyResult = CholeskySuccess | CholeskyFailure;

/** A successful factorization. */
export interface CholeskySuccess {
  /** Discriminant. */
  readonly ok: true;
  /** The lower factor, row-major. */
  readonly lower: Float64Array;
}

/** A failed factorization: the matrix is not (numerically) positive definite. */
export interface CholeskyFailure {
  /** Discriminant. */
  readonly ok: false;
  /** The row at which the pivot was not positive. */
  readonly index: number;
  /** The pivot's value. */
  readonly pivot: number;
}

/** The lower Cholesky factor `L` of `a = L Lᵀ`, or the first non-positive pivot. */
export function cholesky(a: Float64Array, n: number): CholeskyResult {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return { ok: false, index: j, pivot: d };
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return { ok: true, lower: l };
}

/** `(L Lᵀ)⁻¹` from the lower Cholesky factor `L`. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // Solve L Y = I column by column (Y = L⁻¹, lower triangular), then A⁻¹ = Yᵀ Y.
  const y = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k]! * y[k * n + c]!;
      y[i * n + c] = s / l[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += y[k * n + i]! * y[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
