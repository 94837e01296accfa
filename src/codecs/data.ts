/**
 * Codecs for model data: the io-ts types `pyro.data(codec, value)` decodes
 * external data with (JSON, CSV rows, request bodies) before a model sees
 * it. A tensor field is declared with its shape, and dims may be named:
 *
 * ```ts
 * const Schools = t.type({
 *   J: t.number,
 *   y: codecs.tensor(["J"]),
 *   sigma: codecs.tensor(["J"], { min: 0, minExclusive: true }),
 * });
 * const { J, y, sigma } = pyro.data(Schools, JSON.parse(text)); // y, sigma: Tensor
 * ```
 *
 * A decoded tensor is a {@link HostTensor} (shape + float64 values, no
 * backend yet); `pyro.data` turns every one into a tensor of the current
 * backend. A named dim must have the same size everywhere in one decoded
 * value (`y` and `sigma` above both have `J` elements); a mismatch is a
 * path-precise error: `sigma: expected dim 0 (J) of size 8 as at y, got 7`.
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import { countElements, describeJSON, joinPath, type DecodeProblem } from "./report.js";

/** The error thrown when a data codec is declared wrongly (e.g. a negative dim). */
export class DataCodecError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "DataCodecError";
  }
}

/** A dim of a declared shape: a fixed size, a name (a size shared across the value), or `null` (any size). */
export type DimSpec = number | string | null;

/** Constraints on a tensor's elements. */
export interface ElementOptions {
  /** Elements must be integers (counts, category indices). */
  readonly integer?: boolean;
  /** The smallest allowed element. */
  readonly min?: number;
  /** The largest allowed element. */
  readonly max?: number;
  /** Whether `min` itself is excluded. */
  readonly minExclusive?: boolean;
  /** Whether `max` itself is excluded. */
  readonly maxExclusive?: boolean;
}

/**
 * A decoded tensor before it has a backend: its shape, its row-major float64
 * values, and the declared dims (for named-dim checks).
 */
export class HostTensor {
  /** Makes a host tensor. */
  constructor(
    /** The shape. */
    readonly shape: readonly number[],
    /** The values, row-major. */
    readonly data: Float64Array,
    /** The declared dims (names are checked across one decoded value). */
    readonly dims: readonly DimSpec[],
  ) {}
}

/** "a finite number", "an integer ≥ 0", "a finite number in (0, 1]". */
function elementName(o: ElementOptions): string {
  const kind = o.integer === true ? "an integer" : "a finite number";
  const { min, max } = o;
  if (min !== undefined && max !== undefined) return `${kind} in ${o.minExclusive ? "(" : "["}${min}, ${max}${o.maxExclusive ? ")" : "]"}`;
  if (min !== undefined) return `${kind} ${o.minExclusive ? ">" : "≥"} ${min}`;
  if (max !== undefined) return `${kind} ${o.maxExclusive ? "<" : "≤"} ${max}`;
  return kind;
}

function elementOk(v: unknown, o: ElementOptions): v is number {
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (o.integer === true && !Number.isInteger(v)) return false;
  if (o.min !== undefined && (o.minExclusive ? !(v > o.min) : !(v >= o.min))) return false;
  if (o.max !== undefined && (o.maxExclusive ? !(v < o.max) : !(v <= o.max))) return false;
  return true;
}

/** `[N, 3]`, `[?, 2]`. */
function formatDims(dims: readonly DimSpec[]): string {
  return `[${dims.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/** Walks nested arrays against `dims`, filling `sizes` (inferred per depth) and `out`, pushing errors with paths. */
function walk(
  u: unknown,
  depth: number,
  dims: readonly DimSpec[],
  sizes: (number | undefined)[],
  el: ElementOptions,
  c: t.Context,
  type: t.Decoder<unknown, unknown>,
  out: number[],
  errors: t.Errors,
): void {
  if (errors.length >= 20) return;
  if (depth === dims.length) {
    if (elementOk(u, el)) out.push(u);
    else errors.push({ value: u, context: c, message: `expected ${elementName(el)}, got ${describeJSON(u)}` });
    return;
  }
  const isArrayLike = Array.isArray(u) || (ArrayBuffer.isView(u) && !(u instanceof DataView));
  if (!isArrayLike) {
    errors.push({ value: u, context: c, message: `expected an array (dim ${depth} of shape ${formatDims(dims)}), got ${describeJSON(u)}` });
    return;
  }
  const arr = u as ArrayLike<unknown>;
  const fixed = dims[depth];
  const want = typeof fixed === "number" ? fixed : sizes[depth];
  if (want !== undefined && arr.length !== want) {
    const why = typeof fixed === "number" ? "" : " (like its first sibling)";
    errors.push({ value: u, context: c, message: `expected an array of ${countElements(want)}${why}, got an array of ${countElements(arr.length)}` });
    return;
  }
  sizes[depth] = arr.length;
  for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, dims, sizes, el, t.appendContext(c, String(i), type, arr[i]), type, out, errors);
}

/**
 * The codec of a tensor of shape `dims`: a number for `[]`, nested arrays
 * (or typed arrays) of finite numbers otherwise, each element checked with
 * `options`. Decodes to a {@link HostTensor}; encodes back to nested arrays.
 *
 * @example
 * ```ts
 * codecs.tensor(["N", 3]);                        // an N × 3 matrix, N shared with other ["N", ...] fields
 * codecs.tensor([null], { integer: true, min: 0 }); // counts
 * ```
 */
export function tensor(dims: readonly DimSpec[], options: ElementOptions = {}): t.Type<HostTensor, unknown, unknown> {
  for (const d of dims) {
    if (!(d === null || typeof d === "string" || (typeof d === "number" && Number.isInteger(d) && d >= 0))) {
      throw new DataCodecError(`codecs.tensor: each dim must be a nonnegative integer, a name or null, got ${String(d)}`);
    }
  }
  const name = `a tensor of shape ${formatDims(dims)} of ${elementName(options).replace(/^an? /, "")}s`;
  const type: t.Type<HostTensor, unknown, unknown> = new t.Type<HostTensor, unknown, unknown>(
    name,
    (u): u is HostTensor => u instanceof HostTensor,
    (u, c) => {
      const sizes: (number | undefined)[] = [];
      const out: number[] = [];
      const errors: t.Errors = [];
      walk(u, 0, dims, sizes, options, c, type, out, errors);
      if (errors.length > 0) return t.failures(errors);
      const shape = dims.map((d, i) => (typeof d === "number" ? d : sizes[i] ?? 0));
      return t.success(new HostTensor(shape, Float64Array.from(out), dims));
    },
    (h) => nest(h.data, h.shape),
  );
  return type;
}

/** Row-major `flat` nested to `shape` (a number for `[]`). */
function nest(flat: Float64Array, shape: readonly number[]): unknown {
  let offset = 0;
  const build = (d: number): unknown => (d === shape.length ? flat[offset++] : Array.from({ length: shape[d]! }, () => build(d + 1)));
  return build(0);
}

/** A scalar tensor (a number). */
export function scalar(options: ElementOptions = {}): t.Type<HostTensor, unknown, unknown> {
  return tensor([], options);
}

/** A vector of `n` elements (a name shares the size; `null` or omitted: any size). */
export function vector(n: DimSpec = null, options: ElementOptions = {}): t.Type<HostTensor, unknown, unknown> {
  return tensor([n], options);
}

/** A matrix of `rows × cols`. */
export function matrix(rows: DimSpec = null, cols: DimSpec = null, options: ElementOptions = {}): t.Type<HostTensor, unknown, unknown> {
  return tensor([rows, cols], options);
}

/** One binding of a named dim: its size and where it was first seen. */
interface Binding {
  readonly size: number;
  readonly path: string;
}

/**
 * Checks that every named dim has one size across `value` (a decoded value
 * whose tensors are {@link HostTensor}s), returning a problem per mismatch as
 * `{ path, message }`.
 */
export function namedDimProblems(value: unknown): DecodeProblem[] {
  const bindings = new Map<string, Binding>();
  const problems: DecodeProblem[] = [];
  const visit = (v: unknown, here: string): void => {
    if (v instanceof HostTensor) {
      v.dims.forEach((d, i) => {
        if (typeof d !== "string") return;
        const size = v.shape[i]!;
        const b = bindings.get(d);
        if (b === undefined) bindings.set(d, { size, path: here });
        else if (b.size !== size) {
          problems.push({ path: here, message: `expected dim ${i} (${d}) of size ${b.size} as at ${b.path || "the root"}, got ${size}` });
        }
      });
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${here}[${i}]`));
    else if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) {
      for (const [k, x] of Object.entries(v)) {
        const key = joinPath([k]);
        visit(x, here === "" || key.startsWith("[") ? `${here}${key}` : `${here}.${key}`);
      }
    }
  };
  visit(value, "");
  return problems;
}
