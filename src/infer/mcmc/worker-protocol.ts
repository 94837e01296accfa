/**
 * What the main thread and MCMC worker threads send each other: the job (a
 * module reference to the model, the backend alias, the model's arguments
 * as structured-clonable data, the run key), progress, results and errors.
 *
 * Tensors cross as `{ shape, data }` (float64 copies of their values) and
 * are rebuilt with the worker's backend, so a worker computes with exactly
 * the values the main thread has. Errors cross as name, message and fields,
 * and are revived with the class of the same name when it is one of ours,
 * so `instanceof` works across threads.
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import type { ModuleRef } from "../../codecs/inference-options.js";
import type { ParamStoreState } from "../../codecs/param-store.js";
import type { Ops } from "../../tensor/ops.js";
import type { RandomKey } from "../../tensor/random/index.js";
import type { KernelSpec } from "./api.js";
import type { ChainResult, IterationInfo } from "./chain.js";
import { MCMCOptionError } from "./kernels.js";
import type { ChainOptions } from "./run-plan.js";

/** The marker key of an encoded tensor. */
const TENSOR_KEY = "__pyroapiTensor__";

/** A tensor as structured-clonable data. */
export interface EncodedTensor {
  /** The marker. */
  readonly [TENSOR_KEY]: { readonly shape: readonly number[]; readonly data: Float64Array };
}

/** Whether `v` is a plain object (its prototype is `Object.prototype` or null). */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `v` as structured-clonable data: tensors become {@link EncodedTensor}s;
 * numbers, strings, booleans, null, undefined, typed arrays, arrays and plain
 * objects pass (recursively). Functions and class instances cannot cross a
 * thread boundary: they throw {@link MCMCOptionError} naming their path.
 */
export function encodeValue(ops: Ops, v: unknown, path: string): unknown {
  if (v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (ops.isTensor(v)) return { [TENSOR_KEY]: { shape: [...v.shape], data: Float64Array.from(ops.toFlat(v)) } };
  if (typeof v === "object") {
    if (ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) return v.map((x, i) => encodeValue(ops, x, `${path}[${i}]`));
    if (isPlainObject(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(ops, x, `${path}.${k}`)]));
    }
  }
  throw new MCMCOptionError(
    "infer.MCMC",
    path,
    "structured-clonable data for worker threads (numbers, strings, booleans, arrays, typed arrays, plain objects, tensors)",
    v,
  );
}

/** The inverse of {@link encodeValue}, rebuilding tensors with `ops`. */
export function decodeValue(ops: Ops, v: unknown): unknown {
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x) => decodeValue(ops, x));
  const o = v as Record<string, unknown>;
  const t = o[TENSOR_KEY] as EncodedTensor[typeof TENSOR_KEY] | undefined;
  if (t !== undefined) return ops.fromFlat(t.data, t.shape);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeValue(ops, x)]));
}

/** Frees the tensors inside a decoded value (a worker's arguments after its job). */
export function disposeValue(ops: Ops, v: unknown): void {
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return;
  if (ops.isTensor(v)) ops.dispose(v);
  else if (Array.isArray(v)) v.forEach((x) => disposeValue(ops, x));
  else Object.values(v).forEach((x) => disposeValue(ops, x));
}

/** The job a worker thread runs. */
export interface WorkerInput {
  /** The backend alias (the runtime's name). */
  readonly alias: string;
  /** Where the model (or kernel) is exported. */
  readonly ref: ModuleRef;
  /** The main thread's kernel as data (undefined for kernels that cannot describe themselves). */
  readonly spec: KernelSpec | undefined;
  /** The kernel's name, to check an exported kernel against. */
  readonly kernelName: string;
  /** The encoded model arguments. */
  readonly args: unknown;
  /** The run options (with `initParams` encoded). */
  readonly opts: ChainOptions;
  /** The runtime's validation setting. */
  readonly validateArgs: boolean;
  /** The param store's state, when it has params. */
  readonly paramState: ParamStoreState | undefined;
  /** The run key. */
  readonly runKey: RandomKey;
  /** The chains this worker runs. */
  readonly chains: readonly number[];
  /** Bumped (and notified) after every message, so a blocked main thread wakes up. */
  readonly signal: Int32Array;
  /** Where the worker posts {@link WorkerMessage}s. */
  readonly port: MessagePort;
  /** Whether to post progress. */
  readonly progress: boolean;
}

/** An error as data. */
export interface SerializedError {
  /** The class name (`error.name`). */
  readonly name: string;
  /** The message. */
  readonly message: string;
  /** The worker's stack trace. */
  readonly stack: string | undefined;
  /** Own enumerable fields that can be cloned (`site`, `argument`, ...). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What a worker thread posts. */
export type WorkerMessage =
  | { readonly type: "layout"; readonly layout: string }
  | { readonly type: "start"; readonly chain: number; readonly total: number }
  | { readonly type: "progress"; readonly chain: number; readonly info: IterationInfo }
  | { readonly type: "chain"; readonly chain: number; readonly result: ChainResult }
  | { readonly type: "error"; readonly error: SerializedError };

/** `e` as data (its class name, message, stack and clonable fields). */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e), stack: undefined, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    try {
      fields[k] = structuredClone(v);
    } catch {
      // Not clonable (a tensor, a function): left out.
    }
  }
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/** Error classes by name, for reviving worker errors (registered by the modules that define them). */
const errorClasses = new Map<string, abstract new (...args: never[]) => Error>();

/** Lets errors named `name` from worker threads be revived as instances of `cls`. */
export function registerErrorClass(name: string, cls: abstract new (...args: never[]) => Error): void {
  errorClasses.set(name, cls);
}

/**
 * The error `s` describes: an instance of the registered class of its name
 * (without running its constructor), or a plain `Error`; the worker's stack
 * is appended to the local one.
 */
export function reviveError(s: SerializedError): Error {
  const cls = errorClasses.get(s.name);
  const e = new Error(s.message);
  if (cls !== undefined) Object.setPrototypeOf(e, cls.prototype);
  Object.assign(e, s.fields);
  e.name = s.name;
  if (s.stack !== undefined) e.stack = `${e.stack ?? ""}\n    --- in an MCMC worker thread ---\n${s.stack}`;
  return e;
}
