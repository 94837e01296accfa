/**
 * Float64 JavaScript linear algebra for reference values of the matrix
 * families and transforms (independent of the code under test): Gauss–Jordan
 * inverse, log |det| by elimination with partial pivoting, products, and
 * numeric Jacobians by central differences.
 *
 * @module
 */

/** A matrix as rows. */
export type Matrix = number[][];

/** `A B`. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

/** `Aᵀ`. */
export function transpose(a: Matrix): Matrix {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/** `A x`. */
export function matVec(a: Matrix, x: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, v, k) => s + v * x[k]!, 0));
}

/** The inverse by Gauss–Jordan elimination with partial pivoting. */
export function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    [m[k], m[p]] = [m[p]!, m[k]!];
    const piv = m[k]![k]!;
    for (let j = 0; j < 2 * n; j++) m[k]![j]! /= piv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = m[i]![k]!;
      for (let j = 0; j < 2 * n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** `log |det A|` by elimination with partial pivoting. */
export function logAbsDet(a: Matrix): number {
  const m = a.map((r) => [...r]);
  const n = m.length;
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    [m[k], m[p]] = [m[p]!, m[k]!];
    s += Math.log(Math.abs(m[k]![k]!));
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / m[k]![k]!;
      for (let j = k; j < n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return s;
}

/** The Frobenius norm. */
export function frobenius(a: Matrix): number {
  return Math.sqrt(a.flat().reduce((s, v) => s + v * v, 0));
}

/** An upper bound of the 2-norm condition number: `‖A‖_F ‖A⁻¹‖_F`. */
export function conditionBound(a: Matrix): number {
  return frobenius(a) * frobenius(inverse(a));
}

/**
 * The log density of `N(loc, cov)` at `x` and its magnitude `Σ|terms|`:
 * `-½ (x-μ)ᵀ Σ⁻¹ (x-μ) - ½ log det Σ - (n/2) log 2π`.
 */
export function mvnLogDensity(x: readonly number[], loc: readonly number[], cov: Matrix): [number, number] {
  const d = x.map((v, i) => v - loc[i]!);
  const maha = d.reduce((s, v, i) => s + v * matVec(inverse(cov), d)[i]!, 0);
  const terms = [-0.5 * maha, -0.5 * logAbsDet(cov), -0.5 * x.length * Math.log(2 * Math.PI)];
  return [terms.reduce((a, b) => a + b, 0), terms.reduce((a, b) => a + Math.abs(b), 0)];
}

/** The Jacobian `∂f_i/∂x_j` of `f` at `x` by central differences with steps `h_j` (points rounded by `round`, e.g. to float32). */
export function numericJacobian(
  f: (x: number[]) => number[], x: readonly number[], h: (xj: number) => number, round: (v: number) => number = (v) => v,
): Matrix {
  const cols = x.map((xj, j) => {
    const step = h(xj);
    const plus = x.map((v, i) => (i === j ? round(v + step) : v));
    const minus = x.map((v, i) => (i === j ? round(v - step) : v));
    const fp = f(plus);
    const fm = f(minus);
    return fp.map((v, i) => (v - fm[i]!) / (plus[j]! - minus[j]!));
  });
  return cols[0]!.map((_, i) => cols.map((c) => c[i]!));
}
