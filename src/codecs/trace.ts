/**
 * A trace's values as JSON, for replay in another run or process: each
 * sample and param site's name, kind, whether it was observed, its JSON-safe
 * inference configuration and its value as `{ shape, values }`.
 *
 * ```json
 * { "format": "pyroapi/trace", "version": 1, "dtype": "float32",
 *   "sites": [ { "name": "loc", "type": "sample", "observed": false, "value": { "shape": [], "values": 0.31 } } ] }
 * ```
 *
 * `traceFromJSON` rebuilds a {@link Trace} whose sites carry the values
 * (no distributions), which `handlers.replay(model, { trace })` accepts;
 * `traceValues` gives the values by name for `condition` / `substitute`.
 * A file that does not decode fails with a path-precise
 * {@link TraceDecodeError} before anything is built.
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import { makeMessage } from "../handlers/message.js";
import { Trace } from "../handlers/trace-record.js";
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import { DecodeError, describeJSON, problemsOf, type DecodeProblem } from "./report.js";
import { flattenNested, nestFlat, TensorJSONC, type TensorJSON } from "./tensor-values.js";

/** The `format` tag of a saved trace. */
export const TRACE_FORMAT = "pyroapi/trace";
/** The version of the saved form this code writes and reads. */
export const TRACE_VERSION = 1;

/** One saved site. */
export interface SavedSite {
  /** The site name. */
  readonly name: string;
  /** The site's kind. */
  readonly type: "sample" | "param";
  /** Whether the value was observed. */
  readonly observed: boolean;
  /** The JSON-safe part of the site's inference configuration. */
  readonly infer?: Readonly<Record<string, string | number | boolean | null>>;
  /** The value. */
  readonly value: TensorJSON;
}

/** A saved trace. */
export interface TraceJSON {
  /** Always {@link TRACE_FORMAT}. */
  readonly format: typeof TRACE_FORMAT;
  /** Always {@link TRACE_VERSION}. */
  readonly version: typeof TRACE_VERSION;
  /** The precision the values were computed in. */
  readonly dtype: "float32" | "float64";
  /** The sites in execution order. */
  readonly sites: readonly SavedSite[];
}

/** The error thrown when a saved trace does not decode. */
export class TraceDecodeError extends DecodeError {
  /** Makes the error for the trace read from `source`. */
  constructor(source: string, problems: readonly DecodeProblem[]) {
    super(source, problems);
    this.name = "TraceDecodeError";
  }
}

const JSONScalar = t.union([t.string, t.number, t.boolean, t.null], "a string, number, boolean or null");

/** The codec of one {@link SavedSite}. */
const SavedSiteC = t.intersection(
  [
    t.type({
      name: t.refinement(t.string, (s) => s.length > 0, "a non-empty string"),
      type: t.keyof({ sample: null, param: null }, '"sample" or "param"'),
      observed: t.boolean,
      value: TensorJSONC,
    }),
    t.partial({ infer: t.record(t.string, JSONScalar, "an object of JSON scalars") }),
  ],
  "a site { name, type, observed, value }",
);

/** Checks that no two sites share a name. */
function validateTrace(u: unknown, c: t.Context): t.Validation<TraceJSON> {
  const base = t.type({
    format: t.literal(TRACE_FORMAT),
    version: t.literal(TRACE_VERSION),
    dtype: t.keyof({ float32: null, float64: null }, '"float32" or "float64"'),
    sites: t.readonlyArray(SavedSiteC, "an array of sites"),
  });
  if (typeof u !== "object" || u === null || Array.isArray(u)) {
    return t.failure(u, c, `expected a saved trace { format, version, dtype, sites }, got ${describeJSON(u)}`);
  }
  const r = base.validate(u, c);
  if (r._tag === "Left") return r;
  const seen = new Set<string>();
  const errors: t.Errors = [];
  r.right.sites.forEach((s, i) => {
    if (seen.has(s.name)) {
      // (The site's entry is typed `unknown`: a path skips keys under an intersection, which are branch indices.)
      const ctx = t.appendContext(t.appendContext(t.appendContext(c, "sites", base, r.right.sites), String(i), t.unknown, s), "name", t.string, s.name);
      errors.push({ value: s.name, context: ctx, message: `expected a site name not used before, got ${JSON.stringify(s.name)} again` });
    }
    seen.add(s.name);
  });
  return errors.length > 0 ? t.failures(errors) : t.success(r.right as TraceJSON);
}

/** The codec of {@link TraceJSON}: every problem reported at its path (`sites[2].value.values[1]`). */
export const TraceJSONC = new t.Type<TraceJSON, TraceJSON, unknown>(
  "a saved trace",
  (u): u is TraceJSON => validateTrace(u, [])._tag === "Right",
  validateTrace,
  t.identity,
);

/** The JSON-safe entries of an inference configuration. */
function jsonSafe(infer: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(infer)) {
    if (v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

/**
 * The values of `trace`'s sample and param sites as JSON.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(traceToJSON(ops, handlers.trace(model).getTrace(data)));
 * ```
 */
export function traceToJSON(ops: Ops, trace: Trace): TraceJSON {
  const sites: SavedSite[] = [];
  for (const node of trace.nodes.values()) {
    if ((node.type !== "sample" && node.type !== "param") || node.value === null) continue;
    const flat = ops.toFlat(node.value);
    const value: TensorJSON = { shape: [...node.value.shape], values: nestFlat(flat, node.value.shape) };
    const infer = jsonSafe(node.infer as Readonly<Record<string, unknown>>);
    sites.push({ name: node.name, type: node.type, observed: node.isObserved, ...(Object.keys(infer).length > 0 ? { infer } : {}), value });
  }
  return { format: TRACE_FORMAT, version: TRACE_VERSION, dtype: ops.dtype, sites };
}

/** Decodes `u` as a saved trace, or throws {@link TraceDecodeError} prefixed with `source`. */
export function decodeTraceJSON(u: unknown, source = "traceFromJSON"): TraceJSON {
  const r = TraceJSONC.decode(u);
  if (r._tag === "Left") throw new TraceDecodeError(source, problemsOf(r.left));
  return r.right;
}

/** The tensor of a saved value. */
function tensorOf(ops: Ops, v: TensorJSON): Tensor {
  return ops.fromFlat(flattenNested(v.values), v.shape);
}

/**
 * A {@link Trace} with the saved sites' values (validated first), for
 * `handlers.replay(model, { trace })`.
 *
 * @example
 * ```ts
 * const trace = traceFromJSON(ops, JSON.parse(text));
 * const replayed = handlers.trace(handlers.replay(model, { trace })).getTrace(data);
 * ```
 */
export function traceFromJSON(ops: Ops, u: unknown, source?: string): Trace {
  const json = decodeTraceJSON(u, source);
  const trace = new Trace();
  for (const s of json.sites) {
    trace.addNode(makeMessage(s.type, s.name, { value: tensorOf(ops, s.value), isObserved: s.observed, infer: { ...(s.infer ?? {}) }, done: true }));
  }
  return trace;
}

/** The saved sample sites' values by name (validated first), for `handlers.condition` or `substitute`. */
export function traceValues(ops: Ops, u: unknown, source?: string): Record<string, Tensor> {
  const json = decodeTraceJSON(u, source);
  return Object.fromEntries(json.sites.filter((s) => s.type === "sample").map((s) => [s.name, tensorOf(ops, s.value)]));
}
