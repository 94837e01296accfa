/**
 * Tensors as JSON: a shape and the values as nested arrays, validated
 * against each other element by element.
 *
 * @module
 */
import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts/lib/index.js";
import { countElements, describeJSON } from "./report.js";

/** Nested arrays of numbers (a number for a scalar), as JSON holds a tensor's values. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** A tensor as JSON: its shape and its values nested to that shape. */
export interface TensorJSON {
  /** The size of each dimension. */
  readonly shape: readonly number[];
  /** The values, nested `shape.length` deep (a plain number for shape `[]`). */
  readonly values: NestedNumbers;
}

/** A nonnegative integer. */
export const NonNegativeInteger = new t.Type<number, number, unknown>(
  "a nonnegative integer",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0,
  (u, c) => (typeof u === "number" && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A shape: an array of nonnegative integers. */
export const ShapeC = t.readonlyArray(NonNegativeInteger, "an array of nonnegative integers");

/** How the values at a depth with `rest` dims left should look. */
function expectation(rest: readonly number[]): string {
  if (rest.length === 0) return "a finite number";
  if (rest.length === 1) return `a number array of ${countElements(rest[0]!)}`;
  return `a nested number array of shape [${rest.join(", ")}]`;
}

/** Appends to `errors` every mismatch between `u` and `rest` (at most about 20). */
function checkNested(u: unknown, rest: readonly number[], c: t.Context, type: t.Decoder<unknown, unknown>, errors: t.Errors): void {
  if (rest.length === 0) {
    if (typeof u !== "number" || !Number.isFinite(u)) {
      errors.push({ value: u, context: c, message: `expected a finite number, got ${describeJSON(u)}` });
    }
    return;
  }
  if (!Array.isArray(u) || u.length !== rest[0]) {
    const got = Array.isArray(u) ? `an array of ${countElements(u.length)}` : describeJSON(u);
    errors.push({ value: u, context: c, message: `expected ${expectation(rest)}, got ${got}` });
    return;
  }
  const inner = rest.slice(1);
  for (let i = 0; i < u.length && errors.length < 20; i++) {
    checkNested(u[i], inner, t.appendContext(c, String(i), type, u[i]), type, errors);
  }
}

/**
 * Validates `u` as values nested to `shape` (every leaf a finite number),
 * reporting each mismatch at its own path (`...values[1][0]`).
 */
export function validateNested(u: unknown, shape: readonly number[], c: t.Context): t.Validation<NestedNumbers> {
  const type = nestedType(shape);
  const errors: t.Errors = [];
  checkNested(u, shape, c, type, errors);
  return errors.length === 0 ? t.success(u as NestedNumbers) : t.failures(errors);
}

/** The io-ts type of values nested to `shape`. */
export function nestedType(shape: readonly number[]): t.Type<NestedNumbers, NestedNumbers, unknown> {
  return new t.Type<NestedNumbers, NestedNumbers, unknown>(
    expectation(shape),
    (u): u is NestedNumbers => {
      const errors: t.Errors = [];
      checkNested(u, shape, [], t.unknown, errors);
      return errors.length === 0;
    },
    (u, c) => validateNested(u, shape, c),
    t.identity,
  );
}

/** Validates `{ shape, values }` with the values checked against the shape. */
function validateTensorJSON(u: unknown, c: t.Context): t.Validation<TensorJSON> {
  if (typeof u !== "object" || u === null || Array.isArray(u)) {
    return t.failure(u, c, `expected a number or an object { shape, values }, got ${describeJSON(u)}`);
  }
  const o = u as Record<string, unknown>;
  const shape = ShapeC.validate(o.shape, t.appendContext(c, "shape", ShapeC, o.shape));
  if (isLeft(shape)) return shape;
  const values = validateNested(o.values, shape.right, t.appendContext(c, "values", nestedType(shape.right), o.values));
  if (isLeft(values)) return values;
  return t.success({ shape: shape.right, values: values.right });
}

/** The codec of {@link TensorJSON}. */
export const TensorJSONC = new t.Type<TensorJSON, TensorJSON, unknown>(
  "a tensor { shape, values }",
  (u): u is TensorJSON => validateTensorJSON(u, [])._tag === "Right",
  validateTensorJSON,
  t.identity,
);

/** The values of nested arrays in row-major order. */
export function flattenNested(values: NestedNumbers): number[] {
  if (typeof values === "number") return [values];
  const out: number[] = [];
  const walk = (v: NestedNumbers): void => {
    if (typeof v === "number") out.push(v);
    else for (const x of v) walk(x);
  };
  walk(values);
  return out;
}

/**
 * Row-major `flat` values nested to `shape`.
 *
 * @example
 * ```ts
 * nestFlat([1, 2, 3, 4, 5, 6], [2, 3]); // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export function nestFlat(flat: ArrayLike<number>, shape: readonly number[]): NestedNumbers {
  let offset = 0;
  const build = (d: number): NestedNumbers => {
    if (d === shape.length) return Number(flat[offset++]);
    return Array.from({ length: shape[d]! }, () => build(d + 1));
  };
  return build(0);
}
