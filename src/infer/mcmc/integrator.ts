/**
 * Phase-space points and the leapfrog (velocity Verlet) integrator shared by
 * the HMC and NUTS kernels, on float64 vectors.
 *
 * @module
 */
import type { PotentialAndGrad } from "../latents.js";
import { kineticEnergy, velocity, type InverseMassMatrix } from "./mass-matrix.js";

/**
 * U(q) and ∇U(q) at a point of the flat unconstrained space. With `gradOut`
 * the function may write ∇U into it and return it as `grad` (the in-place
 * integrator passes its own buffer); otherwise `grad` is a new array.
 */
export type PotentialFn = (q: Float64Array, gradOut?: Float64Array) => PotentialAndGrad;

/** A point of phase space with its potential energy and gradient (never mutated). */
export interface PhasePoint {
  /** The position (unconstrained latents). */
  readonly q: Float64Array;
  /** The momentum. */
  readonly p: Float64Array;
  /** U(q). */
  readonly potential: number;
  /** ∇U(q). */
  readonly grad: Float64Array;
}

/** A phase point in buffers a kernel owns and integrates in place. */
export interface MutablePoint {
  /** The position. */
  readonly q: Float64Array;
  /** The momentum. */
  readonly p: Float64Array;
  /** U(q). */
  potential: number;
  /** ∇U(q). */
  readonly grad: Float64Array;
}

/** A mutable copy of `z` in new buffers. */
export function mutableCopy(z: PhasePoint): MutablePoint {
  return { q: z.q.slice(), p: z.p.slice(), potential: z.potential, grad: z.grad.slice() };
}

/** Copies `from` into `to`'s buffers. */
export function copyPoint(to: MutablePoint, from: PhasePoint): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.grad.set(from.grad);
  to.potential = from.potential;
}

/**
 * One leapfrog step of size `eps` (negative to integrate backwards in time)
 * from `from` into `to`'s buffers: p ← p − ε/2·∇U(q); q ← q + ε·M⁻¹p;
 * p ← p − ε/2·∇U(q). `to` may be `from` (in place); otherwise `from` is only read.
 */
export function leapfrogInto(potential: PotentialFn, minv: InverseMassMatrix, from: PhasePoint, to: MutablePoint, eps: number): void {
  const { q, p, grad } = to;
  const n = q.length;
  const half = 0.5 * eps;
  const q0 = from.q;
  const p0 = from.p;
  const g0 = from.grad;
  if (minv.kind === "diagonal") {
    const d = minv.diagonal;
    for (let i = 0; i < n; i++) {
      const pi = p0[i]! - half * g0[i]!;
      p[i] = pi;
      q[i] = q0[i]! + eps * (d[i]! * pi);
    }
  } else {
    for (let i = 0; i < n; i++) p[i] = p0[i]! - half * g0[i]!;
    const v = velocity(minv, p);
    for (let i = 0; i < n; i++) q[i] = q0[i]! + eps * v[i]!;
  }
  const r = potential(q, grad);
  if (r.grad !== grad) grad.set(r.grad);
  to.potential = r.value;
  for (let i = 0; i < n; i++) p[i] = p[i]! - half * grad[i]!;
}

/** One leapfrog step of size `eps` in place (see {@link leapfrogInto}). */
export function leapfrogInPlace(potential: PotentialFn, minv: InverseMassMatrix, z: MutablePoint, eps: number): void {
  leapfrogInto(potential, minv, z, z, eps);
}

/** One leapfrog step of size `eps` from `z` to a new point (see {@link leapfrogInPlace}). */
export function leapfrog(potential: PotentialFn, minv: InverseMassMatrix, z: PhasePoint, eps: number): PhasePoint {
  const next = mutableCopy(z);
  leapfrogInPlace(potential, minv, next, eps);
  return next;
}

/** The Hamiltonian H = U(q) + K(p); `Infinity` when it is NaN (as Stan). */
export function hamiltonian(minv: InverseMassMatrix, z: PhasePoint): number {
  const h = z.potential + kineticEnergy(minv, z.p);
  return Number.isNaN(h) ? Infinity : h;
}
