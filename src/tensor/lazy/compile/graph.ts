/**
 * The compiled graph: the part of a traced term graph that must be
 * recomputed when the inputs change, with everything else folded into
 * constants.
 *
 * A node *depends on the inputs* when an input is among its ancestors. Only
 * those nodes are kept as computations; a node that does not depend on the
 * inputs is a constant whose value the trace already computed. Nodes are
 * kept in trace (creation) order, which is a topological order.
 *
 * A node *needs a gradient* when it lies on a differentiable path from a
 * differentiated input to the differentiated output (`stopGradient`,
 * comparisons, rounding and index arguments cut the path).
 *
 * @module
 */
import type { Tensor } from "../../types.js";
import type { LazyEnv } from "../env.js";
import { dataShape, LazyTensorError, type LazyTensor } from "../tensor.js";

/** What to compile: outputs and guards of a trace, as functions of some of its nodes. */
export interface GraphSpec {
  /** The outputs (scalars or tensors), in the order `forward` reports them. */
  readonly outputs: readonly LazyTensor[];
  /** The nodes whose values are supplied on each run, in slot order. */
  readonly inputs: readonly LazyTensor[];
  /** Which input slots are differentiated. */
  readonly gradInputs: readonly number[];
  /** The output differentiated (must be a one-element tensor), or -1 for none. */
  readonly gradOutput: number;
  /** Reads recorded during the trace: the run is only valid if these nodes have these values again. */
  readonly guards: readonly { readonly node: LazyTensor; readonly expected: Float64Array | Float32Array }[];
}

/** One node of a compiled graph. */
export interface CNode {
  /** Its position in {@link CGraph.nodes}. */
  readonly id: number;
  /** `"input"`, `"const"` or the data-level op. */
  readonly op: string;
  /** Argument node ids. */
  readonly args: readonly number[];
  /** Static op arguments. */
  readonly attrs: readonly unknown[];
  /** The data shape. */
  readonly shape: readonly number[];
  /** The number of elements. */
  readonly size: number;
  /** The input slot of an input node (-1 otherwise). */
  readonly slot: number;
  /** A constant's flat data. */
  readonly data: Float64Array | undefined;
  /** The traced node (for constants of other args: its base value). */
  readonly source: LazyTensor;
}

/** A graph ready for code generation. */
export interface CGraph {
  /** Inputs, constants and computations in topological order. */
  readonly nodes: readonly CNode[];
  /** Output node ids. */
  readonly outputs: readonly number[];
  /** Guard node ids and expected data. */
  readonly guards: readonly { readonly id: number; readonly expected: Float64Array }[];
  /** Node ids of the differentiated inputs (in `gradInputs` order); -1 for an input the outputs do not use. */
  readonly gradInputs: readonly number[];
  /** The number of elements of each differentiated input (its gradient's length, zeros when unused). */
  readonly gradInputSizes: readonly number[];
  /** The differentiated output node id, or -1. */
  readonly gradOutput: number;
  /** Which nodes carry an adjoint. */
  readonly needsGrad: readonly boolean[];
}

const NOT_DIFFERENTIABLE = new Set([
  "sign", "floor", "ceil", "round", "isFinite", "isNaN", "logicalNot", "stopGradient",
  "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "argmax", "all", "any", "oneHot",
]);

/** Whether the gradient flows from node `op` into its argument at position `pos`. */
export function differentiable(op: string, pos: number): boolean {
  if (NOT_DIFFERENTIABLE.has(op)) return false;
  if (op === "where") return pos > 0;
  if (op === "take" || op === "takeAlongAxis" || op === "index") return pos === 0;
  return true;
}

/** The flat data of a known term, copied. */
function flat(env: LazyEnv, t: LazyTensor): Float64Array {
  if (t.value === undefined) throw new LazyTensorError("compile", `${t} has no value to fold into a constant`);
  return Float64Array.from(env.base.toFlat(t.value as Tensor));
}

/** The nodes of `spec` that depend on its inputs (`dep`), by an iterative post-order walk. */
function dependents(spec: GraphSpec): Set<LazyTensor> {
  const inputs = new Set(spec.inputs);
  const dep = new Set<LazyTensor>();
  const done = new Set<LazyTensor>();
  const roots = [...spec.outputs, ...spec.guards.map((g) => g.node)];
  for (const root of roots) {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack[stack.length - 1]!;
      if (done.has(n)) { stack.pop(); continue; }
      if (inputs.has(n)) { dep.add(n); done.add(n); stack.pop(); continue; }
      const pending = n.args.filter((a) => !done.has(a));
      if (pending.length > 0) { stack.push(...pending); continue; }
      stack.pop();
      done.add(n);
      if (n.args.some((a) => dep.has(a))) dep.add(n);
    }
  }
  return dep;
}

/**
 * The compiled graph of `spec`: dependent nodes in topological order, their
 * non-dependent arguments as constants.
 */
export function buildGraph(env: LazyEnv, spec: GraphSpec, order: ReadonlyMap<LazyTensor, number>): CGraph {
  const dep = dependents(spec);
  const inputs = new Map(spec.inputs.map((n, i) => [n, i]));
  const ids = new Map<LazyTensor, number>();
  const nodes: CNode[] = [];
  const add = (t: LazyTensor, op: string, args: number[], slot: number, data: Float64Array | undefined): number => {
    const shape = dataShape(t);
    const id = nodes.length;
    nodes.push({ id, op, args, attrs: op === "input" || op === "const" ? [] : t.attrs, shape, size: shape.reduce((a, b) => a * b, 1), slot, data, source: t });
    ids.set(t, id);
    return id;
  };
  const constOf = (t: LazyTensor): number => ids.get(t) ?? add(t, "const", [], -1, flat(env, t));
  const sorted = [...dep].sort((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
  for (const t of sorted) {
    if (inputs.has(t)) { add(t, "input", [], inputs.get(t)!, undefined); continue; }
    if (t.value === undefined) throw new LazyTensorError("compile", `${t} was not evaluated during the trace`);
    const args = t.args.map((a) => (dep.has(a) ? ids.get(a)! : constOf(a)));
    if (args.some((a) => a === undefined)) throw new LazyTensorError("compile", `the trace order of ${t} is not topological`);
    add(t, t.op, args, -1, undefined);
  }
  const idOf = (t: LazyTensor): number => (dep.has(t) ? ids.get(t)! : constOf(t));
  const outputs = spec.outputs.map(idOf);
  const guards = spec.guards.filter((g) => dep.has(g.node)).map((g) => ({ id: ids.get(g.node)!, expected: Float64Array.from(g.expected) }));
  const gradInputs = spec.gradInputs.map((slot) => ids.get(spec.inputs[slot]!) ?? -1);
  const gradInputSizes = spec.gradInputs.map((slot) => dataShape(spec.inputs[slot]!).reduce((a, b) => a * b, 1));
  const gradOutput = spec.gradOutput < 0 ? -1 : outputs[spec.gradOutput]!;
  return { nodes, outputs, guards, gradInputs, gradInputSizes, gradOutput, needsGrad: gradientNodes(nodes, gradInputs, gradOutput) };
}

/** Nodes on a differentiable path from a differentiated input to the differentiated output. */
function gradientNodes(nodes: readonly CNode[], gradInputs: readonly number[], gradOutput: number): boolean[] {
  const fromInput = new Array<boolean>(nodes.length).fill(false);
  for (const id of gradInputs) if (id >= 0) fromInput[id] = true;
  for (const n of nodes) {
    if (n.op === "input" || n.op === "const") continue;
    if (n.args.some((a, pos) => fromInput[a] && differentiable(n.op, pos))) fromInput[n.id] = true;
  }
  const toOutput = new Array<boolean>(nodes.length).fill(false);
  if (gradOutput >= 0 && fromInput[gradOutput]) toOutput[gradOutput] = true;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!toOutput[i]) continue;
    n.args.forEach((a, pos) => { if (fromInput[a] && differentiable(n.op, pos)) toOutput[a] = true; });
  }
  return toOutput;
}
