/**
 * Loop fusion: which computed nodes share one generated loop (a *group*).
 *
 * A group is a set of nodes computed element by element over one loop
 * shape. Its members are elementwise nodes of that shape, plus two kinds of
 * node folded into the loop when that saves a pass over memory:
 *
 * - a **full sum** of a member (the usual log-density total): accumulated in
 *   a local across the loop, in the same order as the reduction kernel;
 * - a **matrix-vector product** `A·b` of that shape with a short inner
 *   dimension (the `X·w` of a regression): each element is one unrolled dot
 *   product with `b` hoisted.
 *
 * A node may join a group opened earlier, not just the group right before
 * it, so the elementwise work of one plate (logits, their check, the log
 * density and its sum) becomes one loop even when other sites' work was
 * traced in between. The group's loop and its reverse loop both run at the
 * position of its last member, so a node joins only when every consumer
 * outside the group of every member comes after the joining node: their
 * values are then computed before those consumers read them, and their
 * cotangent contributions are in place before the reverse loop reads them.
 * Arguments outside the group are computed before the joining node (trace
 * order), and stay so: a group cannot grow past an outside consumer of its
 * members, so an argument's own loop never moves after its reader's.
 *
 * @module
 */
import type { CNode } from "./graph.js";
import { matmulPlan, reductionMaps, type ReductionMaps } from "./maps.js";
import { UNROLL } from "./matmul.js";
import { VALUE } from "./templates.js";

/** How a group member is computed inside the loop. */
export type MemberRole = "elementwise" | "sum" | "matvec";

/** Whether reduction maps cover one contiguous run from 0: a full reduction of a flat buffer. */
export function isFullContiguous(m: ReductionMaps): boolean {
  return m.base.length === 1 && m.base[0] === 0 && m.offs.every((o, r) => o === r);
}

/** Whether `n` is a matrix-vector product `A·b` (A of rank 2, one product, a short inner dimension). */
function isMatvec(n: CNode, nodes: readonly CNode[]): boolean {
  if (n.op !== "matmul") return false;
  const [a, b] = n.args.map((id) => nodes[id]!.shape);
  if (a!.length !== 2 || b!.length < 1 || b!.length > 2) return false;
  const plan = matmulPlan(a!, b!);
  return plan.offA.length === 1 && plan.offB.length === 1 && plan.m === 1 && plan.k <= UNROLL && n.size === plan.n;
}

/** Whether `n` is a sum of a whole buffer into one element. */
function isFullSum(n: CNode, nodes: readonly CNode[]): boolean {
  if (n.op !== "sum") return false;
  const axes = (n.attrs[0] as { axis: readonly number[] }).axis;
  return isFullContiguous(reductionMaps(nodes[n.args[0]!]!.shape, axes));
}

/** The role `n` would have in a group (by its op), or `undefined` when it cannot be a member. */
export function memberRole(n: CNode, nodes: readonly CNode[]): MemberRole | undefined {
  if (n.op in VALUE) return "elementwise";
  if (isMatvec(n, nodes)) return "matvec";
  if (isFullSum(n, nodes)) return "sum";
  return undefined;
}

/** The loop shape a member of role `role` runs over. */
function loopShape(n: CNode, role: MemberRole, nodes: readonly CNode[]): readonly number[] {
  return role === "sum" ? nodes[n.args[0]!]!.shape : n.shape;
}

/**
 * The groups of `nodes`, each in node order. `computed[id]` says whether a
 * node is computed (not an input or constant), `alias[id]` whether it only
 * renames its first argument's buffer (a reshape).
 */
export function fuseGroups(nodes: readonly CNode[], computed: readonly boolean[], alias: readonly boolean[]): CNode[][] {
  const resolve = (id: number): number => (alias[id] ? resolve(nodes[id]!.args[0]!) : id);
  // Consumers through aliases: a reshape's consumers read its source's buffers.
  const consumers: number[][] = nodes.map(() => []);
  for (const n of nodes) if (computed[n.id] && !alias[n.id]) for (const a of n.args) consumers[resolve(a)]!.push(n.id);
  const groupOf = new Map<number, CNode[]>();
  const open = new Map<string, CNode[]>();
  const groups: CNode[][] = [];

  const canJoin = (g: CNode[], n: CNode, role: MemberRole): boolean => {
    for (const a of n.args) {
      const r = resolve(a);
      // A reshaped member, a product needing all of its vector, or a sum only complete after the loop.
      if (groupOf.get(r) === g && (a !== r || role === "matvec" || nodes[r]!.op === "sum")) return false;
    }
    if (role === "sum" && groupOf.get(n.args[0]!) !== g) return false;
    return g.every((m) => consumers[m.id]!.every((c) => c >= n.id || groupOf.get(c) === g));
  };

  for (const n of nodes) {
    if (!computed[n.id] || alias[n.id]) continue;
    const role = memberRole(n, nodes);
    if (role === undefined) continue;
    const key = loopShape(n, role, nodes).join(",");
    const target = open.get(key);
    if (target !== undefined && canJoin(target, n, role)) {
      target.push(n);
      groupOf.set(n.id, target);
    } else if (role !== "sum") {
      const g = [n];
      groups.push(g);
      groupOf.set(n.id, g);
      open.set(key, g);
    }
  }
  return groups;
}
