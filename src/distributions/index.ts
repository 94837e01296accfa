/**
 * Distributions, constraints, transforms and KL divergences, written once
 * against `Ops`. Importing this module also registers the `toEvent` / `mask`
 * wrappers and the KL rules.
 *
 * @module
 */
export type { Constraint } from "./constraint.js";
export type { DistContext } from "./context.js";
export { Distribution, DistributionCapabilityError, type Param } from "./distribution.js";
export { DistributionArgumentError, DistributionValueError } from "./errors.js";
export {
  BaseConstraint, BooleanConstraint, GreaterThan, GreaterThanEq, IndependentConstraint, IntegerGreaterThanEq,
  IntegerInterval, Interval, LessThan, Real, Simplex, constraints, type Bound, type BoundLabels, type Constraints,
} from "./constraints.js";
export type { ProbsOrLogits } from "./probs.js";
export { Normal } from "./normal.js";
export { Bernoulli } from "./bernoulli.js";
export { Categorical } from "./categorical.js";
export { Beta } from "./beta.js";
export { Binomial, type BinomialOptions } from "./binomial.js";
export { Gamma } from "./gamma.js";
export { HalfCauchy } from "./half-cauchy.js";
export { HalfNormal } from "./half-normal.js";
export { Exponential } from "./exponential.js";
export { Uniform } from "./uniform.js";
export { Dirichlet } from "./dirichlet.js";
export { Delta, type DeltaOptions } from "./delta.js";
export { Unit, type UnitOptions } from "./unit.js";
export { Independent } from "./independent.js";
export { MaskedDistribution } from "./masked.js";
export { TransformedDistribution } from "./transformed.js";
export * from "./transforms/index.js";
export { KLNotImplementedError, hasAnalyticKL, klDivergence, registerKL, type DistributionClass } from "./kl.js";
export {
  makeDistributionsModule, type DistributionsModule, type Factory, type TransformsModule,
} from "./module.js";
