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
 * (≤ maxTreeDepth, 10 by default), so the stack stays shallow. Nothing is
 * allocated per leapfrog step: the two edges of the trajectory are
 * integrated in place, and each recursion level keeps its subtree (ends,
 * summed momentum, sampled point) in buffers reused across iterations —
 * the level below builds into its own buffers, and a finished first half is
 * handed up by swapping two levels' buffers.
 *
 * @module
 */
import { dot, momentumFromNormals, velocityInto } from "./mass-matrix.js";
import { copyPoint, hamiltonian, leapfrogInPlace, mutableCopy, type MutablePoint, type PhasePoint } from "./integrator.js";
import { MAX_DELTA_ENERGY, type Transition, type TransitionInput } from "./transition.js";

/** A stretch of trajectory in buffers: its ends, summed momentum, sampled point and weight. */
class Subtree {
  /** Σ p over the points. */
  readonly rho: Float64Array;
  /** Momentum at the first end (in integration order). */
  readonly pBeg: Float64Array;
  /** Sharp momentum M⁻¹p at the first end. */
  readonly sharpBeg: Float64Array;
  /** Momentum at the last end. */
  readonly pEnd: Float64Array;
  /** Sharp momentum at the last end. */
  readonly sharpEnd: Float64Array;
  /** The point sampled from the stretch. */
  readonly proposal: MutablePoint;
  /** log Σ exp(H0 − H) over the points. */
  logWeight = 0;

  constructor(n: number) {
    [this.rho, this.pBeg, this.sharpBeg, this.pEnd, this.sharpEnd] = Array.from({ length: 5 }, () => new Float64Array(n));
    this.proposal = { q: new Float64Array(n), p: new Float64Array(n), potential: 0, grad: new Float64Array(n) };
  }
}

/** The buffers of one dimension, reused by every transition of a kernel. */
class Workspace {
  /** `levels[d]`: the subtree of depth d being built. */
  readonly levels: Subtree[] = [];
  /** The trajectory so far, in time order (first end = earliest point). */
  readonly trajectory: Subtree;
  /** Scratch for a merged ρ. */
  readonly rho: Float64Array;
  /** The iteration's momentum. */
  readonly momentum: Float64Array;
  /** The forward and backward edges of the trajectory. */
  forward: MutablePoint | undefined;
  backward: MutablePoint | undefined;

  constructor(readonly n: number) {
    this.trajectory = new Subtree(n);
    this.rho = new Float64Array(n);
    this.momentum = new Float64Array(n);
  }

  /** The level of depth `d` (made on first use). */
  level(d: number): Subtree {
    while (this.levels.length <= d) this.levels.push(new Subtree(this.n));
    return this.levels[d]!;
  }
}

/** Per-transition state. */
interface TreeContext extends TransitionInput {
  readonly ws: Workspace;
  readonly h0: number;
  /** The edge being extended. */
  edge: MutablePoint;
  /** ±1: the direction of integration. */
  sign: 1 | -1;
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

/** out ← a + b. */
function addInto(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

/** a·(x + y), without allocating x + y. */
function dotSum(a: Float64Array, x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * (x[i]! + y[i]!);
  return s;
}

/**
 * Whether joining two adjacent spans, in time order, keeps the generalized
 * criterion satisfied over the whole (summed momentum `rho`), and over each
 * part extended by the neighbouring point of the other. The first span is
 * given by its first sharp momentum, summed momentum, last momentum and last
 * sharp momentum; the second by its first sharp momentum, first momentum,
 * summed momentum and last sharp momentum.
 */
function mergedCriterion(
  aSharpBeg: Float64Array, aRho: Float64Array, aPEnd: Float64Array, aSharpEnd: Float64Array,
  bSharpBeg: Float64Array, bPBeg: Float64Array, bRho: Float64Array, bSharpEnd: Float64Array,
  rho: Float64Array,
): boolean {
  return (
    dot(bSharpEnd, rho) > 0 && dot(aSharpBeg, rho) > 0 &&
    dotSum(bSharpBeg, aRho, bPBeg) > 0 && dotSum(aSharpBeg, aRho, bPBeg) > 0 &&
    dotSum(bSharpEnd, bRho, aPEnd) > 0 && dotSum(aSharpEnd, bRho, aPEnd) > 0
  );
}

/**
 * Builds a subtree of 2^depth leapfrog steps from `ctx.edge` (advanced in
 * place) into `ctx.ws.level(depth)`; false if it is invalid (diverged or turned).
 */
function buildTree(ctx: TreeContext, depth: number): boolean {
  const { ws, inverseMass } = ctx;
  if (depth === 0) {
    const z = ctx.edge;
    leapfrogInPlace(ctx.potential, inverseMass, z, ctx.sign * ctx.stepSize);
    ctx.numSteps++;
    const h = hamiltonian(inverseMass, z);
    if (h - ctx.h0 > MAX_DELTA_ENERGY) ctx.diverging = true;
    const logW = ctx.h0 - h;
    ctx.sumAcceptProb += logW > 0 ? 1 : Math.exp(logW);
    if (ctx.diverging) return false;
    const leaf = ws.level(0);
    copyPoint(leaf.proposal, z);
    leaf.logWeight = logW;
    leaf.rho.set(z.p);
    leaf.pBeg.set(z.p);
    leaf.pEnd.set(z.p);
    velocityInto(inverseMass, z.p, leaf.sharpBeg);
    leaf.sharpEnd.set(leaf.sharpBeg);
    return true;
  }
  if (!buildTree(ctx, depth - 1)) return false;
  // The first half moves up to this level; the level below is free for the second half.
  const init = ws.levels[depth - 1]!;
  ws.levels[depth - 1] = ws.level(depth);
  ws.levels[depth] = init;
  if (!buildTree(ctx, depth - 1)) return false;
  const final = ws.levels[depth - 1]!;
  const logWeight = logAddExp(init.logWeight, final.logWeight);
  // Uniform progressive sampling: the final half's proposal with probability w_final / w_subtree.
  const takeFinal = ctx.draws.uniform() < Math.exp(final.logWeight - logWeight);
  const rho = addInto(init.rho, final.rho, ws.rho);
  if (!mergedCriterion(init.sharpBeg, init.rho, init.pEnd, init.sharpEnd, final.sharpBeg, final.pBeg, final.rho, final.sharpEnd, rho)) return false;
  if (takeFinal) copyPoint(init.proposal, final.proposal);
  init.logWeight = logWeight;
  init.rho.set(rho);
  init.pEnd.set(final.pEnd);
  init.sharpEnd.set(final.sharpEnd);
  return true;
}

/** The workspace for dimension `n`, reusing `ws` when it fits. */
function workspaceFor(ws: Workspace | undefined, n: number): Workspace {
  return ws !== undefined && ws.n === n ? ws : new Workspace(n);
}

/** The NUTS transition with trees of depth at most `maxTreeDepth`. */
export function nutsTransition(maxTreeDepth: number): Transition {
  let workspace: Workspace | undefined;
  return (input, current) => {
    const { inverseMass, draws } = input;
    const n = current.q.length;
    const ws = (workspace = workspaceFor(workspace, n));
    // Literals, not spreads: the hot context must be a fast object of one shape.
    const p0 = momentumFromNormals(inverseMass, draws.normalsInto(ws.momentum), ws.momentum);
    const z0: PhasePoint = { q: current.q, p: p0, potential: current.potential, grad: current.grad };
    const h0 = hamiltonian(inverseMass, z0);
    const forwardEdge = (ws.forward = ws.forward === undefined ? mutableCopy(z0) : (copyPoint(ws.forward, z0), ws.forward));
    const backwardEdge = (ws.backward = ws.backward === undefined ? mutableCopy(z0) : (copyPoint(ws.backward, z0), ws.backward));
    const ctx: TreeContext = {
      potential: input.potential, inverseMass, stepSize: input.stepSize, draws,
      ws, h0, edge: forwardEdge, sign: 1, numSteps: 0, sumAcceptProb: 0, diverging: false,
    };
    const traj = ws.trajectory;
    traj.rho.set(z0.p);
    traj.pBeg.set(z0.p);
    traj.pEnd.set(z0.p);
    velocityInto(inverseMass, z0.p, traj.sharpBeg);
    traj.sharpEnd.set(traj.sharpBeg);
    let sample: PhasePoint = z0;
    const chosen = traj.proposal;
    let logWeight = 0;
    let depth = 0;
    while (depth < maxTreeDepth) {
      const forward = draws.uniform() > 0.5;
      ctx.edge = forward ? forwardEdge : backwardEdge;
      ctx.sign = forward ? 1 : -1;
      if (!buildTree(ctx, depth)) break;
      const tree = ws.levels[depth]!;
      depth++;
      // Biased progressive sampling: move to the new subtree with probability min(1, w_new / w_old).
      if (tree.logWeight > logWeight || draws.uniform() < Math.exp(tree.logWeight - logWeight)) {
        copyPoint(chosen, tree.proposal);
        sample = chosen;
      }
      logWeight = logAddExp(logWeight, tree.logWeight);
      const rho = addInto(traj.rho, tree.rho, ws.rho);
      // A backward subtree's points were reached backwards in time: its ends swap roles.
      const turned = forward
        ? !mergedCriterion(traj.sharpBeg, traj.rho, traj.pEnd, traj.sharpEnd, tree.sharpBeg, tree.pBeg, tree.rho, tree.sharpEnd, rho)
        : !mergedCriterion(tree.sharpEnd, tree.rho, tree.pBeg, tree.sharpBeg, traj.sharpBeg, traj.pBeg, traj.rho, traj.sharpEnd, rho);
      if (turned) break;
      traj.rho.set(rho);
      if (forward) {
        traj.pEnd.set(tree.pEnd);
        traj.sharpEnd.set(tree.sharpEnd);
      } else {
        traj.pBeg.set(tree.pEnd);
        traj.sharpBeg.set(tree.sharpEnd);
      }
    }
    // The sample lives in the workspace (or shares the current point's q): copy it out.
    const out = input.out !== undefined && input.out !== current ? input.out : undefined;
    if (out !== undefined) copyPoint(out, sample);
    return {
      point: out ?? mutableCopy(sample),
      acceptProb: ctx.numSteps > 0 ? ctx.sumAcceptProb / ctx.numSteps : 0,
      diverging: ctx.diverging,
      numSteps: ctx.numSteps,
      treeDepth: depth,
    };
  };
}
