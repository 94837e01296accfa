/**
 * Deciding what a traced ELBO evaluation's compiled graph takes as inputs.
 *
 * Two traces of the same step are compared node by node: the trace proper
 * and a *probe* that runs the same evaluation again, later in the step's
 * key chain, so every random draw differs. If they differ in structure, the
 * evaluation is not (yet) static — retry on a later step. Otherwise the
 * random constants are: data from a JavaScript array made while a site is
 * drawn (how every sampler returns its draws), and any constant whose data
 * differ between the two traces. Each must be accounted for: a recognized source inside a draw window (regenerated from
 * the site key), or part of an opaque site draw whose distribution does not
 * depend on params or other draws (the whole site value is regenerated). A
 * random constant outside every draw window (e.g. `ops.randn` in a model),
 * or an opaque draw whose distribution depends on params (a score-function
 * site such as `Categorical(probs)` with `probs` a param), makes the
 * evaluation uncompilable: it runs uncompiled.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { GraphSpec } from "../../tensor/lazy/compile/graph.js";
import type { LazyTensor } from "../../tensor/lazy/tensor.js";
import type { Tensor } from "../../tensor/types.js";
import type { DrawRecord, JitRecorder } from "./recorder.js";
import { identify, siteInput, type RandomInput } from "./sources.js";

/** An analysis that found a compilable graph. */
export interface CompilablePlan {
  /** Discriminant. */
  readonly kind: "ok";
  /** What to compile (inputs: param slots first, then random inputs). */
  readonly spec: GraphSpec;
  /** The param name of each param slot. */
  readonly paramNames: readonly string[];
  /** The random inputs, in slot order after the params. */
  readonly random: readonly RandomInput[];
}

/** An analysis that found no compilable graph (now: `retry`; for good: `off`). */
export interface NotCompilable {
  /** `"retry"` when a later step may succeed, `"off"` when none will. */
  readonly kind: "retry" | "off";
  /** Why. */
  readonly reason: string;
}

/** The result of {@link analyze}. */
export type Analysis = CompilablePlan | NotCompilable;

function sameAttr(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "function" && typeof b === "function") return a.toString() === b.toString();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameAttr(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameAttr((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function sameData(ops: Ops, a: LazyTensor, b: LazyTensor): boolean {
  const x = ops.toFlat(a.value as Tensor);
  const y = ops.toFlat(b.value as Tensor);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(x[i] !== x[i] && y[i] !== y[i])) return false;
  return true;
}

/** Where two traces first differ in structure, or `undefined` when they have the same graph. */
function structuralDifference(t: JitRecorder, p: JitRecorder): string | undefined {
  if (t.runs !== p.runs) return `${t.runs} runs, then ${p.runs}`;
  if (t.nodes.length !== p.nodes.length) return `${t.nodes.length} nodes, then ${p.nodes.length}`;
  if (t.draws.length !== p.draws.length) return `${t.draws.length} draws, then ${p.draws.length}`;
  if (t.reads.length !== p.reads.length) return `${t.reads.length} reads of values, then ${p.reads.length}`;
  if (t.params.length !== p.params.length || t.params.some((r, i) => r.name !== p.params[i]!.name)) return "different params";
  for (let i = 0; i < t.draws.length; i++) {
    const a = t.draws[i]!;
    const b = p.draws[i]!;
    if (a.site !== b.site || a.run !== b.run || a.draw !== b.draw || a.start !== b.start || a.end !== b.end) return `draw ${i} (site '${a.site}')`;
  }
  for (let i = 0; i < t.reads.length; i++) {
    if (t.reads[i]!.at !== p.reads[i]!.at || t.order.get(t.reads[i]!.node) !== p.order.get(p.reads[i]!.node)) return `read ${i}`;
  }
  for (let i = 0; i < t.nodes.length; i++) {
    const a = t.nodes[i]!;
    const b = p.nodes[i]!;
    const where = `node ${i} (${a.op})`;
    if (a.op !== b.op || a.args.length !== b.args.length || a.attrs.length !== b.attrs.length) return where;
    if (a.shape.length !== b.shape.length || a.shape.some((d, k) => d !== b.shape[k])) return where;
    if (a.inputs.length !== b.inputs.length || a.inputs.some((d, k) => d.name !== b.inputs[k]!.name || d.size !== b.inputs[k]!.size)) return where;
    if (!a.attrs.every((x, k) => sameAttr(x, b.attrs[k]))) return where;
    for (let k = 0; k < a.args.length; k++) {
      const ia = t.order.get(a.args[k]!);
      const ib = p.order.get(b.args[k]!);
      if (ia !== ib || (ia === undefined && a.args[k] !== b.args[k])) return where;
    }
  }
  return undefined;
}

/**
 * The plan for compiling trace `t` (with probe `p`), whose outputs are
 * `outputs` (loss first, then the differentiated surrogate).
 */
export function analyze(ops: Ops, t: JitRecorder, p: JitRecorder, outputs: readonly LazyTensor[], probeOutputs: readonly LazyTensor[]): Analysis {
  if (t.untraceable !== undefined) return { kind: "off", reason: t.untraceable };
  const diff = structuralDifference(t, p);
  if (diff !== undefined) return { kind: "retry", reason: `the evaluation's structure changed between two traces of one step (${diff})` };
  if (outputs.some((o, i) => t.order.get(o) !== p.order.get(probeOutputs[i]!))) return { kind: "retry", reason: "the outputs moved" };

  const sources = new Map<number, RandomInput>();
  const opaque = new Set<DrawRecord>();
  for (let i = 0; i < t.nodes.length; i++) {
    const a = t.nodes[i]!;
    const d = t.drawAt(i);
    if (d !== undefined && (a.op === "custom" || a.op === "elementwise")) opaque.add(d);
    if (a.op !== "const") continue;
    // Inside a draw window, data from a JavaScript array is a draw, even when the two traces agree by chance
    // (a discrete draw often does); elsewhere, and for literals, only data that differ are random.
    const drawn = d !== undefined && a.attrs[0] === "flat";
    if (!drawn && sameData(ops, a, p.nodes[i]!)) continue;
    if (d === undefined) {
      return { kind: "off", reason: "a random value is drawn outside any sample site (e.g. ops.randn in a model, or a site hidden by handlers.block)" };
    }
    const dp = p.draws[t.draws.indexOf(d)]!;
    const data = ops.toFlat(a.value as Tensor);
    const kt = identify(data, d.key, ops.dtype);
    const kp = kt === undefined ? undefined : identify(ops.toFlat(p.nodes[i]!.value as Tensor), dp.key, ops.dtype);
    if (kt !== undefined && kp !== undefined && kt.dist === kp.dist && kt.sub === kp.sub) {
      sources.set(i, { type: "source", kind: kt, run: d.run, draw: d.draw, n: data.length });
    } else opaque.add(d);
  }
  // Opaque draws are regenerated whole: their distribution must not depend on params or other draws.
  for (const d of opaque) for (let i = d.start; i < d.end; i++) sources.delete(i);
  const inputNodes = new Set<LazyTensor>(t.params.map((r) => r.node));
  for (const i of sources.keys()) inputNodes.add(t.nodes[i]!);
  for (const d of opaque) {
    if (d.value === undefined) return { kind: "off", reason: `site '${d.site}' has no value to regenerate` };
    inputNodes.add(d.value);
  }
  const dep = new Set<LazyTensor>();
  for (const n of t.nodes) if (inputNodes.has(n) || n.args.some((a) => dep.has(a))) dep.add(n);
  for (const d of opaque) {
    for (let i = d.start; i < d.end; i++) {
      const leaf = t.nodes[i]!.args.find((a) => dep.has(a) && (t.order.get(a) ?? -1) < d.start);
      if (leaf !== undefined) {
        return {
          kind: "off",
          reason: `site '${d.site}' (${d.fn.name}) is drawn by a sampler that is not reparameterized, from a distribution that depends on params or other draws`,
        };
      }
    }
  }
  const random: RandomInput[] = [];
  const randomNodes: LazyTensor[] = [];
  for (const [i, s] of [...sources].sort((x, y) => x[0] - y[0])) { random.push(s); randomNodes.push(t.nodes[i]!); }
  for (const d of opaque) { random.push(siteInput(d)); randomNodes.push(d.value!); }
  const paramNodes = t.params.map((r) => r.node);
  const spec: GraphSpec = {
    outputs,
    inputs: [...paramNodes, ...randomNodes],
    gradInputs: paramNodes.map((_, i) => i),
    gradOutput: 1,
    guards: t.reads.map((r) => ({ node: r.node, expected: r.data })),
  };
  return { kind: "ok", spec, paramNames: t.params.map((r) => r.name), random };
}
