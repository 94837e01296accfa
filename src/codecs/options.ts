/**
 * io-ts codecs for options objects (MCMC, HMC/NUTS, SVI runs, ELBOs,
 * optimizers), and {@link OptionsError}, the path-precise error a bad
 * option gives: `infer.MCMC: option 'numSamples' must be an integer ≥ 1, got number 1.5`.
 *
 * Option codecs are strict: a key the owner does not know is an error too
 * (`option 'numSample' is not an option of infer.MCMC; did you mean 'numSamples'?`),
 * so a typo never silently falls back to a default.
 *
 * @module
 */
import * as t from "io-ts/lib/index.js";
import { describeValue } from "../primitives/validate.js";
import { DecodeError, formatPath } from "./report.js";

/** One bad option: where it is, what was expected and what was given. */
export interface OptionProblem {
  /** The option's path (`numSamples`, `initParams.x`, `betas[1]`; empty for the options object itself). */
  readonly path: string;
  /** What the option must be, in words ("an integer ≥ 1"). */
  readonly expected: string;
  /** The value given. */
  readonly got: unknown;
  /** A complete description replacing "must be <expected>, got <got>" (e.g. for unknown options). */
  readonly message?: string;
}

/** The text of one problem after `option '<path>' `. */
function problemText(p: OptionProblem): string {
  return p.message ?? `must be ${p.expected}, got ${describeValue(p.got)}`;
}

/**
 * The error thrown for a bad options object: every problem with its path.
 *
 * @example
 * ```ts
 * try { decodeOptions("infer.SVI.run", SVIRunOptionsC, { numSteps: 1.5 }); } catch (e) {
 *   if (e instanceof OptionsError) e.optionProblems[0].path; // "numSteps"
 * }
 * ```
 */
export class OptionsError extends DecodeError {
  /** Makes the error for `owner` ("infer.MCMC") with `problems` (at least one). */
  constructor(
    /** Whose options ("infer.MCMC", "optim.Adam"). */
    readonly owner: string,
    /** The problems, in key order. */
    readonly optionProblems: readonly OptionProblem[],
  ) {
    super(
      owner,
      optionProblems.map((p) => ({ path: p.path, message: problemText(p) })),
    );
    const lines = optionProblems.map((p) => (p.path === "" ? `options ${problemText(p)}` : `option '${p.path}' ${problemText(p)}`));
    this.message = lines.length === 1 ? `${owner}: ${lines[0]}` : `${owner}:${lines.map((l) => `\n  ${l}`).join("")}`;
    this.name = "OptionsError";
  }
}

/** A codec of one option value, named by what it expects ("an integer ≥ 1"). */
export type OptionCodec<A> = t.Type<A, A, unknown>;

/** A codec accepting the values `ok` accepts, named `expected`. */
export function optionValue<A>(expected: string, ok: (u: unknown) => u is A): OptionCodec<A> {
  return new t.Type<A, A, unknown>(expected, ok, (u, c) => (ok(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

/** Bounds of {@link finiteNumber}. */
export interface NumberBounds {
  /** The lower bound. */
  readonly min?: number;
  /** The upper bound. */
  readonly max?: number;
  /** Whether `min` itself is excluded (default false). */
  readonly minExclusive?: boolean;
  /** Whether `max` itself is excluded (default false). */
  readonly maxExclusive?: boolean;
}

/** "a finite number > 0", "a number in (0, 1)", ... */
function numberName(kind: string, b: NumberBounds): string {
  const { min, max } = b;
  if (min !== undefined && max !== undefined) {
    return `${kind} in ${b.minExclusive ? "(" : "["}${min}, ${max}${b.maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return `${kind} ${b.minExclusive ? ">" : "≥"} ${min}`;
  if (max !== undefined) return `${kind} ${b.maxExclusive ? "<" : "≤"} ${max}`;
  return kind;
}

function inBounds(v: number, b: NumberBounds): boolean {
  if (b.min !== undefined && (b.minExclusive ? !(v > b.min) : !(v >= b.min))) return false;
  if (b.max !== undefined && (b.maxExclusive ? !(v < b.max) : !(v <= b.max))) return false;
  return true;
}

/**
 * A finite number within `bounds`.
 *
 * @example
 * ```ts
 * finiteNumber({ min: 0, minExclusive: true }).name; // "a finite number > 0"
 * ```
 */
export function finiteNumber(bounds: NumberBounds = {}): OptionCodec<number> {
  return optionValue(numberName("a finite number", bounds), (u): u is number => typeof u === "number" && Number.isFinite(u) && inBounds(u, bounds));
}

/** An integer in `[min, max]`. */
export function integer(min: number, max?: number): OptionCodec<number> {
  const bounds: NumberBounds = max === undefined ? { min } : { min, max };
  return optionValue(numberName("an integer", bounds), (u): u is number => typeof u === "number" && Number.isInteger(u) && inBounds(u, bounds));
}

/** A boolean. */
export const BooleanOption: OptionCodec<boolean> = optionValue("a boolean", (u): u is boolean => typeof u === "boolean");

/** A function (callbacks, init strategies). */
export const FunctionOption: OptionCodec<(...args: never[]) => unknown> = optionValue(
  "a function",
  (u): u is (...args: never[]) => unknown => typeof u === "function",
);

/** One of the given strings. */
export function oneOf<L extends string>(...values: readonly L[]): OptionCodec<L> {
  const name = values.map((v) => JSON.stringify(v)).join(" or ");
  return optionValue(name, (u): u is L => typeof u === "string" && (values as readonly string[]).includes(u));
}

/** An `AbortSignal`. */
export const AbortSignalOption: OptionCodec<AbortSignal> = optionValue(
  "an AbortSignal",
  (u): u is AbortSignal => typeof AbortSignal !== "undefined" && u instanceof AbortSignal,
);

/** The Levenshtein distance of two short strings (for "did you mean"). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, if it is close (at most a third of its letters differ). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** The codecs of an options object's fields. */
export type OptionProps = Readonly<Record<string, t.Mixed>>;

/** The decoded type of options with `required` and `optional` fields. */
export type OptionsOf<R extends OptionProps, O extends OptionProps> = { readonly [K in keyof R]: t.TypeOf<R[K]> } & {
  readonly [K in keyof O]?: t.TypeOf<O[K]>;
};

/**
 * A strict options codec for `owner`: an object whose `required` fields are
 * present and valid, whose `optional` fields are missing, `undefined` or
 * valid, and which has no other keys.
 *
 * @example
 * ```ts
 * const C = optionsCodec("infer.SVI.run", { numSteps: integer(1) }, { signal: AbortSignalOption });
 * decodeOptions("infer.SVI.run", C, { numSteps: 10 });
 * ```
 */
export function optionsCodec<R extends OptionProps, O extends OptionProps>(
  owner: string,
  required: R,
  optional: O,
): t.Type<OptionsOf<R, O>, OptionsOf<R, O>, unknown> {
  const known = [...Object.keys(required), ...Object.keys(optional)];
  const validate = (u: unknown, c: t.Context): t.Validation<OptionsOf<R, O>> => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) {
      return t.failure(u, c, `must be an options object, got ${describeValue(u)}`);
    }
    const o = u as Record<string, unknown>;
    const errors: t.Errors = [];
    const visit = (key: string, codec: t.Mixed, isRequired: boolean): void => {
      const v = o[key];
      if (v === undefined && !isRequired) return;
      const r = codec.validate(v, t.appendContext(c, key, codec, v));
      if (r._tag === "Left") errors.push(...r.left);
    };
    for (const [k, codec] of Object.entries(required)) visit(k, codec, true);
    for (const [k, codec] of Object.entries(optional)) visit(k, codec, false);
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const near = closestKey(k, known);
      const hint = near === undefined ? "" : `; did you mean '${near}'?`;
      errors.push({
        value: o[k],
        context: t.appendContext(c, k, t.never, o[k]),
        message: `is not an option of ${owner}${hint} (options: ${known.join(", ")})`,
      });
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as OptionsOf<R, O>);
  };
  return new t.Type<OptionsOf<R, O>, OptionsOf<R, O>, unknown>(
    `options of ${owner}`,
    (u): u is OptionsOf<R, O> => validate(u, [])._tag === "Right",
    validate,
    t.identity,
  );
}

/** The problems of decoding `u` with `codec` (empty when it decodes). */
export function optionProblems(codec: t.Decoder<unknown, unknown>, u: unknown): OptionProblem[] {
  const r = codec.decode(u);
  if (r._tag === "Right") return [];
  return r.left.map((e) => {
    const last = e.context[e.context.length - 1];
    const path = formatPath(e.context);
    const expected = last?.type.name ?? "valid";
    return e.message === undefined ? { path, expected, got: e.value } : { path, expected, got: e.value, message: e.message };
  });
}

/**
 * Decodes `u` with `codec` or throws {@link OptionsError} listing every
 * problem with its path.
 *
 * @example
 * ```ts
 * decodeOptions("optim.Adam", AdamOptionsC, { lr: -1 });
 * // OptionsError: optim.Adam: option 'lr' must be a finite number > 0, got number -1
 * ```
 */
export function decodeOptions<A>(owner: string, codec: t.Decoder<unknown, A>, u: unknown): A {
  const r = codec.decode(u);
  if (r._tag === "Right") return r.right;
  throw new OptionsError(owner, optionProblems(codec, u));
}
