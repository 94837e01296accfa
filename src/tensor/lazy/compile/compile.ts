/**
 * Code generation: a {@link CGraph} becomes one JavaScript function for the
 * forward pass and one for the reverse (gradient) pass, made with
 * `new Function` once per graph.
 *
 * - Elementwise nodes of one shape, with the full sums of them and the
 *   short matrix-vector products they start from, are fused into one loop
 *   over `Float64Array`s (`fusion.ts` picks the members); an intermediate
 *   lands in a buffer only when something outside the loop reads it;
 *   broadcasting is a precomputed index map, or a hoisted scalar; one-element
 *   groups are straight-line code. Their gradient is one fused reverse loop
 *   too, with cotangents in local variables (`elementwise.ts`).
 * - `reshape` aliases its argument's buffer (and cotangent buffer).
 * - Data movement with fixed indices (`expand`, `transpose`, `slice`,
 *   `take`/`takeAlongAxis` with constant indices, `pad`, `diagonal`) is a
 *   gather through a precomputed map, its gradient the matching scatter-add.
 * - A full sum of a buffer and an unbatched matrix product are generated
 *   loops with their sizes baked in (`matmul.ts`); other reductions and
 *   products call kernels over precomputed maps.
 * - Anything else calls the base ops on the buffers (and their autodiff for
 *   its gradient): rare ops stay correct without a hand-written kernel.
 * - Guards (values read during the trace) are compared right after their
 *   node is computed; the forward pass returns `false` at the first
 *   mismatch.
 *
 * Buffers are allocated once and reused by every run. The generated
 * function is shared by every graph with the same source (see `makerFor`).
 *
 * @module
 */
import type { Tensor } from "../../types.js";
import type { LazyEnv } from "../env.js";
import { callBase } from "../node.js";
import { differentiable, type CGraph, type CNode } from "./graph.js";
import { KERNELS } from "./kernels.js";
import { emitGradGroup, emitGroup, keepsAux, type EmitContext } from "./elementwise.js";
import { fuseGroups, isFullContiguous } from "./fusion.js";
import { gatherMap, matmulPlan, reductionMaps } from "./maps.js";
import { matmulBackwardCode, matmulForwardCode } from "./matmul.js";
import { VALUE } from "./templates.js";

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
  const groups = fuseGroups(nodes, kinds.map((k) => k !== undefined), kinds.map((k) => k === "alias"));
  const groupOf = new Map<number, CNode[]>();
  for (const g of groups) for (const n of g) groupOf.set(n.id, g);
  // A group member's cotangent needs a buffer when something outside its group writes into it.
  const buffered = new Set<number>([graph.gradOutput]);
  for (const n of nodes) {
    if (!needsGrad[n.id]) continue;
    for (const a of n.args) if (groupOf.get(a) !== undefined && groupOf.get(a) !== groupOf.get(n.id)) buffered.add(a);
  }
  const hasBuffer = (id: number): boolean => !groupOf.has(id) || buffered.has(id);
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
  const aux = new Map<number, string>();
  for (const n of nodes) {
    const k = kinds[n.id];
    if (n.op === "input") { vname[n.id] = `in${n.slot}`; if (!lets.includes(`in${n.slot}`)) lets.push(`in${n.slot}`); }
    else if (n.op === "const") { C[n.id] = n.data; vname[n.id] = `c${n.id}`; decl.push(`const c${n.id} = C[${n.id}];`); }
    else if (k === "alias") vname[n.id] = vname[n.args[0]!]!;
    else if (k === "fallback") { vname[n.id] = `v${n.id}`; lets.push(`v${n.id}`); }
    else { B[n.id] = new Float64Array(n.size); vname[n.id] = `v${n.id}`; decl.push(`const v${n.id} = B[${n.id}];`); }
    if (groupOf.has(n.id) && keepsAux(n, needsGrad)) aux.set(n.id, mapVar(new Float64Array(n.size)));
    if (needsGrad[n.id]) {
      if (k === "alias") gname[n.id] = gname[n.args[0]!];
      else if (hasBuffer(n.id)) { G[n.id] = new Float64Array(n.size); gname[n.id] = `g${n.id}`; decl.push(`const g${n.id} = G[${n.id}];`); }
    }
  }
  const cx: EmitContext = { nodes, vname, gname, needsGrad, aux, mapVar };
  const guards = new Map(graph.guards.map((g, i) => [g.id, i]));
  const E = graph.guards.map((g) => g.expected);
  E.forEach((_, i) => decl.push(`const e${i} = E[${i}];`));
  const guardCheck = (id: number): string => (guards.has(id) ? `if (!K.sameValues(${vname[id]}, e${guards.get(id)})) return false;\n` : "");

  // ------------------------------------------------------------ forward
  const fwd: string[] = [];
  const structured = new Map<number, string>();
  const bwd = (id: number, code: string): void => void structured.set(id, code);
  for (const n of nodes) {
    const k = kinds[n.id];
    if (k === undefined || k === "alias") {
      if (k === "alias" || n.op === "input") fwd.push(guardCheck(n.id));
      continue;
    }
    const group = groupOf.get(n.id);
    if (group !== undefined) {
      if (group[group.length - 1] === n) fwd.push(emitGroup(cx, group) + group.map((m) => guardCheck(m.id)).join(""));
      continue;
    }
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
      const maps = reductionMaps(nodes[n.args[0]!]!.shape, axes);
      const inline = n.op === "sum" && isFullContiguous(maps);
      const m = mapVar(maps);
      const gx = gname[n.args[0]!];
      // A full sum of a buffer (the usual log-density total) is a plain loop.
      fwd.push(inline
        ? `{ let s = 0; for (let j = 0; j < ${maps.offs.length}; j++) s += ${x}[j]; v${n.id}[0] = s; }\n`
        : `K.reduceForward(${JSON.stringify(n.op)}, ${m}, ${x}, v${n.id});\n`);
      if (needsGrad[n.id] && needsGrad[n.args[0]!]) {
        bwd(n.id, inline
          ? `{ const go = ${gname[n.id]}[0]; for (let j = 0; j < ${maps.offs.length}; j++) ${gx}[j] += go; }\n`
          : `K.reduceBackward(${JSON.stringify(n.op)}, ${m}, ${x}, v${n.id}, ${gname[n.id]}, ${gx});\n`);
      }
    } else if (k === "matmul") {
      const [a, b] = n.args as [number, number];
      const plan = matmulPlan(nodes[a]!.shape, nodes[b]!.shape);
      const ga = needsGrad[a] ? gname[a] : undefined;
      const gb = needsGrad[b] ? gname[b] : undefined;
      if (plan.offA.length === 1) {
        // One product: generated loops with the sizes baked in.
        const vars = { a: vname[a]!, b: vname[b]!, out: `v${n.id}`, g: gname[n.id], ga, gb };
        fwd.push(matmulForwardCode(plan.n, plan.k, plan.m, vars));
        if (needsGrad[n.id]) bwd(n.id, matmulBackwardCode(plan.n, plan.k, plan.m, vars));
      } else {
        const p = mapVar(plan);
        fwd.push(`K.matmulForward(${p}, ${vname[a]}, ${vname[b]}, v${n.id});\n`);
        if (needsGrad[n.id]) bwd(n.id, `K.matmulBackward(${p}, ${vname[a]}, ${vname[b]}, ${gname[n.id]}, ${ga ?? "undefined"}, ${gb ?? "undefined"});\n`);
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
  // ------------------------------------------------------------ backward, in reverse order
  const reverse: string[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const group = groupOf.get(n.id);
    // A group's reverse loop goes where its last node is (whether or not that node is differentiated).
    if (group !== undefined) {
      if (group[group.length - 1] === n && group.some((m) => needsGrad[m.id])) reverse.push(emitGradGroup(cx, group, hasBuffer));
    } else if (needsGrad[n.id] && structured.has(n.id)) reverse.push(structured.get(n.id)!);
  }
  // Small buffers are cleared inline: a `fill` call costs more than the stores it makes.
  const zero = G.map((g, i) => (g === undefined ? "" : g.length === 1 ? `g${i}[0] = 0;` : g.length <= 64 ? `for (let j = 0; j < ${g.length}; j++) g${i}[j] = 0;` : `g${i}.fill(0);`)).join(" ");
  const seed = graph.gradOutput >= 0 && needsGrad[graph.gradOutput] ? `${gname[graph.gradOutput]}[0] = seed;` : "";
  // An input the differentiated output does not depend on has a zero gradient of its own size.
  const gradOut = graph.gradInputs.map((id, i) => (id >= 0 && needsGrad[id] ? gname[id] : `new Float64Array(${graph.gradInputSizes[i]!})`));
  const inputs = [...new Set(nodes.filter((n) => n.op === "input").map((n) => n.slot))].map((s) => `in${s} = IN[${s}];`).join(" ");
  const raw = [
    '"use strict";',
    ...decl,
    lets.length > 0 ? `let ${lets.join(", ")};` : "",
    `function forward(IN) {\n${inputs}\n${fwd.join("")}return true;\n}`,
    `function outputs() { return [${graph.outputs.map((id) => vname[id]).join(", ")}]; }`,
    `function backward(seed) {\n${zero}\n${seed}\n${reverse.join("")}return [${gradOut.join(", ")}];\n}`,
    "return { forward, outputs, backward };",
  ].join("\n");
  const source = dropDeadStores(raw, groups.flat().filter((n) => n.op !== "sum").map((n) => n.id), B);
  const fns = makerFor(source)(KERNELS, B, G, C, M, F, E);
  const size = kinds.filter((k) => k !== undefined).length;
  return { forward: fns.forward, outputs: fns.outputs, backward: fns.backward, size, source };
}

/**
 * `source` without the stores of fused-loop values nothing reads: a member
 * whose buffer appears only in its declaration and its store inside the loop
 * (its local is all the loop needs). Their buffers in `B` are dropped.
 */
function dropDeadStores(source: string, members: readonly number[], B: (Float64Array | undefined)[]): string {
  let out = source;
  for (const id of members) {
    const uses = out.match(new RegExp(`\\bv${id}\\b`, "g"))?.length ?? 0;
    const decl = `const v${id} = B[${id}];\n`;
    const store = ` v${id}[j] = x${id};`;
    if (uses !== 2 || !out.includes(decl) || !out.includes(store)) continue;
    out = out.replace(decl, "").replace(store, "");
    B[id] = undefined;
  }
  return out;
}

/** What a generated source evaluates to: binds the buffers and returns the passes. */
type Maker = (...a: unknown[]) => Omit<CompiledGraph, "size" | "source">;

/** Generated functions by source (the most recent {@link MAX_MAKERS}). */
const makers = new Map<string, Maker>();
const MAX_MAKERS = 256;

/**
 * The function of `source`, made once: a graph compiled again with the same
 * structure (the next MCMC run or SVI fit of a model) gets the same function,
 * so V8 reuses its type feedback and optimized code instead of warming up anew.
 */
function makerFor(source: string): Maker {
  let make = makers.get(source);
  if (make === undefined) {
    make = new Function("K", "B", "G", "C", "M", "F", "E", source) as Maker;
    if (makers.size >= MAX_MAKERS) makers.delete(makers.keys().next().value!);
    makers.set(source, make);
  }
  return make;
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
