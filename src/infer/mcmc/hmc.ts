/**
 * The Hamiltonian Monte Carlo transition (Neal 2011): a fresh momentum, a
 * fixed number of leapfrog steps, and a Metropolis test on the energy.
 *
 * @module
 */
import { hamiltonian, leapfrog, type PhasePoint } from "./integrator.js";
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
  return ({ potential, inverseMass, stepSize, draws }, current) => {
    const n = current.q.length;
    let z: PhasePoint = { ...current, p: momentumFromNormals(inverseMass, draws.normals(n)) };
    const h0 = hamiltonian(inverseMass, z);
    const numSteps = leapfrogSteps(steps, stepSize);
    let h1 = h0;
    let taken = 0;
    for (; taken < numSteps; taken++) {
      z = leapfrog(potential, inverseMass, z, stepSize);
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
