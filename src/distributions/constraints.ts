/**
 * The constraints of Pyro (`torch.distributions.constraints`): sets of values,
 * checkable elementwise, used as distribution supports, parameter constraints
 * and `pyro.param(..., { constraint })`.
 *
 * Each constraint is a class instance so that `transformTo` / `bijectTo` can
 * dispatch on its class (and later families can register their own).
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import { BaseConstraint, type Constraint } from "./constraint.js";
import { CorrCholesky, LowerCholesky, PositiveDefinite } from "./matrix-constraints.js";
import { asTensor, finfo } from "./util.js";
import { MultinomialConstraint, OneHot, OrderedVector, PositiveOrderedVector } from "./vector-constraints.js";
import { DistributionValueError } from "./errors.js";

export { BaseConstraint };

/** A bound of a constraint: a number, or a tensor broadcasting against the checked value. */
export type Bound = number | Tensor;

/** Display options of a bounded constraint (for tensor bounds, whose values the name cannot read). */
export interface BoundLabels {
  /** The name to print instead of the generated one ("positive"). */
  readonly name?: string;
  /** How to print each bound (in constructor order), e.g. `["0", "[10, 20]"]`. */
  readonly labels?: readonly string[];
}

/** How a bound prints: its value, or `tensor[shape]`. */
function formatBound(b: Bound): string {
  return typeof b === "number" ? String(b) : `tensor${formatShape(b.shape)}`;
}

/** Labels of a bounded constraint's bounds, from `opts` or formatted. */
function labelsOf(bounds: readonly Bound[], opts?: BoundLabels): string[] {
  return bounds.map((b, i) => opts?.labels?.[i] ?? formatBound(b));
}

/** The real numbers (anything but NaN; ±∞ are allowed as in Pyro). */
export class Real extends BaseConstraint {
  /** Makes `real` (or a renamed copy). */
  constructor(name = "real") {
    super(name, "a real number, not NaN");
  }
  /** `x == x`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.eq(value, value);
  }
  /** Not NaN. */
  checkNumber(x: number): boolean {
    return x === x;
  }
  /** The first NaN. */
  firstOutside(values: Float32Array | Float64Array): number {
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return i;
    return -1;
  }
}

/** `x > lower`. */
export class GreaterThan extends BaseConstraint {
  /** Makes `greaterThan(lower)`. */
  constructor(
    /** The lower bound. */
    readonly lower: Bound,
    opts?: BoundLabels,
  ) {
    const [lo] = labelsOf([lower], opts);
    super(opts?.name ?? `greaterThan(${lo})`, `> ${lo}`);
  }
  /** `x > lower`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.gt(value, this.lower);
  }
  /** `x > lower` (number bounds only). */
  checkNumber(x: number): boolean | undefined {
    return typeof this.lower === "number" ? x > this.lower : undefined;
  }
  /** The first value not above a number bound. */
  firstOutside(values: Float32Array | Float64Array): number | undefined {
    const lo = this.lower;
    if (typeof lo !== "number") return undefined;
    for (let i = 0; i < values.length; i++) if (!(values[i]! > lo)) return i;
    return -1;
  }
}

/** `x >= lower`. */
export class GreaterThanEq extends BaseConstraint {
  /** Makes `greaterThanEq(lower)`. */
  constructor(
    /** The lower bound. */
    readonly lower: Bound,
    opts?: BoundLabels,
  ) {
    const [lo] = labelsOf([lower], opts);
    super(opts?.name ?? `greaterThanEq(${lo})`, `>= ${lo}`);
  }
  /** `x >= lower`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.ge(value, this.lower);
  }
  /** `x >= lower` (number bounds only). */
  checkNumber(x: number): boolean | undefined {
    return typeof this.lower === "number" ? x >= this.lower : undefined;
  }
}

/** `x < upper`. */
export class LessThan extends BaseConstraint {
  /** Makes `lessThan(upper)`. */
  constructor(
    /** The upper bound. */
    readonly upper: Bound,
    opts?: BoundLabels,
  ) {
    const [hi] = labelsOf([upper], opts);
    super(opts?.name ?? `lessThan(${hi})`, `< ${hi}`);
  }
  /** `x < upper`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.lt(value, this.upper);
  }
  /** `x < upper` (number bounds only). */
  checkNumber(x: number): boolean | undefined {
    return typeof this.upper === "number" ? x < this.upper : undefined;
  }
}

/** The closed interval `lower <= x <= upper`. */
export class Interval extends BaseConstraint {
  /** Makes `interval(lower, upper)`. */
  constructor(
    /** The lower bound (inclusive). */
    readonly lower: Bound,
    /** The upper bound (inclusive). */
    readonly upper: Bound,
    opts?: BoundLabels,
  ) {
    const [lo, hi] = labelsOf([lower, upper], opts);
    super(opts?.name ?? `interval(${lo}, ${hi})`, `in [${lo}, ${hi}]`);
  }
  /** `lower <= x <= upper` (number bounds only). */
  checkNumber(x: number): boolean | undefined {
    return typeof this.lower === "number" && typeof this.upper === "number" ? x >= this.lower && x <= this.upper : undefined;
  }
  /** `lower <= x <= upper`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.logicalAnd(ops.ge(value, this.lower), ops.le(value, this.upper));
  }
}

/**
 * The probability simplex over the last dim: nonnegative entries summing to 1.
 *
 * Why the tolerance `max(1e-6, 128 eps)`: Pyro uses `|Σx - 1| < 1e-6`, which
 * float64 meets easily, but a float32 sum of K entries carries a rounding
 * error up to about `K eps` (eps = 1.2e-7), so a correct float32 simplex of
 * K ≈ 100 categories would fail 1e-6; 128 eps ≈ 1.5e-5 admits it.
 */
export class Simplex extends BaseConstraint {
  /** Makes `simplex`. */
  constructor() {
    super("simplex", "nonnegative and summing to 1 along the last dim", 1);
  }
  /** Nonnegative entries whose sum is 1 within rounding. */
  check(ops: Ops, value: TensorLike): Tensor {
    const x = asTensor(ops, value);
    const tol = Math.max(1e-6, 128 * finfo(ops.dtype).eps);
    const nonneg = ops.all(ops.ge(x, 0), -1);
    const sumsToOne = ops.lt(ops.abs(ops.sub(ops.sum(x, -1), 1)), tol);
    return ops.logicalAnd(nonneg, sumsToOne);
  }
}

/** `{0, 1}`. */
export class BooleanConstraint extends BaseConstraint {
  /** Makes `boolean`. */
  constructor() {
    super("boolean", "0 or 1", 0, true);
  }
  /** `x == 0 || x == 1`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.logicalOr(ops.eq(value, 0), ops.eq(value, 1));
  }
}

/** Whether `x` is a whole number. */
function isInteger(ops: Ops, x: TensorLike): Tensor {
  return ops.eq(ops.floor(x), x);
}

/** The integers `lower, ..., upper`. */
export class IntegerInterval extends BaseConstraint {
  /** Makes `integerInterval(lower, upper)`. */
  constructor(
    /** The lower bound (inclusive). */
    readonly lower: Bound,
    /** The upper bound (inclusive). */
    readonly upper: Bound,
    opts?: BoundLabels,
  ) {
    const [lo, hi] = labelsOf([lower, upper], opts);
    super(opts?.name ?? `integerInterval(${lo}, ${hi})`, `an integer in [${lo}, ${hi}]`, 0, true);
  }
  /** Whole numbers within the bounds. */
  check(ops: Ops, value: TensorLike): Tensor {
    const inRange = ops.logicalAnd(ops.ge(value, this.lower), ops.le(value, this.upper));
    return ops.logicalAnd(isInteger(ops, value), inRange);
  }
}

/** The integers `>= lower`. */
export class IntegerGreaterThanEq extends BaseConstraint {
  /** Makes the integers from `lower` up. */
  constructor(
    /** The lower bound. */
    readonly lower: Bound,
    opts?: BoundLabels,
  ) {
    const [lo] = labelsOf([lower], opts);
    super(opts?.name ?? `integerGreaterThanEq(${lo})`, `an integer >= ${lo}`, 0, true);
  }
  /** Whole numbers `>= lower`. */
  check(ops: Ops, value: TensorLike): Tensor {
    return ops.logicalAnd(isInteger(ops, value), ops.ge(value, this.lower));
  }
}

/**
 * A constraint on the `reinterpretedBatchNdims` rightmost dims taken
 * together: an element is in the set when every entry of those dims is in
 * `base`.
 */
export class IndependentConstraint extends BaseConstraint {
  /** Makes `independent(base, reinterpretedBatchNdims)`. */
  constructor(
    /** The elementwise constraint. */
    readonly base: Constraint,
    /** How many rightmost dims are checked together. */
    readonly reinterpretedBatchNdims: number,
    name?: string,
  ) {
    super(
      name ?? `independent(${base.name}, ${reinterpretedBatchNdims})`,
      `${base.description}, for every entry of the last ${reinterpretedBatchNdims} dim(s)`,
      base.eventDim + reinterpretedBatchNdims,
      base.isDiscrete,
    );
  }
  /** `base.check` reduced with `all` over the reinterpreted dims. */
  check(ops: Ops, value: TensorLike): Tensor {
    const m = this.base.check(ops, value);
    const n = this.reinterpretedBatchNdims;
    if (n === 0) return m;
    const rank = m.shape.length;
    if (rank < n) throw new DistributionValueError(this.name, `${this.name}: value has too few dimensions (shape ${formatShape(m.shape)})`);
    return ops.all(m, Array.from({ length: n }, (_, i) => rank - n + i));
  }
}

/** The built-in constraints and constraint constructors, as `dist.constraints`. */
export interface Constraints {
  /** All real numbers (not NaN). */
  readonly real: Real;
  /** `x > 0`. */
  readonly positive: GreaterThan;
  /** `x >= 0`. */
  readonly nonnegative: GreaterThanEq;
  /** `0 <= x <= 1`. */
  readonly unitInterval: Interval;
  /** `lower <= x <= upper`. @example `constraints.interval(0, 10)` */
  interval(lower: Bound, upper: Bound): Interval;
  /** `x > lower`. @example `constraints.greaterThan(2)` */
  greaterThan(lower: Bound): GreaterThan;
  /** `x >= lower`. */
  greaterThanEq(lower: Bound): GreaterThanEq;
  /** `x < upper`. */
  lessThan(upper: Bound): LessThan;
  /** Nonnegative vectors (last dim) summing to 1. */
  readonly simplex: Simplex;
  /** `{0, 1}`. */
  readonly boolean: BooleanConstraint;
  /** The integers `lower..upper`. @example `constraints.integerInterval(0, 5)` */
  integerInterval(lower: Bound, upper: Bound): IntegerInterval;
  /** The integers `>= 0`. */
  readonly nonnegativeInteger: IntegerGreaterThanEq;
  /** The integers `>= 1`. */
  readonly positiveInteger: IntegerGreaterThanEq;
  /** Real vectors: `independent(real, 1)`. */
  readonly realVector: IndependentConstraint;
  /** `c` over the rightmost `reinterpretedBatchNdims` dims jointly. @example `constraints.independent(constraints.positive, 1)` */
  independent(c: Constraint, reinterpretedBatchNdims: number): IndependentConstraint;
  /** Real vectors in strictly increasing order (last dim). */
  readonly orderedVector: OrderedVector;
  /** Positive real vectors in strictly increasing order (last dim). */
  readonly positiveOrderedVector: PositiveOrderedVector;
  /** Lower-triangular matrices with a positive diagonal. */
  readonly lowerCholesky: LowerCholesky;
  /** Cholesky factors of correlation matrices (lower Cholesky with unit-norm rows). */
  readonly corrCholesky: CorrCholesky;
  /** Symmetric positive-definite matrices. */
  readonly positiveDefinite: PositiveDefinite;
  /** One-hot vectors (last dim). */
  readonly oneHot: OneHot;
  /** Nonnegative integer vectors summing to `totalCount`. @example `constraints.multinomial(10)` */
  multinomial(totalCount: Bound): MultinomialConstraint;
}

const real = new Real();

/**
 * The constraints of Pyro, camel-cased.
 *
 * @example
 * ```ts
 * constraints.positive.check(ops, [1, -1]); // mask [true, false]
 * constraints.interval(0, 2).name;          // "interval(0, 2)"
 * ```
 */
export const constraints: Constraints = {
  real,
  positive: new GreaterThan(0, { name: "positive" }),
  nonnegative: new GreaterThanEq(0, { name: "nonnegative" }),
  unitInterval: new Interval(0, 1, { name: "unitInterval" }),
  interval: (lower, upper) => new Interval(lower, upper),
  greaterThan: (lower) => new GreaterThan(lower),
  greaterThanEq: (lower) => new GreaterThanEq(lower),
  lessThan: (upper) => new LessThan(upper),
  simplex: new Simplex(),
  boolean: new BooleanConstraint(),
  integerInterval: (lower, upper) => new IntegerInterval(lower, upper),
  nonnegativeInteger: new IntegerGreaterThanEq(0, { name: "nonnegativeInteger" }),
  positiveInteger: new IntegerGreaterThanEq(1, { name: "positiveInteger" }),
  realVector: new IndependentConstraint(real, 1, "realVector"),
  independent: (c, n) => new IndependentConstraint(c, n),
  orderedVector: new OrderedVector(),
  positiveOrderedVector: new PositiveOrderedVector(),
  lowerCholesky: new LowerCholesky(),
  corrCholesky: new CorrCholesky(),
  positiveDefinite: new PositiveDefinite(),
  oneHot: new OneHot(),
  multinomial: (totalCount) => new MultinomialConstraint(totalCount),
};
