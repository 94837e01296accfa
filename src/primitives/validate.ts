/**
 * Argument checks shared by the primitives.
 *
 * @module
 */

/** A primitive was called with an argument of the wrong kind. */
export class PrimitiveArgumentError extends Error {
  /** Makes the error for `primitive` at site `site`, argument `argument`. */
  constructor(
    /** The primitive ("pyro.sample"). */
    readonly primitive: string,
    /** The site name. */
    readonly site: string,
    /** The argument. */
    readonly argument: string,
    /** What was expected, in words. */
    readonly expected: string,
    /** What was given. */
    readonly got: unknown,
  ) {
    super(`${primitive}("${site}"): ${argument} must be ${expected}, got ${describeValue(got)}`);
    this.name = "PrimitiveArgumentError";
  }
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  if (typeof value === "string") return `string "${value}"`;
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const ctor = (value as object).constructor?.name;
  return ctor !== undefined && ctor !== "Object" ? `a ${ctor}` : "an object";
}

/** Throws unless `name` is a non-empty string. */
export function checkSiteName(primitive: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new PrimitiveArgumentError(primitive, String(name), "name", "a non-empty string", name);
  }
}

/** Throws unless `value` is a non-negative integer. */
export function checkCount(primitive: string, site: string, argument: string, value: unknown, min = 0): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new PrimitiveArgumentError(primitive, site, argument, `an integer ≥ ${min}`, value);
  }
  return value;
}
