/**
 * The inverse mass matrix of Hamiltonian Monte Carlo, diagonal or dense, and
 * what the kernels need from it: the kinetic energy K(p) = ½·pᵀM⁻¹p, the
 * velocity M⁻¹p (Stan's `dtau_dp`, the "sharp" momentum of the no-U-turn
 * criterion) and momentum draws p ~ N(0, M).
 *
 * All arithmetic is float64 on `Float64Array`s (dense matrices row-major).
 *
 * @module
 */

/** The error thrown when a dense inverse mass matrix is not symmetric positive definite. */
export class MassMatrixError extends Error {
  /** Makes the error with `detail`. */
  constructor(detail: string) {
    super(`mass matrix: ${detail}`);
    this.name = "MassMatrixError";
  }
}

/** A diagonal or dense inverse mass matrix of dimension `size`. */
export type InverseMassMatrix =
  | {
      /** Diagonal. */
      readonly kind: "diagonal";
      /** The dimension. */
      readonly size: number;
      /** The diagonal of M⁻¹. */
      readonly diagonal: Float64Array;
    }
  | {
      /** Dense. */
      readonly kind: "dense";
      /** The dimension. */
      readonly size: number;
      /** M⁻¹, row-major `size × size`. */
      readonly matrix: Float64Array;
      /** The lower Cholesky factor L of M⁻¹ = L·Lᵀ, row-major. */
      readonly cholesky: Float64Array;
    };

/** The lower Cholesky factor of the symmetric positive-definite row-major `a` (n × n). */
export function choleskyLower(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new MassMatrixError(`not positive definite (pivot ${i} is ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** The identity inverse mass matrix of dimension `size`, diagonal or dense. */
export function identityInverseMass(size: number, dense: boolean): InverseMassMatrix {
  if (!dense) return { kind: "diagonal", size, diagonal: new Float64Array(size).fill(1) };
  const m = new Float64Array(size * size);
  for (let i = 0; i < size; i++) m[i * size + i] = 1;
  return { kind: "dense", size, matrix: m, cholesky: Float64Array.from(m) };
}

/** A dense inverse mass matrix from a symmetric positive-definite row-major matrix. */
export function denseInverseMass(matrix: Float64Array, size: number): InverseMassMatrix {
  return { kind: "dense", size, matrix, cholesky: choleskyLower(matrix, size) };
}

/** The velocity M⁻¹p. */
export function velocity(minv: InverseMassMatrix, p: Float64Array): Float64Array {
  return velocityInto(minv, p, new Float64Array(minv.size));
}

/** The velocity M⁻¹p, written into `v` (which must not be `p`); returns `v`. */
export function velocityInto(minv: InverseMassMatrix, p: Float64Array, v: Float64Array): Float64Array {
  const n = minv.size;
  if (minv.kind === "diagonal") {
    for (let i = 0; i < n; i++) v[i] = minv.diagonal[i]! * p[i]!;
  } else {
    const m = minv.matrix;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j]! * p[j]!;
      v[i] = s;
    }
  }
  return v;
}

/** The dot product of `a` and `b`. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The kinetic energy ½·pᵀM⁻¹p (= ½·p·{@link velocity}(p), without allocating it). */
export function kineticEnergy(minv: InverseMassMatrix, p: Float64Array): number {
  const n = minv.size;
  let s = 0;
  if (minv.kind === "diagonal") {
    const d = minv.diagonal;
    for (let i = 0; i < n; i++) s += p[i]! * (d[i]! * p[i]!);
  } else {
    const m = minv.matrix;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += m[i * n + j]! * p[j]!;
      s += p[i]! * v;
    }
  }
  return 0.5 * s;
}

/**
 * A momentum p ~ N(0, M) from standard normals `z`: p = z / √diag for a
 * diagonal M⁻¹; for a dense one with M⁻¹ = L·Lᵀ, p solves Lᵀp = z, so
 * Cov(p) = L⁻ᵀL⁻¹ = (L·Lᵀ)⁻¹ = M. Written into `out` when given (it may be `z`).
 */
export function momentumFromNormals(minv: InverseMassMatrix, z: Float64Array, out?: Float64Array): Float64Array {
  const n = minv.size;
  // In place (`out` = `z`) works too: element i of z is read before p[i] is written, and only p[k > i] is read after.
  const p = out ?? new Float64Array(n);
  if (minv.kind === "diagonal") {
    for (let i = 0; i < n; i++) p[i] = z[i]! / Math.sqrt(minv.diagonal[i]!);
    return p;
  }
  const l = minv.cholesky;
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * p[k]!;
    p[i] = s / l[i * n + i]!;
  }
  return p;
}
