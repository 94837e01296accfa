/**
 * The saved form of a param store (Pyro's `get_state` / `save`), and its
 * io-ts codec.
 *
 * ```json
 * {
 *   "format": "pyroapi/param-store", "version": 1, "dtype": "float32",
 *   "names": ["loc", "scale"],
 *   "params": {
 *     "loc":   { "constraint": { "name": "real" }, "shape": [2], "unconstrained": [0.5, -1] },
 *     "scale": { "constraint": { "name": "positive" }, "eventDim": 0, "shape": [], "unconstrained": 0.3 }
 *   }
 * }
 * ```
 *
 * Values are the unconstrained tensors (what the optimizer updates), so a
 * round trip is exact; `dtype` records the precision they were computed in.
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import { constraintCodecs, type ConstraintCodecRegistry, type ConstraintJSON } from "./constraint.js";
import { DecodeError, describeJSON, problemsOf, type DecodeProblem } from "./report.js";
import { NonNegativeInteger, ShapeC, validateNested, nestedType, type NestedNumbers } from "./tensor-values.js";

/** The `format` tag of a saved param store. */
export const PARAM_STORE_FORMAT = "pyroapi/param-store";
/** The version of the saved form this code writes and reads. */
export const PARAM_STORE_VERSION = 1;

/** One saved param. */
export interface SavedParam {
  /** The param's constraint. */
  readonly constraint: ConstraintJSON;
  /** The param's event dims, when given (`pyro.param(..., { eventDim })`). */
  readonly eventDim?: number;
  /** The shape of the unconstrained tensor. */
  readonly shape: readonly number[];
  /** The unconstrained values, nested to `shape`. */
  readonly unconstrained: NestedNumbers;
}

/** A saved param store. */
export interface ParamStoreState {
  /** Always {@link PARAM_STORE_FORMAT}. */
  readonly format: typeof PARAM_STORE_FORMAT;
  /** Always {@link PARAM_STORE_VERSION}. */
  readonly version: typeof PARAM_STORE_VERSION;
  /** The precision the values were computed in. */
  readonly dtype: "float32" | "float64";
  /** The param names in creation order (optional on input: the order of `params` then). */
  readonly names: readonly string[];
  /** The params by name. */
  readonly params: Readonly<Record<string, SavedParam>>;
}

/** The error thrown when a saved param store does not decode or does not fit the backend. */
export class ParamStoreDecodeError extends DecodeError {
  /** Makes the error for the state read from `source`. */
  constructor(source: string, problems: readonly DecodeProblem[], options?: ErrorOptions) {
    super(source, problems, options);
    this.name = "ParamStoreDecodeError";
  }
}

/** Whether `u` is a plain object (not null, not an array). */
function isObject(u: unknown): u is Record<string, unknown> {
  return typeof u === "object" && u !== null && !Array.isArray(u);
}

/** Validates field `key` of `o` with `codec`, pushing failures onto `errors`. */
function field<A>(o: Record<string, unknown>, key: string, codec: t.Decoder<unknown, A>, c: t.Context, errors: t.Errors): A | undefined {
  const r = codec.validate(o[key], t.appendContext(c, key, codec, o[key]));
  if (r._tag === "Left") {
    errors.push(...r.left);
    return undefined;
  }
  return r.right;
}

/** The codec of one {@link SavedParam}: the values are checked against `shape`. */
function savedParamCodec(registry: ConstraintCodecRegistry): t.Type<SavedParam, SavedParam, unknown> {
  const validate = (u: unknown, c: t.Context): t.Validation<SavedParam> => {
    if (!isObject(u)) return t.failure(u, c, `expected a param { constraint, shape, unconstrained }, got ${describeJSON(u)}`);
    const errors: t.Errors = [];
    const constraint = field(u, "constraint", registry.codec, c, errors);
    const eventDim = u.eventDim === undefined ? undefined : field(u, "eventDim", NonNegativeInteger, c, errors);
    const shape = field(u, "shape", ShapeC, c, errors);
    let unconstrained: NestedNumbers | undefined;
    if (shape !== undefined) {
      const r = validateNested(u.unconstrained, shape, t.appendContext(c, "unconstrained", nestedType(shape), u.unconstrained));
      if (r._tag === "Left") errors.push(...r.left);
      else unconstrained = r.right;
    }
    if (errors.length > 0) return t.failures(errors);
    const saved: SavedParam = { constraint: constraint!, shape: shape!, unconstrained: unconstrained! };
    return t.success(eventDim === undefined ? saved : { ...saved, eventDim });
  };
  return new t.Type<SavedParam, SavedParam, unknown>(
    "a param { constraint, shape, unconstrained }",
    (u): u is SavedParam => validate(u, [])._tag === "Right",
    validate,
    t.identity,
  );
}

/** Checks that `names` lists each key of `params` exactly once. */
function checkNames(names: readonly string[], params: Readonly<Record<string, unknown>>, c: t.Context, errors: t.Errors): void {
  const keys = new Set(Object.keys(params));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const n of names) {
    if (seen.has(n)) problems.push(`${JSON.stringify(n)} is listed twice`);
    else if (!keys.has(n)) problems.push(`${JSON.stringify(n)} is not in params`);
    seen.add(n);
  }
  for (const k of keys) if (!seen.has(k)) problems.push(`param ${JSON.stringify(k)} is missing`);
  if (problems.length > 0) {
    const ctx = t.appendContext(c, "names", t.readonlyArray(t.string), names);
    errors.push({ value: names, context: ctx, message: `expected each name of params exactly once: ${problems.join(", ")}` });
  }
}

/**
 * The io-ts codec of {@link ParamStoreState}, rebuilding constraints with
 * `registry`. Every problem is reported at its path, e.g.
 * `params.scale.unconstrained: expected a number array of 3 elements, got "x"`.
 */
export function paramStoreStateCodec(registry: ConstraintCodecRegistry = constraintCodecs): t.Type<ParamStoreState, ParamStoreState, unknown> {
  const Params = t.record(t.string, savedParamCodec(registry), "an object of params by name");
  const Format = t.literal(PARAM_STORE_FORMAT);
  const Version = t.literal(PARAM_STORE_VERSION);
  const DType = t.keyof({ float32: null, float64: null }, '"float32" or "float64"');
  const Names = t.readonlyArray(t.string, "an array of strings");
  const validate = (u: unknown, c: t.Context): t.Validation<ParamStoreState> => {
    if (!isObject(u)) return t.failure(u, c, `expected a saved param store { format, version, dtype, params }, got ${describeJSON(u)}`);
    const errors: t.Errors = [];
    const format = field(u, "format", Format, c, errors);
    // A different format or version: the rest would only add noise.
    if (format === undefined) return t.failures(errors);
    const version = field(u, "version", Version, c, errors);
    if (version === undefined) return t.failures(errors);
    const dtype = field(u, "dtype", DType, c, errors);
    const params = field(u, "params", Params, c, errors);
    const names = u.names === undefined ? undefined : field(u, "names", Names, c, errors);
    if (names !== undefined && params !== undefined) checkNames(names, params, c, errors);
    if (errors.length > 0) return t.failures(errors);
    return t.success({ format, version, dtype: dtype!, names: names ?? Object.keys(params!), params: params! });
  };
  return new t.Type<ParamStoreState, ParamStoreState, unknown>(
    "a saved param store",
    (u): u is ParamStoreState => validate(u, [])._tag === "Right",
    validate,
    t.identity,
  );
}

/**
 * The codec of saved param stores with the default constraint registry.
 *
 * @example
 * ```ts
 * const r = ParamStoreStateC.decode(JSON.parse(text)); // Either<Errors, ParamStoreState>
 * ```
 */
export const ParamStoreStateC: t.Type<ParamStoreState, ParamStoreState, unknown> = paramStoreStateCodec();

/**
 * Decodes `u` as a saved param store, or throws {@link ParamStoreDecodeError}
 * prefixed with `source`.
 */
export function decodeParamStoreState(u: unknown, source: string, codec = ParamStoreStateC): ParamStoreState {
  const r = codec.decode(u);
  if (r._tag === "Left") throw new ParamStoreDecodeError(source, problemsOf(r.left));
  return r.right;
}
