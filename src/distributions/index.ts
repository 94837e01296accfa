/**
 * Distributions, constraints, transforms and KL divergences, written once
 * against `Ops`. Importing this module also registers the `toEvent` / `mask`
 * wrappers and the KL rules (core, same-family, cross-family and Gaussian).
 *
 * @module
 */
import "./kl-families.js";
import "./kl-cross.js";

export type { Constraint } from "./constraint.js";
export type { DistContext } from "./context.js";
export { Distribution, DistributionCapabilityError, type Param } from "./distribution.js";
export { DistributionArgumentError, DistributionValueError } from "./errors.js";
export {
  BaseConstraint, BooleanConstraint, GreaterThan, GreaterThanEq, IndependentConstraint, IntegerGreaterThanEq,
  IntegerInterval, Interval, LessThan, Real, Simplex, constraints, type Bound, type BoundLabels, type Constraints,
} from "./constraints.js";
export { CorrCholesky, LowerCholesky, PositiveDefinite } from "./matrix-constraints.js";
export { MultinomialConstraint, OneHot, OrderedVector, PositiveOrderedVector } from "./vector-constraints.js";
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
export { MultivariateNormal, type GaussianAlgebra, type MultivariateNormalOptions } from "./multivariate-normal.js";
export { LowRankMultivariateNormal } from "./low-rank-multivariate-normal.js";
export { Cauchy } from "./cauchy.js";
export { StudentT } from "./student-t.js";
export { LogNormal } from "./log-normal.js";
export { Laplace } from "./laplace.js";
export { Gumbel } from "./gumbel.js";
export { Weibull } from "./weibull.js";
export { Pareto } from "./pareto.js";
export { Chi2 } from "./chi2.js";
export { InverseGamma } from "./inverse-gamma.js";
export { Poisson } from "./poisson.js";
export { Geometric } from "./geometric.js";
export { NegativeBinomial, type NegativeBinomialOptions } from "./negative-binomial.js";
export { BetaBinomial } from "./beta-binomial.js";
export { Multinomial, type MultinomialOptions } from "./multinomial.js";
export { OneHotCategorical } from "./one-hot-categorical.js";
export { DiscreteUniform } from "./discrete-uniform.js";
export { LKJCholesky } from "./lkj-cholesky.js";
export { MixtureSameFamily } from "./mixture-same-family.js";
export { ImproperUniform } from "./improper-uniform.js";
export { FoldedDistribution } from "./folded.js";
export { EULER_GAMMA } from "./gumbel.js";
export { Independent } from "./independent.js";
export { MaskedDistribution } from "./masked.js";
export { TransformedDistribution } from "./transformed.js";
export * from "./transforms/index.js";
export { gaussianKL } from "./kl-gaussian.js";
export { KLNotImplementedError, hasAnalyticKL, klDivergence, registerKL, type DistributionClass } from "./kl.js";
export {
  makeDistributionsModule, type DistributionsModule, type Factory, type TransformsModule,
} from "./module.js";
