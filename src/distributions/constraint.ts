/**
 * The constraint contract: a set of values, checkable elementwise.
 *
 * Constraints are plain data (bounds are numbers or tensors) and compute with
 * the ops passed to `check`. `transformTo` / `bijectTo` (in `transforms/`)
 * map each constraint to a transform from unconstrained space.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor, TensorLike } from "../tensor/types.js";

/** A set of values, such as `positive` or `interval(0, 1)`. */
export interface Constraint {
  /** The constraint's name, as Pyro prints it: "positive", "interval(0, 1)". */
  readonly name: string;
  /** How many rightmost dims one checked element spans (1 for `simplex`). */
  readonly eventDim: number;
  /** Whether the set is discrete (integers, booleans). */
  readonly isDiscrete: boolean;
  /** A mask of shape `value.shape[:-eventDim]`: which elements lie in the set. */
  check(ops: Ops, value: TensorLike): Tensor;
  /**
   * Whether one plain number lies in the set, when the constraint can tell
   * without tensors (scalar constraints with number bounds); `undefined`
   * otherwise. A fast path for validating number-valued parameters.
   */
  checkNumber?(x: number): boolean | undefined;
  /**
   * The index of the first of `values` outside the set (-1 if none), when
   * the constraint can tell from plain numbers (scalar constraints with
   * number bounds); `undefined` otherwise. Validation's one-pass path on
   * eager backends (see `Ops.peekFlat`), where `check` builds a mask.
   */
  firstOutside?(values: Float32Array | Float64Array): number | undefined;
  /** The condition in words for error messages: "> 0", "in [0, 1]". */
  readonly description: string;
}

/** The shared base of the built-in constraints: name, description and `toString`. */
export abstract class BaseConstraint implements Constraint {
  /** Makes a constraint with its printed name and description. */
  constructor(
    /** The constraint's name, as printed in messages. */
    readonly name: string,
    /** The condition in words. */
    readonly description: string,
    /** How many rightmost dims one checked element spans. */
    readonly eventDim = 0,
    /** Whether the set is discrete. */
    readonly isDiscrete = false,
  ) {}

  /** A mask of which elements lie in the set. */
  abstract check(ops: Ops, value: TensorLike): Tensor;

  /** The name. */
  toString(): string {
    return this.name;
  }
}
