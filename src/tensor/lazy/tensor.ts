/**
 * `LazyTensor`: a term with named dimensions, the tensor of the `lazy` ops.
 *
 * A term is a node of an expression graph. It has
 * - a positional `shape` (what `ops.shape` and generic code see);
 * - named `inputs`: free index dimensions (funsor's `inputs`), each a name
 *   and a size — an enumerated variable or a plate — that broadcast by NAME,
 *   not by position. Most tensors have none;
 * - an operation `op` on argument terms `args` with static attributes `attrs`
 *   (`"const"` for data, `"var"` for a free real-valued variable, `"input"`
 *   for a marked graph input, or the name of an {@link Ops} member applied to
 *   the args' data);
 * - a `value` once it is known: the data as a tensor of the base ops (the
 *   ops that evaluate terms, e.g. float64 ndarray), of shape
 *   `[...input sizes, ...shape]` — named inputs lead, in order.
 *
 * Which of these a new term gets depends on the interpretation in force
 * (see `env.ts`): eager terms are constants (a value, no args kept), lazy
 * terms keep op and args but no value, traced terms keep both.
 *
 * @module
 */
import type { Shape, Tensor } from "../types.js";

/** One named input of a term: a name and the number of values it ranges over. */
export interface NamedDim {
  /** The dimension's name (an enumerated site, a plate, a particle index). */
  readonly name: string;
  /** Its size. */
  readonly size: number;
}

/** The error thrown when lazy terms are used in a way their interpretation cannot evaluate. */
export class LazyTensorError extends Error {
  /** Makes the error for operation `op` with `message`. */
  constructor(op: string, message: string) {
    super(`lazy.${op}: ${message}`);
    this.name = "LazyTensorError";
  }
}

const NO_DIMS: readonly NamedDim[] = Object.freeze([]);
const NO_ARGS: readonly LazyTensor[] = Object.freeze([]);
const NO_ATTRS: readonly unknown[] = Object.freeze([]);

/**
 * A term with named dimensions (see the module doc). Made only by the lazy
 * ops and the named-term API, never with `new` by users.
 *
 * @example
 * ```ts
 * const { ops } = makeLazyOps(ndarrayOps);
 * const x = ops.tensor([1, 2, 3]) as LazyTensor; // a constant
 * x.op;     // "const"
 * x.shape;  // [3]
 * ```
 */
export class LazyTensor implements Tensor {
  /** @internal Use the lazy ops or the named-term API. */
  constructor(
    /** `"const"`, `"var"`, `"input"`, a macro (`"contract"`, `"integrate"`) or an {@link Ops} member name. */
    readonly op: string,
    /** The argument terms (empty for constants). */
    readonly args: readonly LazyTensor[],
    /** Static, non-tensor arguments of `op` (axes, shapes, kernels, names). */
    readonly attrs: readonly unknown[],
    /** The positional shape. */
    readonly shape: Shape,
    /** The named inputs, which lead the data's axes. */
    readonly inputs: readonly NamedDim[],
    /** The data (a base-ops tensor of shape `[...input sizes, ...shape]`), once known. */
    readonly value: Tensor | undefined,
  ) {}

  /** A short description: `LazyTensor(add)[3]{z: 2}`. */
  toString(): string {
    const named = this.inputs.length === 0 ? "" : `{${this.inputs.map((d) => `${d.name}: ${d.size}`).join(", ")}}`;
    return `LazyTensor(${this.op})[${this.shape.join(", ")}]${named}`;
  }
}

/** A constant term holding `value` (a base tensor of shape `[...input sizes, ...shape]`). */
export function constTerm(value: Tensor, inputs: readonly NamedDim[] = NO_DIMS): LazyTensor {
  const shape = inputs.length === 0 ? value.shape : value.shape.slice(inputs.length);
  return new LazyTensor("const", NO_ARGS, NO_ATTRS, shape, inputs.length === 0 ? NO_DIMS : inputs, value);
}

/** A term of `op` on `args`; `value` when it is known. */
export function opTerm(
  op: string,
  args: readonly LazyTensor[],
  attrs: readonly unknown[],
  shape: Shape,
  inputs: readonly NamedDim[],
  value: Tensor | undefined,
): LazyTensor {
  return new LazyTensor(op, args, attrs.length === 0 ? NO_ATTRS : attrs, shape, inputs.length === 0 ? NO_DIMS : inputs, value);
}

/** The data shape of a term: its input sizes, then its positional shape. */
export function dataShape(t: LazyTensor): number[] {
  return t.inputs.length === 0 ? t.shape.slice() : [...t.inputs.map((d) => d.size), ...t.shape];
}

/** Whether a term is a known constant with no named inputs (a plain value). */
export function isPlain(t: LazyTensor): boolean {
  return t.value !== undefined && t.inputs.length === 0;
}

/** The empty list of named inputs. */
export const NO_INPUTS: readonly NamedDim[] = NO_DIMS;
