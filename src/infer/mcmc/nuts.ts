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
 * allocated per leapfrog step and no point is copied: each step writes a new
 * point into a pooled buffer that is never written again while held
 * ({@link PointPool}), so the trajectory's edges, each subtree's ends and its
 * sampled point are references, and merging two subtrees moves references.
 * Each recursion level keeps its subtree in a record reused across
 * iterations — the level below builds into its own, and a finished first
 * half is handed up by swapping two levels' records. The buffers pass from
 * one transition to the next, of any kernel of the same dimension, so the
 * second MCMC run in a process runs on the objects (and the optimized code)
 * of the first.
 *
 * @module
 */
import { momentumFromNormals } from "./mass-matrix.js";
import { leapfrogInto, mutableCopy, copyPoint, type PhasePoint } from "./integrator.js";
import { kineticAndSharp, PointPool, type PooledPoint } from "./point-pool.js";
import { MAX_DELTA_ENERGY, type Transition, type TransitionInput, type TransitionResult } from "./transition.js";

/** A stretch of trajectory: its ends (in integration order), summed momentum, sampled point and weight. */
class Subtree {
  /** Σ p over the points (owned). */
  rho: Float64Array;
  /** The first point in integration order (held; unset once merged away). */
  beg: PooledPoint | undefined = undefined;
  /** The last point in integration order (held). */
  end: PooledPoint | undefined = undefined;
  /** The point sampled from the stretch (held). */
  proposal: PooledPoint | undefined = undefined;
  /** log Σ exp(H0 − H) over the points. */
  logWeight = -Infinity;

  constructor(n: number) {
    this.rho = new Float64Array(n);
  }

  /** Forgets the points (the pool has been reset). */
  clear(): void {
    this.beg = this.end = this.proposal = undefined;
  }
}

/** The buffers of one dimension, reused by one transition after another (see {@link acquireWorkspace}). */
class Workspace {
  /** `levels[d]`: the subtree of depth d being built. */
  readonly levels: Subtree[] = [];
  /** The trajectory so far, in time order (first end = earliest point). */
  readonly trajectory: Subtree;
  /** Scratch for a merged ρ (swapped with the ρ it replaces). */
  rho: Float64Array;
  /** The points. */
  readonly pool: PointPool;

  constructor(readonly n: number) {
    this.trajectory = new Subtree(n);
    this.rho = new Float64Array(n);
    this.pool = new PointPool(n);
  }

  /** The level of depth `d` (made on first use). */
  level(d: number): Subtree {
    while (this.levels.length <= d) this.levels.push(new Subtree(this.n));
    return this.levels[d]!;
  }

  /** Frees every point and forgets every reference to one (at the start of a transition). */
  reset(): void {
    this.pool.reset();
    this.trajectory.clear();
    const levels = this.levels;
    for (let d = 0; d < levels.length; d++) levels[d]!.clear();
  }
}

/** Per-transition state. */
interface TreeContext extends TransitionInput {
  readonly ws: Workspace;
  readonly h0: number;
  /** The edge being extended (held). */
  edge: PooledPoint;
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

/**
 * Whether joining two adjacent spans a and b, in time order, keeps the
 * generalized criterion satisfied over the whole (summed momentum
 * ρ = ρa + ρb, written into `rho`), and over each part extended by the
 * neighbouring point of the other: p♯ · ρ > 0 at both ends of the whole,
 * p♯ · (ρa + pb₀) > 0 at both ends of a plus b's first point, and
 * p♯ · (ρb + pa₁) > 0 at both ends of b plus a's last point. A span is
 * given by its first sharp momentum, summed momentum, and its last momentum
 * and sharp momentum (a) or its first momentum (b). One pass computes every
 * sum, each in index order.
 */
function mergedCriterion(
  aSharpBeg: Float64Array, aRho: Float64Array, aPEnd: Float64Array, aSharpEnd: Float64Array,
  bSharpBeg: Float64Array, bPBeg: Float64Array, bRho: Float64Array, bSharpEnd: Float64Array,
  rho: Float64Array,
): boolean {
  let whole1 = 0, whole0 = 0, left1 = 0, left0 = 0, right1 = 0, right0 = 0;
  for (let i = 0; i < rho.length; i++) {
    const r = aRho[i]! + bRho[i]!;
    rho[i] = r;
    whole1 += bSharpEnd[i]! * r;
    whole0 += aSharpBeg[i]! * r;
    const l = aRho[i]! + bPBeg[i]!;
    left1 += bSharpBeg[i]! * l;
    left0 += aSharpBeg[i]! * l;
    const g = bRho[i]! + aPEnd[i]!;
    right1 += bSharpEnd[i]! * g;
    right0 += aSharpEnd[i]! * g;
  }
  return whole1 > 0 && whole0 > 0 && left1 > 0 && left0 > 0 && right1 > 0 && right0 > 0;
}

/** Swaps the merged ρ (in the workspace's scratch) into `tree`. */
function takeRho(ws: Workspace, tree: Subtree): void {
  const merged = ws.rho;
  ws.rho = tree.rho;
  tree.rho = merged;
}

/**
 * Builds a subtree of 2^depth leapfrog steps from `ctx.edge` (moved along)
 * into `ctx.ws.level(depth)`; false if it is invalid (diverged or turned).
 */
function buildTree(ctx: TreeContext, depth: number): boolean {
  const { ws, inverseMass } = ctx;
  const pool = ws.pool;
  if (depth === 0) {
    const from = ctx.edge;
    const z = pool.take();
    leapfrogInto(ctx.potential, inverseMass, from, z, ctx.sign * ctx.stepSize);
    ctx.edge = z;
    pool.drop(from);
    ctx.numSteps++;
    const e = z.potential + kineticAndSharp(inverseMass, z);
    const h = Number.isNaN(e) ? Infinity : e;
    if (h - ctx.h0 > MAX_DELTA_ENERGY) ctx.diverging = true;
    const logW = ctx.h0 - h;
    ctx.sumAcceptProb += logW > 0 ? 1 : Math.exp(logW);
    if (ctx.diverging) return false;
    const leaf = ws.level(0);
    z.refs += 3;
    leaf.beg = leaf.end = leaf.proposal = z;
    leaf.logWeight = logW;
    const p = z.p;
    const rho = leaf.rho;
    for (let i = 0; i < p.length; i++) rho[i] = p[i]!;
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
  const a0 = init.beg!, a1 = init.end!, b0 = final.beg!, b1 = final.end!;
  if (!mergedCriterion(a0.sharp, init.rho, a1.p, a1.sharp, b0.sharp, b0.p, final.rho, b1.sharp, ws.rho)) return false;
  if (takeFinal) {
    pool.drop(init.proposal!);
    init.proposal = final.proposal;
  } else {
    pool.drop(final.proposal!);
  }
  pool.drop(a1);
  pool.drop(b0);
  init.end = b1;
  final.clear();
  init.logWeight = logWeight;
  takeRho(ws, init);
  return true;
}

/**
 * The workspace of the last transition, kept for the next one of the same
 * dimension, whichever kernel or run it belongs to: the objects V8 optimized
 * the tree code for stay the same from one MCMC run to the next. Weakly held,
 * so an idle workspace does not keep its buffers alive.
 */
let idleRef: WeakRef<Workspace> | undefined;
/** Whether a running transition has the idle workspace (one nested in it, from inside a potential, makes its own). */
let idleTaken = false;

/** A workspace of dimension `n`: the idle one when it is free and fits, else a new one. */
function acquireWorkspace(n: number): Workspace {
  const ws = idleTaken ? undefined : idleRef?.deref();
  if (ws === undefined || ws.n !== n) return new Workspace(n);
  idleTaken = true;
  return ws;
}

/** Makes `ws`, whose transition has finished, the idle workspace. */
function releaseWorkspace(ws: Workspace): void {
  if (idleRef?.deref() !== ws) idleRef = new WeakRef(ws);
  idleTaken = false;
}

/** The NUTS transition with trees of depth at most `maxTreeDepth`. */
export function nutsTransition(maxTreeDepth: number): Transition {
  return (input, current) => nutsStep(maxTreeDepth, input, current);
}

/**
 * One NUTS transition from `current` with trees of depth at most
 * `maxTreeDepth`. (A module-level function, not a closure made per kernel,
 * so the optimized code V8 makes for it in one run serves the next run's.)
 */
function nutsStep(maxTreeDepth: number, input: TransitionInput, current: PhasePoint): TransitionResult {
  const ws = acquireWorkspace(current.q.length);
  // Released even when the potential throws, so later transitions still reuse it.
  try {
    return buildTrajectory(maxTreeDepth, input, current, ws);
  } finally {
    releaseWorkspace(ws);
  }
}

/** The body of {@link nutsStep}, in the workspace `ws`. */
function buildTrajectory(maxTreeDepth: number, input: TransitionInput, current: PhasePoint, ws: Workspace): TransitionResult {
  const { inverseMass, draws } = input;
  ws.reset();
  const pool = ws.pool;
  // The initial point, with a fresh momentum, held by both edges, both ends of the trajectory and the sample.
  const z0 = pool.take();
  z0.q.set(current.q);
  z0.grad.set(current.grad);
  z0.potential = current.potential;
  momentumFromNormals(inverseMass, draws.normalsInto(z0.p), z0.p);
  const e0 = z0.potential + kineticAndSharp(inverseMass, z0);
  const h0 = Number.isNaN(e0) ? Infinity : e0;
  z0.refs += 4;
  // Literals, not spreads: the hot context must be a fast object of one shape.
  const ctx: TreeContext = {
    potential: input.potential, inverseMass, stepSize: input.stepSize, draws,
    ws, h0, edge: z0, sign: 1, numSteps: 0, sumAcceptProb: 0, diverging: false,
  };
  let forwardEdge = z0;
  let backwardEdge = z0;
  const traj = ws.trajectory;
  traj.rho.set(z0.p);
  traj.beg = traj.end = z0;
  let sample = z0;
  let logWeight = 0;
  let depth = 0;
  while (depth < maxTreeDepth) {
    const forward = draws.uniform() > 0.5;
    ctx.edge = forward ? forwardEdge : backwardEdge;
    ctx.sign = forward ? 1 : -1;
    const built = buildTree(ctx, depth);
    if (forward) forwardEdge = ctx.edge;
    else backwardEdge = ctx.edge;
    if (!built) break;
    const tree = ws.levels[depth]!;
    depth++;
    // Biased progressive sampling: move to the new subtree with probability min(1, w_new / w_old).
    if (tree.logWeight > logWeight || draws.uniform() < Math.exp(tree.logWeight - logWeight)) {
      pool.drop(sample);
      sample = tree.proposal!;
    } else {
      pool.drop(tree.proposal!);
    }
    tree.proposal = undefined;
    logWeight = logAddExp(logWeight, tree.logWeight);
    const t0 = tree.beg!, t1 = tree.end!, a0 = traj.beg!, a1 = traj.end!;
    // A backward subtree's points were reached backwards in time: its ends swap roles.
    const turned = forward
      ? !mergedCriterion(a0.sharp, traj.rho, a1.p, a1.sharp, t0.sharp, t0.p, tree.rho, t1.sharp, ws.rho)
      : !mergedCriterion(t1.sharp, tree.rho, t0.p, t0.sharp, a0.sharp, a0.p, traj.rho, a1.sharp, ws.rho);
    if (turned) break;
    takeRho(ws, traj);
    if (forward) {
      pool.drop(a1);
      traj.end = t1;
    } else {
      pool.drop(a0);
      traj.beg = t1;
    }
    pool.drop(t0);
    tree.clear();
  }
  // The sample lives in the workspace: copy it out.
  const out = input.out !== undefined && input.out !== current ? input.out : undefined;
  const point = out ?? mutableCopy(sample);
  if (out !== undefined) copyPoint(out, sample);
  return {
    point,
    acceptProb: ctx.numSteps > 0 ? ctx.sumAcceptProb / ctx.numSteps : 0,
    diverging: ctx.diverging,
    numSteps: ctx.numSteps,
    treeDepth: depth,
  };
}
