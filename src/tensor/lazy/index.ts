/**
 * Lazy terms with named dimensions (the `funsor` backend's tensors):
 * terms, interpretations, the lazy ops bridge, named-dimension operations,
 * contraction, integration, and compilation of traced graphs.
 *
 * @module
 */
export { LazyTensor, LazyTensorError, type NamedDim } from "./tensor.js";
export {
  eager, lazy, monteCarlo, tracing, LazyEnv, InterpretationError,
  type Interpretation, type EagerInterpretation, type LazyInterpretation, type TraceInterpretation,
  type MonteCarloInterpretation, type TraceRecorder,
} from "./env.js";
export { makeLazyOps, lazyEnvOf, type LazyOps } from "./ops.js";
export { evaluate, evaluateAll } from "./evaluate.js";
export { toNamed, toPositional, indexVariable, variable, freeVariables, reduceNamed, type NamedReduction } from "./named.js";
export { contract, type Ring } from "./contract.js";
export { integrate, type Measure } from "./integrate.js";
export { jitFunction, GraphRecorder, type JitFunction } from "./compile/trace.js";
