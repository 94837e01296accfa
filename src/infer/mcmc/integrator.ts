/**
 * Phase-space points and the leapfrog (velocity Verlet) integrator shared by
 * the HMC and NUTS kernels, on float64 vectors.
 *
 * @module
 */
import type { PotentialAndGrad } from "../latents.js";
import { kineticEnergy, velocity, type InverseMassMatrix } from "./mass-matrix.js";

/** U(q) and ∇U(q) at a point of the flat unconstrained space. */
export type PotentialFn = (q: Float64Array) => PotentialAndGrad;

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

/**
 * One leapfrog step of size `eps` (negative to integrate backwards in time):
 * p ← p − ε/2·∇U(q); q ← q + ε·M⁻¹p; p ← p − ε/2·∇U(q).
 */
export function leapfrog(potential: PotentialFn, minv: InverseMassMatrix, z: PhasePoint, eps: number): PhasePoint {
  const n = z.q.length;
  const pHalf = new Float64Array(n);
  for (let i = 0; i < n; i++) pHalf[i] = z.p[i]! - 0.5 * eps * z.grad[i]!;
  const v = velocity(minv, pHalf);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = z.q[i]! + eps * v[i]!;
  const { value, grad } = potential(q);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = pHalf[i]! - 0.5 * eps * grad[i]!;
  return { q, p, potential: value, grad };
}

/** The Hamiltonian H = U(q) + K(p); `Infinity` when it is NaN (as Stan). */
export function hamiltonian(minv: InverseMassMatrix, z: PhasePoint): number {
  const h = z.potential + kineticEnergy(minv, z.p);
  return Number.isNaN(h) ? Infinity : h;
}
