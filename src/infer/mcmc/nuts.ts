/**
 * The No-U-Turn Sampler transition (Hoffman & Gelman 2014, in the form of
 * Betancourt 2017 used by Stan and NumPyro): the trajectory doubles in a
 * random direction until the generalized no-U-turn criterion fails, the
 * tree depth reaches its maximum, or a step diverges. Points are drawn by
 * multinomial sampling — uniform progressive sampling inside each new
 * subtree, biased progressive sampling when a subtree joins the trajectory.
 *
 * The generalized criterion uses the summed momenta ρ and the "sharp"
 * momenta p♯ = M⁻¹p at the ends: a (sub)trajectory continues while
 * p♯₋·ρ > 0 and p♯₊·ρ > 0. As in Stan (≥ 2.23, with the correction of the
 * ends used between the old trajectory and a new subtree), it is also checked
 * across each merge: the left part plus the first point of the right part,
 * and the right part plus the last point of the left part.
 *
 * Subtrees are built recursively; the recursion depth is the tree depth
 * (≤ maxTreeDepth, 10 by default), so the stack stays shallow.
 *
 * @module
 */
import { dot, momentumFromNormals, velocity } from "./mass-matrix.js";
import { hamiltonian, leapfrog, type PhasePoint } from "./integrator.js";
import { MAX_DELTA_ENERGY, type Transition, type TransitionInput } from "./transition.js";

/** The ends and summed momentum of a stretch of trajectory, in the order its points were reached. */
interface Span {
  /** Σ p over the points. */
  readonly rho: Float64Array;
  /** Momentum at the first end. */
  readonly pBeg: Float64Array;
  /** Sharp momentum M⁻¹p at the first end. */
  readonly sharpBeg: Float64Array;
  /** Momentum at the last end. */
  readonly pEnd: Float64Array;
  /** Sharp momentum at the last end. */
  readonly sharpEnd: Float64Array;
}

/** A finished, valid subtree, its points in integration order. */
interface Tree extends Span {
  /** The outermost point in the direction of integration (where to continue). */
  readonly edge: PhasePoint;
  /** The point sampled from the tree. */
  readonly proposal: PhasePoint;
  /** log Σ exp(H0 − H) over the tree's points. */
  readonly logWeight: number;
}

/** Per-transition counters. */
interface TreeContext extends TransitionInput {
  readonly h0: number;
  numSteps: number;
  sumAcceptProb: number;
  diverging: boolean;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

/** The generalized no-U-turn criterion: the trajectory has not turned back at either end. */
function noUTurn(sharpMinus: Float64Array, sharpPlus: Float64Array, rho: Float64Array): boolean {
  return dot(sharpPlus, rho) > 0 && dot(sharpMinus, rho) > 0;
}

/**
 * Whether joining `first` then `second` (adjacent spans, in one consistent order)
 * keeps the criterion satisfied over the whole, and over each part extended by
 * the neighbouring point of the other.
 */
function mergedCriterion(first: Span, second: Span, rho: Float64Array): boolean {
  return (
    noUTurn(first.sharpBeg, second.sharpEnd, rho) &&
    noUTurn(first.sharpBeg, second.sharpBeg, add(first.rho, second.pBeg)) &&
    noUTurn(first.sharpEnd, second.sharpEnd, add(second.rho, first.pEnd))
  );
}

/** A subtree of 2^depth leapfrog steps from `start` in direction `sign`, or null if it is invalid. */
function buildTree(ctx: TreeContext, start: PhasePoint, depth: number, sign: 1 | -1): Tree | null {
  if (depth === 0) {
    const z = leapfrog(ctx.potential, ctx.inverseMass, start, sign * ctx.stepSize);
    ctx.numSteps++;
    const h = hamiltonian(ctx.inverseMass, z);
    if (h - ctx.h0 > MAX_DELTA_ENERGY) ctx.diverging = true;
    const logW = ctx.h0 - h;
    ctx.sumAcceptProb += logW > 0 ? 1 : Math.exp(logW);
    if (ctx.diverging) return null;
    const sharp = velocity(ctx.inverseMass, z.p);
    return { edge: z, proposal: z, logWeight: logW, rho: z.p, pBeg: z.p, sharpBeg: sharp, pEnd: z.p, sharpEnd: sharp };
  }
  const init = buildTree(ctx, start, depth - 1, sign);
  if (init === null) return null;
  const final = buildTree(ctx, init.edge, depth - 1, sign);
  if (final === null) return null;
  const logWeight = logAddExp(init.logWeight, final.logWeight);
  // Uniform progressive sampling: the final half's proposal with probability w_final / w_subtree.
  const takeFinal = ctx.draws.uniform() < Math.exp(final.logWeight - logWeight);
  const rho = add(init.rho, final.rho);
  if (!mergedCriterion(init, final, rho)) return null;
  return {
    edge: final.edge,
    proposal: takeFinal ? final.proposal : init.proposal,
    logWeight,
    rho,
    pBeg: init.pBeg,
    sharpBeg: init.sharpBeg,
    pEnd: final.pEnd,
    sharpEnd: final.sharpEnd,
  };
}

/** The NUTS transition with trees of depth at most `maxTreeDepth`. */
export function nutsTransition(maxTreeDepth: number): Transition {
  return (input, current) => {
    const { inverseMass, draws } = input;
    const z0: PhasePoint = { ...current, p: momentumFromNormals(inverseMass, draws.normals(current.q.length)) };
    const ctx: TreeContext = { ...input, h0: hamiltonian(inverseMass, z0), numSteps: 0, sumAcceptProb: 0, diverging: false };
    const sharp0 = velocity(inverseMass, z0.p);
    // The trajectory so far, in time order (first end = earliest point).
    let trajectory: Span = { rho: z0.p, pBeg: z0.p, sharpBeg: sharp0, pEnd: z0.p, sharpEnd: sharp0 };
    let forwardEdge = z0;
    let backwardEdge = z0;
    let sample = z0;
    let logWeight = 0;
    let depth = 0;
    while (depth < maxTreeDepth) {
      const forward = draws.uniform() > 0.5;
      const tree = buildTree(ctx, forward ? forwardEdge : backwardEdge, depth, forward ? 1 : -1);
      if (tree === null) break;
      depth++;
      // Biased progressive sampling: move to the new subtree with probability min(1, w_new / w_old).
      if (tree.logWeight > logWeight || draws.uniform() < Math.exp(tree.logWeight - logWeight)) sample = tree.proposal;
      logWeight = logAddExp(logWeight, tree.logWeight);
      const rho = add(trajectory.rho, tree.rho);
      let first: Span;
      let second: Span;
      if (forward) {
        forwardEdge = tree.edge;
        [first, second] = [trajectory, tree];
      } else {
        // A backward subtree's points were reached backwards in time: reverse its ends.
        backwardEdge = tree.edge;
        first = { rho: tree.rho, pBeg: tree.pEnd, sharpBeg: tree.sharpEnd, pEnd: tree.pBeg, sharpEnd: tree.sharpBeg };
        second = trajectory;
      }
      trajectory = { rho, pBeg: first.pBeg, sharpBeg: first.sharpBeg, pEnd: second.pEnd, sharpEnd: second.sharpEnd };
      if (!mergedCriterion(first, second, rho)) break;
    }
    return {
      point: sample,
      acceptProb: ctx.numSteps > 0 ? ctx.sumAcceptProb / ctx.numSteps : 0,
      diverging: ctx.diverging,
      numSteps: ctx.numSteps,
      treeDepth: depth,
    };
  };
}
