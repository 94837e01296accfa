/**
 * Code for fused groups (see `fusion.ts`): one loop for the forward pass,
 * and one reverse loop for their cotangents.
 *
 * Forward, each member's value is a local of the loop, stored to its buffer
 * (a store nothing reads is dropped after generation, in `compile.ts`); a
 * full sum accumulates in a local; a matrix-vector row is an unrolled dot
 * product with the vector hoisted. Backward, the cotangent of a member lives
 * in a local variable of the loop; only a member that also has consumers
 * outside its group (or is the differentiated output) has a cotangent
 * buffer, which those consumers fill before the group's reverse loop runs
 * and which the loop reads as the variable's start.
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

/** `body` in a loop over the group's elements (straight-line for one element), after the hoisted scalars and `before`, followed by `after`. */
function loop(cx: EmitContext, size: number, scalars: ReadonlyMap<number, string>, body: string, before = "", after = ""): string {
  const hoist = [...scalars.keys()].map((id) => `const s${id} = ${cx.vname[id]}[0];`).join(" ");
  if (size === 1) return `{ ${hoist} ${before} const j = 0; ${body} ${after} }\n`;
  return `{ ${hoist} ${before} for (let j = 0; j < ${size}; j++) { ${body} } ${after} }\n`;
}

/** The inner dimension of a matrix-vector member (`A` is n×k). */
function innerDim(cx: EmitContext, n: CNode): number {
  return cx.nodes[n.args[0]!]!.shape[1]!;
}

/** The hoisted entries of a matrix-vector member's vector, `mb<id>_<q>`. */
function hoistVector(cx: EmitContext, n: CNode): string {
  const b = cx.vname[n.args[1]!]!;
  return Array.from({ length: innerDim(cx, n) }, (_, q) => `const mb${n.id}_${q} = ${b}[${q}];`).join(" ");
}

/**
 * One fused loop computing the members of `group` (see `fusion.ts`): each
 * elementwise member and matrix-vector row as a local `xN` stored to its
 * buffer, each full sum accumulated in a local stored after the loop.
 */
export function emitGroup(cx: EmitContext, group: readonly CNode[]): string {
  const out = group[0]!.shape;
  const inGroup = new Set<number>();
  const scalars = new Map<number, string>();
  const before: string[] = [];
  const after: string[] = [];
  const body: string[] = [];
  for (const n of group) {
    if (n.op === "sum") {
      before.push(`let acc${n.id} = 0;`);
      body.push(`acc${n.id} += x${n.args[0]!};`);
      after.push(`v${n.id}[0] = acc${n.id};`);
      continue;
    }
    if (n.op === "matmul") {
      const k = innerDim(cx, n);
      const a = cx.vname[n.args[0]!]!;
      before.push(hoistVector(cx, n));
      const terms = Array.from({ length: k }, (_, q) => ` + ${a}[r${n.id} + ${q}] * mb${n.id}_${q}`).join("");
      body.push(`const r${n.id} = j * ${k}; const x${n.id} = 0${terms}; v${n.id}[j] = x${n.id};`);
      inGroup.add(n.id);
      continue;
    }
    const args = n.args.map((a) => access(cx, cx.nodes[a]!, out, inGroup, scalars));
    const aux = cx.aux.get(n.id);
    if (aux !== undefined) {
      const t = AUX[n.op]!;
      body.push(`const a${n.id} = ${t.aux(args[0]!)}; ${aux}[j] = a${n.id}; const x${n.id} = ${t.value(args[0]!, `a${n.id}`)}; v${n.id}[j] = x${n.id};`);
    } else body.push(`const x${n.id} = ${VALUE[n.op]!(args, n.attrs)}; v${n.id}[j] = x${n.id};`);
    inGroup.add(n.id);
  }
  return loop(cx, group[0]!.size, scalars, body.join(" "), before.join(" "), after.join(" "));
}

/**
 * The reverse-mode code of `group`: one loop that spreads each member's
 * cotangent (in reverse order) to its arguments — members through their
 * local cotangents `cN`, other arguments through their buffers, and
 * one-element buffers (broadcast scalars, a product's vector entries)
 * through locals summed across the loop. A full sum's cotangent is read once
 * before the loop. `hasBuffer(id)`: whether member `id` has a cotangent
 * buffer.
 */
export function emitGradGroup(cx: EmitContext, group: readonly CNode[], hasBuffer: (id: number) => boolean): string {
  const { nodes, needsGrad, gname } = cx;
  const shape = group[0]!.shape;
  const size = group[0]!.size;
  const members = new Set(group.map((n) => n.id));
  const live = group.filter((n) => needsGrad[n.id]);
  const scalars = new Map<number, string>();
  const none = new Set<number>();
  const before: string[] = [];
  // Code lines, or a contribution to one element of a buffer outside the group (`cell`), placed after the walk.
  const lines: (string | { readonly cell: string; readonly buf: string; readonly contrib: string })[] = [];
  const direct = new Set<string>(); // buffers the loop adds into element by element
  for (const n of live) {
    const start = hasBuffer(n.id) ? `${gname[n.id]}[${n.op === "sum" ? 0 : "j"}]` : "0";
    if (n.op === "sum") before.push(`const c${n.id} = ${start};`);
    else lines.push(`let c${n.id} = ${start};`);
  }
  const sumInto = (buf: string, q: number, contrib: string): void => void lines.push({ cell: `${buf}[${q}]`, buf, contrib });
  for (let k = live.length - 1; k >= 0; k--) {
    const n = live[k]!;
    if (n.op === "sum") {
      lines.push(`c${n.args[0]!} += c${n.id};`);
      continue;
    }
    if (n.op === "matmul") {
      const [a, b] = n.args as [number, number];
      const inner = innerDim(cx, n);
      const ga = needsGrad[a] ? gname[a] : undefined;
      const gb = needsGrad[b] ? gname[b] : undefined;
      if (ga === undefined && gb === undefined) continue;
      if (ga !== undefined) before.push(hoistVector(cx, n));
      lines.push(`const r${n.id} = j * ${inner};`);
      for (let q = 0; q < inner; q++) {
        if (ga !== undefined) lines.push(`${ga}[r${n.id} + ${q}] += c${n.id} * mb${n.id}_${q};`);
        if (gb !== undefined) sumInto(gb, q, `${cx.vname[a]}[r${n.id} + ${q}] * c${n.id}`);
      }
      continue;
    }
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
      if (arg.size === 1 && size > 1) return sumInto(gname[a]!, 0, contrib);
      const idx = arg.size === 1 ? "0" : sameLayout(arg.shape, shape) ? "j" : `${cx.mapVar(broadcastMap(arg.shape, shape))}[j]`;
      direct.add(gname[a]!);
      lines.push(`${gname[a]}[${idx}] += ${contrib};`);
    });
  }
  // A contribution to one element of an outside buffer is summed in a local across the loop, in the same
  // order as through the buffer (a chain of additions in registers, not through memory), unless the loop
  // also adds into that buffer element by element. Keyed by buffer element: a reshape shares its argument's.
  const sums = new Map<string, string>();
  const code = lines.map((l) => {
    if (typeof l === "string") return l;
    if (direct.has(l.buf)) return `${l.cell} += ${l.contrib};`;
    if (!sums.has(l.cell)) sums.set(l.cell, `t${sums.size}`);
    return `${sums.get(l.cell)} += ${l.contrib};`;
  });
  const body = loop(cx, size, scalars, code.join(" "), before.join(" "));
  if (sums.size === 0) return body;
  const open = [...sums].map(([cell, t]) => `let ${t} = ${cell};`).join(" ");
  const close = [...sums].map(([cell, t]) => `${cell} = ${t};`).join(" ");
  return `{ ${open}\n${body}${close} }\n`;
}
