/**
 * Path-precise reports of io-ts decode errors.
 *
 * io-ts records, for each failure, the chain of keys from the root to the
 * offending value. This module renders that chain as a JavaScript-like path
 * (`params.scale.unconstrained[1]`) and the failure as
 * `expected <what>, got <value>`, and defines {@link DecodeError}, the error
 * every codec-validated boundary throws.
 *
 * @module
 */
import type * as t from "io-ts/lib/index.js";

/** One decode failure: where (a path from the root) and what went wrong. */
export interface DecodeProblem {
  /** The path of the offending value, e.g. `params.scale.unconstrained[2]` (empty for the root). */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/** `"1 element"`, `"3 elements"`. */
export function countElements(n: number): string {
  return `${n} element${n === 1 ? "" : "s"}`;
}

/** Tags of io-ts combinators whose context keys are branch indices, not data keys. */
const BRANCHING = new Set(["UnionType", "IntersectionType"]);

/** `.key` for identifier-like keys, `["a.b"]` otherwise. */
function propertyAccess(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * A path from keys, formatted as {@link formatPath} does.
 *
 * @example
 * ```ts
 * joinPath(["params", "a.b", "shape"]); // 'params["a.b"].shape'
 * ```
 */
export function joinPath(keys: readonly string[]): string {
  const path = keys.map(propertyAccess).join("");
  return path.startsWith(".") ? path.slice(1) : path;
}

/**
 * The path of a decode context, skipping the root and the branch indices of
 * unions and intersections; array elements print as `[i]`.
 *
 * @example
 * ```ts
 * formatPath(error.context); // "params.scale.unconstrained[1]"
 * ```
 */
export function formatPath(context: t.Context): string {
  let path = "";
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!;
    const tag = (parent.type as { _tag?: string })._tag;
    if (tag !== undefined && BRANCHING.has(tag)) continue;
    const key = context[i]!.key;
    path += Array.isArray(parent.actual) ? `[${key}]` : propertyAccess(key);
  }
  return path.startsWith(".") ? path.slice(1) : path;
}

/**
 * A short description of a value for messages: its JSON when short (`"x"`,
 * `[1,2]`), otherwise its kind and size (`an array of 3000 elements`).
 *
 * @example
 * ```ts
 * describeJSON("x");      // "\"x\""
 * describeJSON(undefined); // "undefined (missing)"
 * ```
 */
export function describeJSON(u: unknown): string {
  if (u === undefined) return "undefined (missing)";
  if (typeof u === "number" && !Number.isFinite(u)) return String(u);
  if (typeof u === "function") return "a function";
  let json: string | undefined;
  try {
    json = JSON.stringify(u);
  } catch {
    json = undefined;
  }
  if (json !== undefined && json.length <= 40) return json;
  if (Array.isArray(u)) return `an array of ${countElements(u.length)}`;
  if (typeof u === "string") return `a string of ${u.length} characters`;
  return "an object";
}

/**
 * The problems of a failed decode, one per io-ts error, in order. A failure
 * without a custom message reads `expected <type name>, got <value>`.
 */
export function problemsOf(errors: t.Errors): DecodeProblem[] {
  return errors.map((e) => {
    const last = e.context[e.context.length - 1];
    const message = e.message ?? `expected ${last?.type.name ?? "a valid value"}, got ${describeJSON(e.value)}`;
    return { path: formatPath(e.context), message };
  });
}

/** How many problems a {@link DecodeError} message lists. */
const LISTED = 5;

/**
 * The error thrown when external data (a file, a JSON value) does not decode:
 * the message lists each problem as `path: expected ..., got ...`.
 *
 * @example
 * ```ts
 * try { store.load("params.json"); } catch (e) {
 *   if (e instanceof DecodeError) console.log(e.problems[0].path);
 * }
 * ```
 */
export class DecodeError extends Error {
  /** Makes the error for data read from `source` (e.g. `load("params.json")`). */
  constructor(
    /** Where the data came from, as the message's prefix. */
    readonly source: string,
    /** Every problem found. */
    readonly problems: readonly DecodeProblem[],
    options?: ErrorOptions,
  ) {
    const lines = problems.slice(0, LISTED).map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`));
    if (problems.length > LISTED) lines.push(`... and ${problems.length - LISTED} more`);
    super(lines.length === 1 ? `${source}: ${lines[0]}` : `${source}:${lines.map((l) => `\n  ${l}`).join("")}`, options);
    this.name = "DecodeError";
  }
}
