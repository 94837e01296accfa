/**
 * Vector constraints of Pyro (event dim 1): `orderedVector`,
 * `positiveOrderedVector`, `oneHot` and `multinomial(totalCount)`.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import { BaseConstraint } from "./constraint.js";
import type { Bound } from "./constraints.js";
import { asTensor } from "./util.js";

/** `x[..., 1:] > x[..., :-1]` for every entry, and no NaN (a mask over the batch dims). */
function isIncreasing(ops: Ops, x: Tensor): Tensor {
  const r = x.shape.length;
  const n = x.shape[r - 1]!;
  const notNaN = ops.all(ops.eq(x, x), -1);
  if (n <= 1) return notNaN;
  const begin = new Array<number>(r).fill(0);
  const size = x.shape.map((d, i) => (i === r - 1 ? n - 1 : d));
  const head = ops.slice(x, begin, size);
  const tail = ops.slice(x, begin.map((_, i) => (i === r - 1 ? 1 : 0)), size);
  return ops.logicalAnd(notNaN, ops.all(ops.gt(tail, head), -1));
}

/** Real vectors (last dim) in strictly increasing order. */
export class OrderedVector extends BaseConstraint {
  /** Makes `orderedVector`. */
  constructor() {
    super("orderedVector", "real vectors in strictly increasing order along the last dim", 1);
  }
  /** Strictly increasing along the last dim. */
  check(ops: Ops, value: TensorLike): Tensor {
    return isIncreasing(ops, asTensor(ops, value));
  }
}

/** Positive real vectors (last dim) in strictly increasing order. */
export class PositiveOrderedVector extends BaseConstraint {
  /** Makes `positiveOrderedVector`. */
  constructor() {
    super("positiveOrderedVector", "positive vectors in strictly increasing order along the last dim", 1);
  }
  /** Strictly increasing and positive along the last dim. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    return ops.logicalAnd(isIncreasing(ops, x), ops.all(ops.gt(x, 0), -1));
  }
}

/** One-hot vectors: entries 0 or 1 with exactly one 1 along the last dim. */
export class OneHot extends BaseConstraint {
  /** Makes `oneHot`. */
  constructor() {
    super("oneHot", "one-hot vectors (0/1 entries, exactly one 1) along the last dim", 1, true);
  }
  /** 0/1 entries summing to 1. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const binary = ops.all(ops.logicalOr(ops.eq(x, 0), ops.eq(x, 1)), -1);
    return ops.logicalAnd(binary, ops.eq(ops.sum(x, -1), 1));
  }
}

/**
 * Count vectors of a multinomial: nonnegative whole numbers along the last
 * dim summing to `totalCount`. (torch's `multinomial(n)` only checks
 * `Σ x <= n`; a count vector of a `Multinomial(n)` sums to exactly `n`.)
 */
export class MultinomialConstraint extends BaseConstraint {
  /** Makes `multinomial(totalCount)`. */
  constructor(
    /** The total count every vector sums to. */
    readonly totalCount: Bound,
  ) {
    super(`multinomial(${typeof totalCount === "number" ? totalCount : "tensor"})`,
      `nonnegative integer vectors summing to ${typeof totalCount === "number" ? totalCount : "totalCount"} along the last dim`,
      1, true);
  }
  /** Whole, nonnegative entries whose sum is `totalCount`. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const whole = ops.all(ops.logicalAnd(ops.eq(ops.floor(x), x), ops.ge(x, 0)), -1);
    return ops.logicalAnd(whole, ops.eq(ops.sum(x, -1), this.totalCount));
  }
}
