/**
 * Tracing a function of lazy tensors into a graph, and compiling it: the
 * tensor-level `jit`.
 *
 * `jitFunction(lazyOps, f, example)` runs `f` once on `example` under the
 * tracing interpretation (computing its value as usual), and compiles the
 * recorded graph — forward pass and gradient — to JavaScript. The compiled
 * function is valid as long as `f` would record the same graph: every value
 * `f` read into JavaScript during the trace (`item`, `toFlat`, ...) that
 * depends on the inputs is a guard, re-checked on every call; a call whose
 * guards fail returns `undefined` (re-trace then). Constants `f` closes over
 * are baked in.
 *
 * @module
 */
import type { Ops } from "../../ops.js";
import type { Tensor } from "../../types.js";
import { tracing, type LazyEnv, type TraceRecorder } from "../env.js";
import { inputTerm, lift } from "../node.js";
import { lazyEnvOf } from "../ops.js";
import { LazyTensorError, type LazyTensor } from "../tensor.js";
import { compileGraph, type CompiledGraph } from "./compile.js";
import { buildGraph, type GraphSpec } from "./graph.js";

/** A read recorded during a trace. */
export interface RecordedRead {
  /** The node read. */
  readonly node: LazyTensor;
  /** Its flat data at the time. */
  readonly data: Float64Array;
  /** How many nodes had been made before the read. */
  readonly at: number;
}

/** A {@link TraceRecorder} keeping every node (in creation order) and every read. */
export class GraphRecorder implements TraceRecorder {
  /** The nodes, in creation order. */
  readonly nodes: LazyTensor[] = [];
  /** The creation index of each node. */
  readonly order = new Map<LazyTensor, number>();
  /** The reads, in order. */
  readonly reads: RecordedRead[] = [];
  /** Why the trace cannot be compiled, if something untraceable happened. */
  untraceable: string | undefined;

  /** Records a node. */
  onNode(t: LazyTensor): void {
    if (this.order.has(t)) return;
    this.order.set(t, this.nodes.length);
    this.nodes.push(t);
  }

  /** Records a read. */
  onRead(t: LazyTensor, data: Float64Array | Float32Array): void {
    this.reads.push({ node: t, data: Float64Array.from(data), at: this.nodes.length });
  }

  /** Records the first untraceable event. */
  onUntraceable(reason: string): void {
    this.untraceable ??= reason;
  }
}

/** Builds and compiles the graph `spec` recorded by `recorder`. */
export function compileRecorded(env: LazyEnv, recorder: GraphRecorder, spec: GraphSpec): CompiledGraph {
  return compileGraph(env, buildGraph(env, spec, recorder.order));
}

/** A compiled function of tensors (see {@link jitFunction}). */
export interface JitFunction {
  /** The outputs' flat data at `inputs` (flat, in input order), or `undefined` when a guard failed. */
  call(inputs: readonly Float64Array[]): Float64Array[] | undefined;
  /** After `call`: the gradient of output `gradOutput` with respect to every input. */
  grad(seed?: number): Float64Array[];
  /** The compiled graph. */
  readonly graph: CompiledGraph;
}

/**
 * Traces `f` at `example` and compiles it; output `gradOutput` (default 0,
 * a one-element tensor) is differentiated with respect to every input.
 *
 * @example
 * ```ts
 * const { ops } = makeLazyOps(ndarrayOps);
 * const f = jitFunction(ops, ([x]) => [ops.sum(ops.exp(x!))], [ops.tensor([0, 1])]);
 * f.call([Float64Array.of(0, 0)]); // [[2]]
 * f.grad();                         // [[1, 1]]
 * ```
 */
export function jitFunction(
  ops: Ops<LazyTensor>,
  f: (xs: readonly LazyTensor[]) => readonly LazyTensor[],
  example: readonly (LazyTensor | Tensor)[],
  gradOutput = 0,
): JitFunction {
  const env = lazyEnvOf(ops);
  if (env === undefined) throw new LazyTensorError("jit", "jitFunction needs lazy ops (makeLazyOps)");
  const recorder = new GraphRecorder();
  const { inputs, outputs } = env.run(tracing(recorder), () => {
    const ins = example.map((x, i) => inputTerm(env, `x${i}`, lift(env, x as LazyTensor)));
    return { inputs: ins, outputs: f(ins) };
  });
  if (recorder.untraceable !== undefined) throw new LazyTensorError("jit", `cannot compile: ${recorder.untraceable}`);
  const graph = compileRecorded(env, recorder, {
    outputs,
    inputs,
    gradInputs: inputs.map((_, i) => i),
    gradOutput,
    guards: recorder.reads.map((r) => ({ node: r.node, expected: r.data })),
  });
  return {
    graph,
    call: (xs) => (graph.forward(xs) ? graph.outputs().map((o) => Float64Array.from(o)) : undefined),
    grad: (seed = 1) => graph.backward(seed),
  };
}
