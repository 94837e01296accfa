/**
 * `transformTo` and `bijectTo`: from a constraint to a transform that maps
 * the unconstrained reals onto it (torch's `ConstraintRegistry`). SVI uses
 * `transformTo` for constrained params; HMC uses `bijectTo` for the
 * unconstrained parameterisation of each latent site's support.
 *
 * @module
 */
import type { Constraint } from "../constraint.js";
import {
  GreaterThan, GreaterThanEq, IndependentConstraint, Interval, LessThan, Real, Simplex, type Bound,
} from "../constraints.js";
import type { DistContext } from "../context.js";
import { CorrCholesky, LowerCholesky, PositiveDefinite } from "../matrix-constraints.js";
import { OrderedVector, PositiveOrderedVector } from "../vector-constraints.js";
import { AffineTransform } from "./affine.js";
import { CholeskyTransform } from "./cholesky.js";
import { ComposeTransform } from "./compose.js";
import { CorrCholeskyTransform } from "./corr-cholesky.js";
import { ExpTransform } from "./exp.js";
import { IndependentTransform } from "./independent.js";
import { LowerCholeskyTransform } from "./lower-cholesky.js";
import { OrderedTransform } from "./ordered.js";
import { SigmoidTransform } from "./sigmoid.js";
import { StickBreakingTransform } from "./stick-breaking.js";
import type { Transform } from "./transform.js";

/** No transform maps the reals onto the constraint (a discrete one, or one nobody registered). */
export class ConstraintTransformError extends Error {
  /** Makes the error for constraint `constraint`. */
  constructor(
    /** The constraint's name. */
    readonly constraint: string,
    message: string,
  ) {
    super(message);
    this.name = "ConstraintTransformError";
  }
}

/** Makes the transform onto a constraint of class `C`. */
export type TransformFactory<C extends Constraint> = (ctx: DistContext, constraint: C, registry: ConstraintRegistry) => Transform;

/** A constraint class, the key of a registry. */
export type ConstraintClass<C extends Constraint> = {
  /** The class's prototype. */
  readonly prototype: C;
};

/**
 * A registry from constraint classes to transform factories; lookup walks the
 * constraint's class chain, so subclasses inherit their parent's factory.
 *
 * @example
 * ```ts
 * bijectToRegistry.register(OrderedVector, (ctx) => new OrderedTransform(ctx));
 * ```
 */
export class ConstraintRegistry {
  private readonly factories = new Map<object, TransformFactory<Constraint>>();

  /** Makes an empty registry named `name` (for messages). */
  constructor(
    /** The registry's name ("transformTo"), for messages. */
    readonly name: string,
  ) {}

  /** Registers `factory` for constraints of class `cls` (replacing an earlier one). */
  register<C extends Constraint>(cls: ConstraintClass<C>, factory: TransformFactory<C>): void {
    this.factories.set(cls, factory as TransformFactory<Constraint>);
  }

  /**
   * The transform from the reals onto `constraint`.
   *
   * @throws ConstraintTransformError for discrete or unregistered constraints.
   */
  call(ctx: DistContext, constraint: Constraint): Transform {
    if (constraint.isDiscrete) {
      throw new ConstraintTransformError(constraint.name,
        `${this.name}: no transform to the discrete constraint ${constraint.name}`);
    }
    for (let proto: unknown = Object.getPrototypeOf(constraint); proto !== null && proto !== undefined;
      proto = Object.getPrototypeOf(proto)) {
      const factory = this.factories.get((proto as { constructor: object }).constructor);
      if (factory !== undefined) return factory(ctx, constraint, this);
    }
    throw new ConstraintTransformError(constraint.name,
      `${this.name}: no transform registered for the constraint ${constraint.name}`);
  }
}

/** `x ↦ bound + sign eˣ` (just `eˣ` for the bound 0 with sign +1). */
function expFrom(ctx: DistContext, bound: Bound, sign: 1 | -1): Transform {
  const exp = new ExpTransform(ctx);
  if (bound === 0 && sign === 1) return exp;
  return new ComposeTransform(ctx, [exp, new AffineTransform(ctx, bound, sign)]);
}

/** Registers the transforms of the built-in constraints in `registry`. */
function registerBuiltins(registry: ConstraintRegistry): void {
  registry.register(Real, (ctx) => new ComposeTransform(ctx, []));
  registry.register(GreaterThan, (ctx, c) => expFrom(ctx, c.lower, 1));
  registry.register(GreaterThanEq, (ctx, c) => expFrom(ctx, c.lower, 1));
  registry.register(LessThan, (ctx, c) => expFrom(ctx, c.upper, -1));
  registry.register(Interval, (ctx, c) => {
    const sigmoid = new SigmoidTransform(ctx);
    if (c.lower === 0 && c.upper === 1) return sigmoid;
    const width = ctx.ops.sub(c.upper, c.lower);
    return new ComposeTransform(ctx, [sigmoid, new AffineTransform(ctx, c.lower, width)]);
  });
  registry.register(Simplex, (ctx) => new StickBreakingTransform(ctx));
  registry.register(OrderedVector, (ctx) => new OrderedTransform(ctx));
  registry.register(PositiveOrderedVector, (ctx) =>
    new ComposeTransform(ctx, [new OrderedTransform(ctx), new ExpTransform(ctx)]));
  registry.register(LowerCholesky, (ctx) => new LowerCholeskyTransform(ctx));
  registry.register(CorrCholesky, (ctx) => new CorrCholeskyTransform(ctx));
  registry.register(PositiveDefinite, (ctx) =>
    new ComposeTransform(ctx, [new LowerCholeskyTransform(ctx), new CholeskyTransform(ctx).inv]));
  registry.register(IndependentConstraint, (ctx, c, self) =>
    new IndependentTransform(ctx, self.call(ctx, c.base), c.reinterpretedBatchNdims));
}

/**
 * The registry behind {@link transformTo}. Same entries as
 * {@link bijectToRegistry}: Pyro's `transform_to(simplex)` is a softmax (not
 * a bijection); here both use stick-breaking, which serves either purpose.
 */
export const transformToRegistry = new ConstraintRegistry("transformTo");
/** The registry behind {@link bijectTo}. */
export const bijectToRegistry = new ConstraintRegistry("bijectTo");
registerBuiltins(transformToRegistry);
registerBuiltins(bijectToRegistry);

/**
 * A transform from the unconstrained reals onto `constraint` (for
 * constrained parameters in SVI).
 *
 * @example
 * ```ts
 * transformTo(ctx, constraints.positive).forward(0); // 1
 * ```
 */
export function transformTo(ctx: DistContext, constraint: Constraint): Transform {
  return transformToRegistry.call(ctx, constraint);
}

/**
 * A bijection from the unconstrained reals onto `constraint` (HMC's
 * unconstrained parameterisation of a site's support).
 *
 * @example
 * ```ts
 * bijectTo(ctx, constraints.interval(0, 2)).forward(0); // 1
 * ```
 */
export function bijectTo(ctx: DistContext, constraint: Constraint): Transform {
  return bijectToRegistry.call(ctx, constraint);
}
