/**
 * Code for runs of elementwise nodes of one shape (*groups*): one fused loop
 * for the forward pass, and one fused reverse loop for their cotangents.
 *
 * Forward, every node's value still lands in its buffer (the gradient and
 * later nodes read it). Backward, the cotangent of a group node lives in a
 * local variable of the loop; only a node that also has consumers outside
 * its group (or is the differentiated output) has a cotangent buffer, which
 * those consumers fill before the group's reverse loop runs and which the
 * loop reads as the variable's start. Contributions are added in the same
 * order as node-by-node reverse mode, so the sums are the same to the bit.
 *
 * An op with an auxiliary template (`AUX`, e.g. `softplus`) keeps a value
 * its gradient needs (`exp(−|x|)`) in a buffer of its own when it is
 * differentiated, instead of recomputing it.
 *
 * @module
 */
import type { CNode } from "./graph.js";
import { differentiable } from "./graph.js";
import { broadcastMap, sameLayout } from "./maps.js";
import { AUX, GRAD, VALUE } from "./templates.js";

/** What the emitters need to know about the graph being compiled. */
export interface EmitContext {
  /** All nodes. */
  readonly nodes: readonly CNode[];
  /** The value variable of each node. */
  readonly vname: readonly string[];
  /** The cotangent buffer variable of each node that has one. */
  readonly gname: readonly (string | undefined)[];
  /** Which nodes carry an adjoint. */
  readonly needsGrad: readonly boolean[];
  /** The auxiliary buffer variable of each node that keeps one. */
  readonly aux: ReadonlyMap<number, string>;
  /** Registers a constant (an index map or buffer) and returns its variable. */
  mapVar(m: unknown): string;
}

/** Whether the elementwise node `n` keeps an auxiliary value (it has an `AUX` template and is differentiated). */
export function keepsAux(n: CNode, needsGrad: readonly boolean[]): boolean {
  return n.op in AUX && needsGrad[n.id] === true;
}

/** The element expression of argument `a` of a node of shape `out`, at loop index `j`. */
function access(cx: EmitContext, a: CNode, out: readonly number[], inGroup: ReadonlySet<number>, scalars: Map<number, string>): string {
  if (inGroup.has(a.id)) return `x${a.id}`;
  if (a.size === 1) {
    if (!scalars.has(a.id)) scalars.set(a.id, `s${a.id}`);
    return `s${a.id}`;
  }
  if (sameLayout(a.shape, out)) return `${cx.vname[a.id]}[j]`;
  return `${cx.vname[a.id]}[${cx.mapVar(broadcastMap(a.shape, out))}[j]]`;
}

/** `body` in a loop over the group's elements (straight-line for one element), after the hoisted scalars. */
function loop(cx: EmitContext, size: number, scalars: ReadonlyMap<number, string>, body: string): string {
  const hoist = [...scalars.keys()].map((id) => `const s${id} = ${cx.vname[id]}[0];`).join(" ");
  if (size === 1) return `{ ${hoist} const j = 0; ${body} }\n`;
  return `{ ${hoist} for (let j = 0; j < ${size}; j++) { ${body} } }\n`;
}

/** One fused loop computing the elementwise nodes of `group` (all of one shape). */
export function emitGroup(cx: EmitContext, group: readonly CNode[]): string {
  const out = group[0]!.shape;
  const inGroup = new Set<number>();
  const scalars = new Map<number, string>();
  const body: string[] = [];
  for (const n of group) {
    const args = n.args.map((a) => access(cx, cx.nodes[a]!, out, inGroup, scalars));
    const aux = cx.aux.get(n.id);
    if (aux !== undefined) {
      const t = AUX[n.op]!;
      body.push(`const a${n.id} = ${t.aux(args[0]!)}; ${aux}[j] = a${n.id}; const x${n.id} = ${t.value(args[0]!, `a${n.id}`)}; v${n.id}[j] = x${n.id};`);
    } else body.push(`const x${n.id} = ${VALUE[n.op]!(args, n.attrs)}; v${n.id}[j] = x${n.id};`);
    inGroup.add(n.id);
  }
  return loop(cx, group[0]!.size, scalars, body.join(" "));
}

/**
 * The reverse-mode code of `group`: one loop that spreads each node's
 * cotangent (in reverse order) to its arguments — group members through
 * their local cotangents `cN`, other arguments through their buffers.
 * `hasBuffer(id)`: whether group node `id` has a cotangent buffer.
 */
export function emitGradGroup(cx: EmitContext, group: readonly CNode[], hasBuffer: (id: number) => boolean): string {
  const { nodes, needsGrad, gname } = cx;
  const shape = group[0]!.shape;
  const members = new Set(group.map((n) => n.id));
  const live = group.filter((n) => needsGrad[n.id]);
  const scalars = new Map<number, string>();
  const none = new Set<number>();
  const lines = live.map((n) => `let c${n.id} = ${hasBuffer(n.id) ? `${gname[n.id]}[j]` : "0"};`);
  // One-element arguments outside the group (broadcast scalars) sum their cotangent in a local across the
  // loop, in the same order as through their buffer: a chain of additions in registers, not through memory.
  // Keyed by buffer: a reshape shares its argument's.
  const sums = new Map<string, string>();
  for (let k = live.length - 1; k >= 0; k--) {
    const n = live[k]!;
    const aux = cx.aux.get(n.id);
    const template = GRAD[n.op];
    if (template === undefined && aux === undefined) continue;
    const args = n.args.map((a) => access(cx, nodes[a]!, shape, none, scalars));
    n.args.forEach((a, pos) => {
      if (!needsGrad[a] || !differentiable(n.op, pos)) return;
      const contrib = aux !== undefined ? AUX[n.op]!.grad(`c${n.id}`, args[0]!, `${aux}[j]`) : template!(`c${n.id}`, `${cx.vname[n.id]}[j]`, args, n.attrs, pos);
      if (contrib === undefined) return;
      if (members.has(a)) {
        lines.push(`c${a} += ${contrib};`);
        return;
      }
      const arg = nodes[a]!;
      if (arg.size === 1 && group[0]!.size > 1) {
        const buf = gname[a]!;
        if (!sums.has(buf)) sums.set(buf, `t${sums.size}`);
        lines.push(`${sums.get(buf)} += ${contrib};`);
        return;
      }
      const idx = arg.size === 1 ? "0" : sameLayout(arg.shape, shape) ? "j" : `${cx.mapVar(broadcastMap(arg.shape, shape))}[j]`;
      lines.push(`${gname[a]}[${idx}] += ${contrib};`);
    });
  }
  const body = loop(cx, group[0]!.size, scalars, lines.join(" "));
  if (sums.size === 0) return body;
  const open = [...sums].map(([buf, t]) => `let ${t} = ${buf}[0];`).join(" ");
  const close = [...sums].map(([buf, t]) => `${buf}[0] = ${t};`).join(" ");
  return `{ ${open}\n${body}${close} }\n`;
}
