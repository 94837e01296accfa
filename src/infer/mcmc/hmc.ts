/**
 * The Hamiltonian Monte Carlo transition (Neal 2011): a fresh momentum, a
 * fixed number of leapfrog steps, and a Metropolis test on the energy.
 *
 * @module
 */
import { hamiltonian, leapfrogInPlace, type MutablePoint } from "./integrator.js";
import { momentumFromNormals } from "./mass-matrix.js";
import { MAX_DELTA_ENERGY, type Transition } from "./transition.js";

/** How the number of leapfrog steps is chosen. */
export type HMCSteps =
  | {
      /** A fixed number of steps. */
      readonly numSteps: number;
    }
  | {
      /** A fixed integration time: ⌊length / stepSize⌋ steps (at least 1). */
      readonly trajectoryLength: number;
    };

/** The number of leapfrog steps for `steps` at step size `stepSize`. */
export function leapfrogSteps(steps: HMCSteps, stepSize: number): number {
  if ("numSteps" in steps) return steps.numSteps;
  return Math.max(1, Math.min(2 ** 20, Math.floor(steps.trajectoryLength / stepSize)));
}

/**
 * The HMC transition. Integration stops early once the energy error exceeds
 * the divergence threshold (the proposal would be rejected anyway).
 */
export function hmcTransition(steps: HMCSteps): Transition {
  return ({ potential, inverseMass, stepSize, draws, out }, current) => {
    const n = current.q.length;
    // The next point, integrated in place: in `out` when given (not the current point's buffers), else new.
    const z: MutablePoint = out !== undefined && out !== current ? out : { q: new Float64Array(n), p: new Float64Array(n), potential: 0, grad: new Float64Array(n) };
    z.q.set(current.q);
    z.grad.set(current.grad);
    z.potential = current.potential;
    momentumFromNormals(inverseMass, draws.normalsInto(z.p), z.p);
    const h0 = hamiltonian(inverseMass, z);
    const numSteps = leapfrogSteps(steps, stepSize);
    let h1 = h0;
    let taken = 0;
    for (; taken < numSteps; taken++) {
      leapfrogInPlace(potential, inverseMass, z, stepSize);
      h1 = hamiltonian(inverseMass, z);
      if (h1 - h0 > MAX_DELTA_ENERGY) {
        taken++;
        break;
      }
    }
    const delta = h1 - h0;
    const diverging = delta > MAX_DELTA_ENERGY;
    const acceptProb = diverging ? 0 : Math.min(1, Math.exp(-delta));
    const accepted = draws.uniform() < acceptProb;
    return { point: accepted ? z : current, acceptProb, diverging, numSteps: taken, treeDepth: 0 };
  };
}
