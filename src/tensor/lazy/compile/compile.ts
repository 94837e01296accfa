/**
 * Code generation: a {@link CGraph} becomes one JavaScript function for the
 * forward pass and one for the reverse (gradient) pass, made with
 * `new Function` once per graph.
 *
 * - Runs of elementwise nodes of one shape are fused into a single loop over
 *   `Float64Array`s (each intermediate still lands in its buffer, which the
 *   gradient reads); broadcasting is a precomputed index map, or a hoisted
 *   scalar; one-element runs are straight-line code.
 * - `reshape` aliases its argument's buffer (and cotangent buffer).
 * - Data movement with fixed indices (`expand`, `transpose`, `slice`,
 *   `take`/`takeAlongAxis` with constant indices, `pad`, `diagonal`) is a
 *   gather through a precomputed map, its gradient the matching scatter-add.
 * - Reductions and matrix products call kernels over precomputed maps.
 * - Anything else calls the base ops on the buffers (and their autodiff for
 *   its gradient): rare ops stay correct without a hand-written kernel.
 * - Guards (values read during the trace) are compared right after their
 *   node is computed; the forward pass returns `false` at the first
 *   mismatch.
 *
 * Buffers are allocated once and reused by every run.
 *
 * @module
 */
import type { Tensor } from "../../types.js";
import type { LazyEnv } from "../env.js";
import { callBase } from "../node.js";
import { differentiable, type CGraph, type CNode } from "./graph.js";
import { KERNELS } from "./kernels.js";
import { broadcastMap, gatherMap, matmulPlan, reductionMaps, sameLayout } from "./maps.js";
import { GRAD, VALUE } from "./templates.js";

/** A compiled graph. */
export interface CompiledGraph {
  /** Runs the forward pass on the input data (in slot order); `false` when a guard failed. */
  forward(inputs: readonly Float64Array[]): boolean;
  /** The output values of the last forward pass (flat, in output order). */
  outputs(): Float64Array[];
  /** The gradient of the differentiated output, seeded with `seed`, for each differentiated input. */
  backward(seed: number): Float64Array[];
  /** The number of computed nodes (for reports). */
  readonly size: number;
  /** The generated source (for debugging). */
  readonly source: string;
}

const GATHER = new Set(["expand", "transpose", "slice", "take", "takeAlongAxis", "index", "diagonal", "pad"]);
const REDUCE = new Set(["sum", "mean", "max", "min", "prod", "logsumexp", "all", "any"]);

type Kind = "ew" | "alias" | "gather" | "reduce" | "matmul" | "fallback";

function kindOf(n: CNode, nodes: readonly CNode[]): Kind {
  if (n.op in VALUE) return "ew";
  if (n.op === "reshape") return "alias";
  if (GATHER.has(n.op) && n.args.slice(1).every((a) => nodes[a]!.op === "const")) return "gather";
  if (REDUCE.has(n.op)) return "reduce";
  if (n.op === "matmul") return "matmul";
  return "fallback";
}

/** Compiles `graph`; `env` evaluates the fallback ops and builds the index maps. */
export function compileGraph(env: LazyEnv, graph: CGraph): CompiledGraph {
  const { nodes, needsGrad } = graph;
  const kinds = nodes.map((n) => (n.op === "input" || n.op === "const" ? undefined : kindOf(n, nodes)));
  const vname: string[] = [];
  const gname: (string | undefined)[] = [];
  const B: (Float64Array | undefined)[] = [];
  const G: (Float64Array | undefined)[] = [];
  const C: (Float64Array | undefined)[] = [];
  const M: unknown[] = [];
  const F: unknown[] = [];
  const decl: string[] = [];
  const lets: string[] = [];
  const mapVar = (m: unknown): string => { M.push(m); decl.push(`const m${M.length - 1} = M[${M.length - 1}];`); return `m${M.length - 1}`; };
  for (const n of nodes) {
    const k = kinds[n.id];
    if (n.op === "input") { vname[n.id] = `in${n.slot}`; if (!lets.includes(`in${n.slot}`)) lets.push(`in${n.slot}`); }
    else if (n.op === "const") { C[n.id] = n.data; vname[n.id] = `c${n.id}`; decl.push(`const c${n.id} = C[${n.id}];`); }
    else if (k === "alias") vname[n.id] = vname[n.args[0]!]!;
    else if (k === "fallback") { vname[n.id] = `v${n.id}`; lets.push(`v${n.id}`); }
    else { B[n.id] = new Float64Array(n.size); vname[n.id] = `v${n.id}`; decl.push(`const v${n.id} = B[${n.id}];`); }
    if (needsGrad[n.id]) {
      if (k === "alias") gname[n.id] = gname[n.args[0]!];
      else { G[n.id] = new Float64Array(n.size); gname[n.id] = `g${n.id}`; decl.push(`const g${n.id} = G[${n.id}];`); }
    }
  }
  const guards = new Map(graph.guards.map((g, i) => [g.id, i]));
  const E = graph.guards.map((g) => g.expected);
  E.forEach((_, i) => decl.push(`const e${i} = E[${i}];`));
  const guardCheck = (id: number): string => (guards.has(id) ? `if (!K.sameValues(${vname[id]}, e${guards.get(id)})) return false;\n` : "");

  // ------------------------------------------------------------ forward
  const fwd: string[] = [];
  const structured = new Map<number, string>();
  const bwd = (id: number, code: string): void => void structured.set(id, code);
  let group: CNode[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    fwd.push(emitGroup(group, nodes, vname, mapVar) + group.map((n) => guardCheck(n.id)).join(""));
    group = [];
  };
  const shapeKey = (n: CNode) => n.shape.join(",");
  for (const n of nodes) {
    const k = kinds[n.id];
    if (k === undefined || k === "alias") {
      if (k === "alias" || n.op === "input") { flush(); fwd.push(guardCheck(n.id)); }
      continue;
    }
    if (k === "ew") {
      if (group.length > 0 && shapeKey(group[0]!) !== shapeKey(n)) flush();
      group.push(n);
      continue;
    }
    flush();
    const x = vname[n.args[0]!]!;
    if (k === "gather") {
      const others = n.args.slice(1).map((a) => nodes[a]!.source.value as Tensor);
      const m = mapVar(gatherMap(env, n.op, nodes[n.args[0]!]!.shape, others, n.attrs));
      fwd.push(n.op === "pad"
        ? `for (let j = 0; j < ${n.size}; j++) { const q = ${m}[j]; v${n.id}[j] = q < 0 ? ${String(n.attrs[1] ?? 0)} : ${x}[q]; }\n`
        : `for (let j = 0; j < ${n.size}; j++) v${n.id}[j] = ${x}[${m}[j]];\n`);
      if (needsGrad[n.id] && needsGrad[n.args[0]!]) {
        bwd(n.id, n.op === "pad"
          ? `for (let j = 0; j < ${n.size}; j++) { const q = ${m}[j]; if (q >= 0) ${gname[n.args[0]!]}[q] += ${gname[n.id]}[j]; }\n`
          : `for (let j = 0; j < ${n.size}; j++) ${gname[n.args[0]!]}[${m}[j]] += ${gname[n.id]}[j];\n`);
      }
    } else if (k === "reduce") {
      const axes = (n.attrs[0] as { axis: readonly number[] }).axis;
      const m = mapVar(reductionMaps(nodes[n.args[0]!]!.shape, axes));
      fwd.push(`K.reduceForward(${JSON.stringify(n.op)}, ${m}, ${x}, v${n.id});\n`);
      if (needsGrad[n.id] && needsGrad[n.args[0]!]) {
        bwd(n.id, `K.reduceBackward(${JSON.stringify(n.op)}, ${m}, ${x}, v${n.id}, ${gname[n.id]}, ${gname[n.args[0]!]});\n`);
      }
    } else if (k === "matmul") {
      const [a, b] = n.args as [number, number];
      const p = mapVar(matmulPlan(nodes[a]!.shape, nodes[b]!.shape));
      fwd.push(`K.matmulForward(${p}, ${vname[a]}, ${vname[b]}, v${n.id});\n`);
      if (needsGrad[n.id]) {
        const ga = needsGrad[a] ? gname[a] : "undefined";
        const gb = needsGrad[b] ? gname[b] : "undefined";
        bwd(n.id, `K.matmulBackward(${p}, ${vname[a]}, ${vname[b]}, ${gname[n.id]}, ${ga}, ${gb});\n`);
      }
    } else {
      const [f, bk] = fallbackKernels(env, n, nodes);
      F.push(f, bk);
      const fi = F.length - 2;
      decl.push(`const f${n.id} = F[${fi}], r${n.id} = F[${fi + 1}];`);
      const args = n.args.map((a) => vname[a]).join(", ");
      fwd.push(`v${n.id} = f${n.id}(${args});\n`);
      const targets = n.args.map((a, pos) => (needsGrad[a] && differentiable(n.op, pos) ? gname[a] : undefined));
      if (needsGrad[n.id] && targets.some((t) => t !== undefined)) {
        bwd(n.id, `{ const r = r${n.id}(${gname[n.id]}, ${args}); ${targets.map((t, i) => (t === undefined ? "" : `K.accumulate(${t}, r[${i}]);`)).join(" ")} }\n`);
      }
    }
    fwd.push(guardCheck(n.id));
  }
  flush();
  // ------------------------------------------------------------ backward, in reverse order
  const reverse: string[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!needsGrad[n.id]) continue;
    if (kinds[n.id] === "ew") reverse.push(emitGradEw(n, nodes, vname, gname, needsGrad, mapVar));
    else if (structured.has(n.id)) reverse.push(structured.get(n.id)!);
  }
  const zero = G.map((g, i) => (g === undefined ? "" : `g${i}.fill(0);`)).join(" ");
  const seed = graph.gradOutput >= 0 && needsGrad[graph.gradOutput] ? `${gname[graph.gradOutput]}[0] = seed;` : "";
  const gradOut = graph.gradInputs.map((id) => (id >= 0 && needsGrad[id] ? gname[id] : `new Float64Array(${id >= 0 ? nodes[id]!.size : 0})`));
  const inputs = [...new Set(nodes.filter((n) => n.op === "input").map((n) => n.slot))].map((s) => `in${s} = IN[${s}];`).join(" ");
  const source = [
    '"use strict";',
    ...decl,
    lets.length > 0 ? `let ${lets.join(", ")};` : "",
    `function forward(IN) {\n${inputs}\n${fwd.join("")}return true;\n}`,
    `function outputs() { return [${graph.outputs.map((id) => vname[id]).join(", ")}]; }`,
    `function backward(seed) {\n${zero}\n${seed}\n${reverse.join("")}return [${gradOut.join(", ")}];\n}`,
    "return { forward, outputs, backward };",
  ].join("\n");
  const make = new Function("K", "B", "G", "C", "M", "F", "E", source) as (...a: unknown[]) => Omit<CompiledGraph, "size" | "source">;
  const fns = make(KERNELS, B, G, C, M, F, E);
  const size = kinds.filter((k) => k !== undefined).length;
  return { forward: fns.forward, outputs: fns.outputs, backward: fns.backward, size, source };
}

/** The element expression of argument `a` of a node of shape `out`, at loop index `j`. */
function access(a: CNode, out: readonly number[], inGroup: ReadonlySet<number>, vname: readonly string[], mapVar: (m: unknown) => string, scalars: Map<number, string>): string {
  if (inGroup.has(a.id)) return `x${a.id}`;
  if (a.size === 1) {
    if (!scalars.has(a.id)) scalars.set(a.id, `s${a.id}`);
    return `s${a.id}`;
  }
  if (sameLayout(a.shape, out)) return `${vname[a.id]}[j]`;
  return `${vname[a.id]}[${mapVar(broadcastMap(a.shape, out))}[j]]`;
}

/** One fused loop computing the elementwise nodes of `group` (all of one shape). */
function emitGroup(group: readonly CNode[], nodes: readonly CNode[], vname: readonly string[], mapVar: (m: unknown) => string): string {
  const out = group[0]!.shape;
  const inGroup = new Set<number>();
  const scalars = new Map<number, string>();
  const body: string[] = [];
  for (const n of group) {
    const args = n.args.map((a) => access(nodes[a]!, out, inGroup, vname, mapVar, scalars));
    body.push(`const x${n.id} = ${VALUE[n.op]!(args, n.attrs)}; v${n.id}[j] = x${n.id};`);
    inGroup.add(n.id);
  }
  const hoist = [...scalars.keys()].map((id) => `const s${id} = ${vname[id]}[0];`).join(" ");
  const size = group[0]!.size;
  if (size === 1) return `{ ${hoist} const j = 0; ${body.join(" ")} }\n`;
  return `{ ${hoist} for (let j = 0; j < ${size}; j++) { ${body.join(" ")} } }\n`;
}

/** The reverse-mode code of elementwise node `n`: its cotangent spread to its arguments' cotangents. */
function emitGradEw(
  n: CNode, nodes: readonly CNode[], vname: readonly string[], gname: readonly (string | undefined)[],
  needsGrad: readonly boolean[], mapVar: (m: unknown) => string,
): string {
  const template = GRAD[n.op];
  if (template === undefined) return "";
  const scalars = new Map<number, string>();
  const none = new Set<number>();
  const args = n.args.map((a) => access(nodes[a]!, n.shape, none, vname, mapVar, scalars));
  const lines: string[] = [];
  n.args.forEach((a, pos) => {
    if (!needsGrad[a] || !differentiable(n.op, pos)) return;
    const contrib = template("G", `${vname[n.id]}[j]`, args, n.attrs, pos);
    if (contrib === undefined) return;
    const arg = nodes[a]!;
    const idx = arg.size === 1 ? "0" : sameLayout(arg.shape, n.shape) ? "j" : `${mapVar(broadcastMap(arg.shape, n.shape))}[j]`;
    lines.push(`${gname[a]}[${idx}] += ${contrib};`);
  });
  if (lines.length === 0) return "";
  const hoist = [...scalars.keys()].map((id) => `const s${id} = ${vname[id]}[0];`).join(" ");
  return `{ ${hoist} for (let j = 0; j < ${n.size}; j++) { const G = ${gname[n.id]}[j]; ${lines.join(" ")} } }\n`;
}

/** The forward and backward closures of a node computed by the base ops. */
function fallbackKernels(env: LazyEnv, n: CNode, nodes: readonly CNode[]): [unknown, unknown] {
  const { base } = env;
  const { op, attrs, shape } = n; // not the node itself: the compiled code must not keep the traced graph alive
  const shapes = n.args.map((a) => nodes[a]!.shape);
  const tensors = (data: readonly Float64Array[]): Tensor[] => data.map((d, k) => base.fromFlat(d, shapes[k]!));
  const forward = (...data: Float64Array[]): Float64Array => Float64Array.from(base.toFlat(callBase(env, op, tensors(data), attrs)));
  const backward = (g: Float64Array, ...data: Float64Array[]): Float64Array[] => {
    const gt = base.fromFlat(g, shape);
    const r = base.valueAndGrad((xs) => base.sum(base.mul(callBase(env, op, xs, attrs), gt)), tensors(data));
    return r.grads.map((t) => Float64Array.from(base.toFlat(t)));
  };
  return [forward, backward];
}
