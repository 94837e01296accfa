/**
 * Runtime helpers of compiled code: scalar functions with the base ops'
 * exact formulas, reductions and matrix products over precomputed index
 * maps, and their vector-Jacobian products.
 *
 * The scalar formulas are those of the float64 ndarray kernels (stable
 * sigmoid and softplus, round half to even), and the special functions are
 * the same float64 implementations, so compiled values agree with eager ones
 * up to the order of floating point sums.
 *
 * @module
 */
import { digamma, erf, erfinv, lgamma, trigamma } from "../../special/index.js";
import type { MatmulPlan, ReductionMaps } from "./maps.js";
import { TensorOpError } from "../../errors.js";

const SQRT_PI = Math.sqrt(Math.PI);

/** `1 / (1 + e⁻ˣ)`, stable for large `|x|`. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `log(1 + eˣ)`, stable for large `|x|`. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Round half to even (numpy). */
function round(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

type Maps = ReductionMaps;

function sum({ base, offs }: Maps, x: Float64Array, out: Float64Array, scale: number): void {
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    let s = 0;
    for (let r = 0; r < offs.length; r++) s += x[b + offs[r]!]!;
    out[o] = s * scale;
  }
}

function extreme({ base, offs }: Maps, x: Float64Array, out: Float64Array, sign: number): void {
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    let m = -Infinity * sign;
    for (let r = 0; r < offs.length; r++) {
      const v = x[b + offs[r]!]!;
      if (v !== v) { m = NaN; break; }
      if (sign > 0 ? v > m : v < m) m = v;
    }
    out[o] = m;
  }
}

function prod({ base, offs }: Maps, x: Float64Array, out: Float64Array): void {
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    let p = 1;
    for (let r = 0; r < offs.length; r++) p *= x[b + offs[r]!]!;
    out[o] = p;
  }
}

function logsumexp({ base, offs }: Maps, x: Float64Array, out: Float64Array): void {
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    let m = -Infinity;
    for (let r = 0; r < offs.length; r++) {
      const v = x[b + offs[r]!]!;
      if (v > m || v !== v) m = v;
    }
    const shift = Number.isFinite(m) ? m : 0;
    let s = 0;
    for (let r = 0; r < offs.length; r++) s += Math.exp(x[b + offs[r]!]! - shift);
    out[o] = Math.log(s) + shift;
  }
}

function logical({ base, offs }: Maps, x: Float64Array, out: Float64Array, all: boolean): void {
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    let v = all ? 1 : 0;
    for (let r = 0; r < offs.length; r++) {
      const nz = x[b + offs[r]!]! !== 0;
      if (all && !nz) { v = 0; break; }
      if (!all && nz) { v = 1; break; }
    }
    out[o] = v;
  }
}

/** The forward kernel of reduction `op` (writes `out`). */
export function reduceForward(op: string, maps: Maps, x: Float64Array, out: Float64Array): void {
  switch (op) {
    case "sum": return sum(maps, x, out, 1);
    case "mean": return sum(maps, x, out, 1 / maps.offs.length);
    case "max": return extreme(maps, x, out, 1);
    case "min": return extreme(maps, x, out, -1);
    case "prod": return prod(maps, x, out);
    case "logsumexp": return logsumexp(maps, x, out);
    case "all": return logical(maps, x, out, true);
    case "any": return logical(maps, x, out, false);
    default: throw new TensorOpError(`compiled reduce: unknown op ${op}`);
  }
}

/** Adds the cotangent of reduction `op` (output `y`, cotangent `g`) into `gx`. */
export function reduceBackward(op: string, { base, offs }: Maps, x: Float64Array, y: Float64Array, g: Float64Array, gx: Float64Array): void {
  const n = offs.length;
  for (let o = 0; o < base.length; o++) {
    const b = base[o]!;
    const go = g[o]!;
    if (op === "sum" || op === "mean") {
      const v = op === "mean" ? go / n : go;
      for (let r = 0; r < n; r++) gx[b + offs[r]!]! += v;
    } else if (op === "max" || op === "min") {
      const yo = y[o]!;
      let count = 0;
      for (let r = 0; r < n; r++) if (x[b + offs[r]!] === yo) count++;
      const share = go / count;
      for (let r = 0; r < n; r++) if (x[b + offs[r]!] === yo) gx[b + offs[r]!]! += share;
    } else if (op === "logsumexp") {
      const yo = y[o]!;
      for (let r = 0; r < n; r++) {
        const i = b + offs[r]!;
        gx[i]! += yo === -Infinity ? 0 : go * Math.exp(x[i]! - yo);
      }
    } else if (op === "prod") {
      // g · Π_{j≠i} x_j by prefix and suffix products (exact where elements are 0).
      let acc = 1;
      const pre = new Float64Array(n);
      for (let r = 0; r < n; r++) { pre[r] = acc; acc *= x[b + offs[r]!]!; }
      acc = go;
      for (let r = n - 1; r >= 0; r--) { gx[b + offs[r]!]! += pre[r]! * acc; acc *= x[b + offs[r]!]!; }
    }
  }
}

/** `out = a · b` batched by `plan`. */
export function matmulForward(p: MatmulPlan, a: Float64Array, b: Float64Array, out: Float64Array): void {
  const { n, k, m, offA, offB } = p;
  for (let t = 0; t < offA.length; t++) {
    const oa = offA[t]!;
    const ob = offB[t]!;
    const oo = t * n * m;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[oa + i * k + q]! * b[ob + q * m + j]!;
        out[oo + i * m + j] = s;
      }
    }
  }
}

/** Adds `g · bᵀ` into `ga` and `aᵀ · g` into `gb` (either may be `undefined`), batched by `plan`. */
export function matmulBackward(p: MatmulPlan, a: Float64Array, b: Float64Array, g: Float64Array, ga: Float64Array | undefined, gb: Float64Array | undefined): void {
  const { n, k, m, offA, offB } = p;
  for (let t = 0; t < offA.length; t++) {
    const oa = offA[t]!;
    const ob = offB[t]!;
    const oo = t * n * m;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const gij = g[oo + i * m + j]!;
        for (let q = 0; q < k; q++) {
          if (ga !== undefined) ga[oa + i * k + q]! += gij * b[ob + q * m + j]!;
          if (gb !== undefined) gb[ob + q * m + j]! += a[oa + i * k + q]! * gij;
        }
      }
    }
  }
}

/** Whether two flat arrays hold the same values (NaN equals NaN). */
export function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

/** Adds `src` into `dst` elementwise. */
export function accumulate(dst: Float64Array, src: ArrayLike<number>): void {
  for (let i = 0; i < dst.length; i++) dst[i]! += src[i]!;
}

/** The helpers compiled code calls, by short name. */
export const KERNELS = {
  sigmoid, softplus, round, lgamma, digamma, trigamma, erf, erfinv,
  erfD: (x: number) => (2 / SQRT_PI) * Math.exp(-x * x),
  erfinvD: (y: number) => (SQRT_PI / 2) * Math.exp(y * y),
  reduceForward, reduceBackward, matmulForward, matmulBackward, sameValues, accumulate,
};

/** The type of {@link KERNELS}. */
export type Kernels = typeof KERNELS;
