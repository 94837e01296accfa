/**
 * `makeDistributionsModule(ctx)`: the `dist` object users get — factory
 * functions without `new` (`dist.Normal(0, 1)`), constraints, transforms,
 * `transformTo` / `bijectTo` and `klDivergence`, all bound to one backend
 * context.
 *
 * @module
 */
import type { Tensor } from "../tensor/types.js";
import { Bernoulli } from "./bernoulli.js";
import { Beta } from "./beta.js";
import { Binomial } from "./binomial.js";
import { Categorical } from "./categorical.js";
import type { Constraint } from "./constraint.js";
import { constraints, type Constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Delta } from "./delta.js";
import { Dirichlet } from "./dirichlet.js";
import type { Distribution } from "./distribution.js";
import { Exponential } from "./exponential.js";
import { Gamma } from "./gamma.js";
import { HalfCauchy } from "./half-cauchy.js";
import { HalfNormal } from "./half-normal.js";
import { Independent } from "./independent.js";
import { hasAnalyticKL, klDivergence } from "./kl.js";
import "./kl-cross.js";
import "./kl-families.js";
import "./kl-gaussian.js";
import { Cauchy } from "./cauchy.js";
import { StudentT } from "./student-t.js";
import { LogNormal } from "./log-normal.js";
import { Laplace } from "./laplace.js";
import { Gumbel } from "./gumbel.js";
import { Weibull } from "./weibull.js";
import { Pareto } from "./pareto.js";
import { Chi2 } from "./chi2.js";
import { InverseGamma } from "./inverse-gamma.js";
import { Poisson } from "./poisson.js";
import { Geometric } from "./geometric.js";
import { NegativeBinomial } from "./negative-binomial.js";
import { BetaBinomial } from "./beta-binomial.js";
import { Multinomial } from "./multinomial.js";
import { OneHotCategorical } from "./one-hot-categorical.js";
import { DiscreteUniform } from "./discrete-uniform.js";
import { LKJCholesky } from "./lkj-cholesky.js";
import { MixtureSameFamily } from "./mixture-same-family.js";
import { ImproperUniform } from "./improper-uniform.js";
import { FoldedDistribution } from "./folded.js";
import { LowRankMultivariateNormal } from "./low-rank-multivariate-normal.js";
import { MaskedDistribution } from "./masked.js";
import { MultivariateNormal } from "./multivariate-normal.js";
import { Normal } from "./normal.js";
import { TransformedDistribution } from "./transformed.js";
import { AffineTransform } from "./transforms/affine.js";
import { ComposeTransform } from "./transforms/compose.js";
import { ExpTransform } from "./transforms/exp.js";
import { CholeskyTransform } from "./transforms/cholesky.js";
import { CorrCholeskyTransform } from "./transforms/corr-cholesky.js";
import { IndependentTransform } from "./transforms/independent.js";
import { LowerCholeskyTransform } from "./transforms/lower-cholesky.js";
import { OrderedTransform } from "./transforms/ordered.js";
import { PowerTransform } from "./transforms/power.js";
import { bijectTo, transformTo } from "./transforms/registry.js";
import { SigmoidTransform } from "./transforms/sigmoid.js";
import { StickBreakingTransform } from "./transforms/stick-breaking.js";
import type { Transform } from "./transforms/transform.js";
import { Uniform } from "./uniform.js";
import { Unit } from "./unit.js";

/** A class whose constructor takes a {@link DistContext} first. */
type InContext = new (ctx: DistContext, ...args: never[]) => unknown;

/**
 * The factory of a class made in a context: the constructor's parameters
 * after the context, no `new`. `Factory<typeof Normal>` is
 * `(loc: Param, scale: Param) => Normal`.
 */
export type Factory<C extends InContext> =
  C extends new (ctx: DistContext, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The factory of `cls` bound to `ctx`. */
function factory<C extends InContext>(ctx: DistContext, cls: C): Factory<C> {
  const make = cls as unknown as new (ctx: DistContext, ...args: unknown[]) => unknown;
  return ((...args: unknown[]) => new make(ctx, ...args)) as Factory<C>;
}

/** The transform factories of `dist.transforms`, bound to the backend. */
export interface TransformsModule {
  /** `y = loc + scale x` (on events of `eventDim` dims). @example `dist.transforms.AffineTransform(1, 2)` */
  readonly AffineTransform: Factory<typeof AffineTransform>;
  /** `y = exp(x)`. @example `dist.transforms.ExpTransform()` */
  readonly ExpTransform: Factory<typeof ExpTransform>;
  /** `y = sigmoid(x)`. @example `dist.transforms.SigmoidTransform()` */
  readonly SigmoidTransform: Factory<typeof SigmoidTransform>;
  /** Reals `R^(K-1)` onto the `K`-simplex. @example `dist.transforms.StickBreakingTransform()` */
  readonly StickBreakingTransform: Factory<typeof StickBreakingTransform>;
  /** Parts applied in order. @example `dist.transforms.ComposeTransform([exp, affine])` */
  readonly ComposeTransform: Factory<typeof ComposeTransform>;
  /** A transform acting on `n` more event dims. @example `dist.transforms.IndependentTransform(exp, 1)` */
  readonly IndependentTransform: Factory<typeof IndependentTransform>;
  /** Reals onto increasing vectors. @example `dist.transforms.OrderedTransform()` */
  readonly OrderedTransform: Factory<typeof OrderedTransform>;
  /** `y = x^exponent` on the positive reals. @example `dist.transforms.PowerTransform(-1)` */
  readonly PowerTransform: Factory<typeof PowerTransform>;
  /** Vectors of length `n(n+1)/2` onto lower Cholesky factors. @example `dist.transforms.LowerCholeskyTransform()` */
  readonly LowerCholeskyTransform: Factory<typeof LowerCholeskyTransform>;
  /** Vectors of length `n(n-1)/2` onto Cholesky factors of correlation matrices. @example `dist.transforms.CorrCholeskyTransform()` */
  readonly CorrCholeskyTransform: Factory<typeof CorrCholeskyTransform>;
  /** Positive-definite matrices onto their Cholesky factors. @example `dist.transforms.CholeskyTransform()` */
  readonly CholeskyTransform: Factory<typeof CholeskyTransform>;
}

/**
 * The distributions module of a backend, as `dist`: Pyro's
 * `pyro.distributions` with TypeScript casing. Parameters accept tensors,
 * numbers and nested arrays.
 *
 * @example
 * ```ts
 * const d = dist.Normal(0, 1);
 * const c = dist.Categorical({ logits: [0, 1, 2] });
 * const t = dist.transformTo(dist.constraints.positive);
 * ```
 */
export interface DistributionsModule {
  /** The context (ops, validation) the module makes distributions in. */
  readonly ctx: DistContext;
  /** `Normal(loc, scale)`. @example `dist.Normal(0, 1)` */
  readonly Normal: Factory<typeof Normal>;
  /** `Bernoulli(probs)` or `Bernoulli({ probs } | { logits })`. @example `dist.Bernoulli({ logits: 0 })` */
  readonly Bernoulli: Factory<typeof Bernoulli>;
  /** `Categorical(probs)` or `Categorical({ probs } | { logits })`. @example `dist.Categorical([0.2, 0.8])` */
  readonly Categorical: Factory<typeof Categorical>;
  /** `Beta(concentration1, concentration0)`. @example `dist.Beta(2, 3)` */
  readonly Beta: Factory<typeof Beta>;
  /** `Binomial({ totalCount, probs } | { totalCount, logits })`. @example `dist.Binomial({ totalCount: 10, probs: 0.3 })` */
  readonly Binomial: Factory<typeof Binomial>;
  /** `Gamma(concentration, rate)`. @example `dist.Gamma(2, 1)` */
  readonly Gamma: Factory<typeof Gamma>;
  /** `HalfCauchy(scale)`. @example `dist.HalfCauchy(1)` */
  readonly HalfCauchy: Factory<typeof HalfCauchy>;
  /** `HalfNormal(scale)`. @example `dist.HalfNormal(1)` */
  readonly HalfNormal: Factory<typeof HalfNormal>;
  /** `Exponential(rate)`. @example `dist.Exponential(2)` */
  readonly Exponential: Factory<typeof Exponential>;
  /** `Uniform(low, high)`. @example `dist.Uniform(0, 1)` */
  readonly Uniform: Factory<typeof Uniform>;
  /** `Dirichlet(concentration)`. @example `dist.Dirichlet([1, 1, 1])` */
  readonly Dirichlet: Factory<typeof Dirichlet>;
  /** `Delta(v, { logDensity, eventDim })`. @example `dist.Delta(ops.tensor([1, 2]), { eventDim: 1 })` */
  readonly Delta: Factory<typeof Delta>;
  /** `Unit(logFactor)`: what `pyro.factor` samples. @example `dist.Unit(-1.5)` */
  readonly Unit: Factory<typeof Unit>;
  /** `MultivariateNormal(loc, covarianceMatrix)` or `MultivariateNormal(loc, { scaleTril | covarianceMatrix | precisionMatrix })`. @example `dist.MultivariateNormal(ops.zeros([2]), { scaleTril: ops.eye(2) })` */
  readonly MultivariateNormal: Factory<typeof MultivariateNormal>;
  /** `LowRankMultivariateNormal(loc, covFactor, covDiag)`: covariance `W Wᵀ + diag(D)`. @example `dist.LowRankMultivariateNormal(ops.zeros([3]), ops.ones([3, 1]), ops.ones([3]))` */
  readonly LowRankMultivariateNormal: Factory<typeof LowRankMultivariateNormal>;
  /** `Cauchy(loc, scale)`. @example `dist.Cauchy(0, 1)` */
  readonly Cauchy: Factory<typeof Cauchy>;
  /** `StudentT(df, loc = 0, scale = 1)`. @example `dist.StudentT(3, 0, 1)` */
  readonly StudentT: Factory<typeof StudentT>;
  /** `LogNormal(loc, scale)`. @example `dist.LogNormal(0, 1)` */
  readonly LogNormal: Factory<typeof LogNormal>;
  /** `Laplace(loc, scale)`. @example `dist.Laplace(0, 1)` */
  readonly Laplace: Factory<typeof Laplace>;
  /** `Gumbel(loc, scale)`. @example `dist.Gumbel(0, 1)` */
  readonly Gumbel: Factory<typeof Gumbel>;
  /** `Weibull(scale, concentration)`. @example `dist.Weibull(1, 2)` */
  readonly Weibull: Factory<typeof Weibull>;
  /** `Pareto(scale, alpha)`. @example `dist.Pareto(1, 3)` */
  readonly Pareto: Factory<typeof Pareto>;
  /** `Chi2(df)`. @example `dist.Chi2(4)` */
  readonly Chi2: Factory<typeof Chi2>;
  /** `InverseGamma(concentration, rate)`. @example `dist.InverseGamma(3, 2)` */
  readonly InverseGamma: Factory<typeof InverseGamma>;
  /** `Poisson(rate)`. @example `dist.Poisson(2)` */
  readonly Poisson: Factory<typeof Poisson>;
  /** `Geometric(probs)` or `Geometric({ probs } | { logits })`. @example `dist.Geometric(0.25)` */
  readonly Geometric: Factory<typeof Geometric>;
  /** `NegativeBinomial({ totalCount, probs } | { totalCount, logits })`. @example `dist.NegativeBinomial({ totalCount: 5, probs: 0.5 })` */
  readonly NegativeBinomial: Factory<typeof NegativeBinomial>;
  /** `BetaBinomial(concentration1, concentration0, totalCount = 1)`. @example `dist.BetaBinomial(2, 3, 10)` */
  readonly BetaBinomial: Factory<typeof BetaBinomial>;
  /** `Multinomial({ totalCount, probs } | { totalCount, logits })`. @example `dist.Multinomial({ totalCount: 10, probs: [0.2, 0.8] })` */
  readonly Multinomial: Factory<typeof Multinomial>;
  /** `OneHotCategorical(probs)` or `OneHotCategorical({ probs } | { logits })`. @example `dist.OneHotCategorical([0.2, 0.8])` */
  readonly OneHotCategorical: Factory<typeof OneHotCategorical>;
  /** `DiscreteUniform(low = 0, high = 1)` (NumPyro's)`. @example `dist.DiscreteUniform(1, 6)` */
  readonly DiscreteUniform: Factory<typeof DiscreteUniform>;
  /** `LKJCholesky(dim, concentration = 1)`. @example `dist.LKJCholesky(3, 2)` */
  readonly LKJCholesky: Factory<typeof LKJCholesky>;
  /** `MixtureSameFamily(mixtureDistribution, componentDistribution)`. @example `dist.MixtureSameFamily(dist.Categorical([0.3, 0.7]), dist.Normal([-1, 2], 1))` */
  readonly MixtureSameFamily: Factory<typeof MixtureSameFamily>;
  /** `ImproperUniform(support, batchShape, eventShape)`: logProb 0, no sampling`. @example `dist.ImproperUniform(dist.constraints.positive, [3], [])` */
  readonly ImproperUniform: Factory<typeof ImproperUniform>;
  /** `FoldedDistribution(base)`: the distribution of `|X|`. @example `dist.FoldedDistribution(dist.Normal(1, 2))` */
  readonly FoldedDistribution: Factory<typeof FoldedDistribution>;
  /** `Independent(base, n)` (usually `base.toEvent(n)`). @example `dist.Independent(dist.Normal(ops.zeros([3]), 1), 1)` */
  readonly Independent: Factory<typeof Independent>;
  /** `MaskedDistribution(base, mask)` (usually `base.mask(mask)`). */
  readonly MaskedDistribution: Factory<typeof MaskedDistribution>;
  /** `TransformedDistribution(base, transforms)`. @example `dist.TransformedDistribution(dist.Normal(0, 1), [dist.transforms.ExpTransform()])` */
  readonly TransformedDistribution: Factory<typeof TransformedDistribution>;
  /** The constraints (`dist.constraints.positive`, `dist.constraints.interval(0, 1)`, ...). */
  readonly constraints: Constraints;
  /** The transforms. */
  readonly transforms: TransformsModule;
  /** A transform from the reals onto `constraint` (for constrained params). @example `dist.transformTo(dist.constraints.positive)` */
  transformTo(constraint: Constraint): Transform;
  /** A bijection from the reals onto `constraint` (for HMC). @example `dist.bijectTo(dist.constraints.simplex)` */
  bijectTo(constraint: Constraint): Transform;
  /** The analytic `KL(p ‖ q)`; throws `KLNotImplementedError` for unregistered pairs. @example `dist.klDivergence(p, q)` */
  klDivergence(p: Distribution, q: Distribution): Tensor;
  /** Whether `klDivergence(p, q)` has an analytic rule. */
  hasAnalyticKL(p: Distribution, q: Distribution): boolean;
}

/**
 * The `dist` module of a backend: every factory bound to `ctx`.
 *
 * @example
 * ```ts
 * const dist = makeDistributionsModule({ ops: tfjsOps, validateArgs: true });
 * dist.Normal(0, 1).logProb(0);
 * ```
 */
export function makeDistributionsModule(ctx: DistContext): DistributionsModule {
  return {
    ctx,
    Normal: factory(ctx, Normal),
    Bernoulli: factory(ctx, Bernoulli),
    Categorical: factory(ctx, Categorical),
    Beta: factory(ctx, Beta),
    Binomial: factory(ctx, Binomial),
    Gamma: factory(ctx, Gamma),
    HalfCauchy: factory(ctx, HalfCauchy),
    HalfNormal: factory(ctx, HalfNormal),
    Exponential: factory(ctx, Exponential),
    Uniform: factory(ctx, Uniform),
    Dirichlet: factory(ctx, Dirichlet),
    Delta: factory(ctx, Delta),
    Unit: factory(ctx, Unit),
    MultivariateNormal: factory(ctx, MultivariateNormal),
    LowRankMultivariateNormal: factory(ctx, LowRankMultivariateNormal),
    Cauchy: factory(ctx, Cauchy),
    StudentT: factory(ctx, StudentT),
    LogNormal: factory(ctx, LogNormal),
    Laplace: factory(ctx, Laplace),
    Gumbel: factory(ctx, Gumbel),
    Weibull: factory(ctx, Weibull),
    Pareto: factory(ctx, Pareto),
    Chi2: factory(ctx, Chi2),
    InverseGamma: factory(ctx, InverseGamma),
    Poisson: factory(ctx, Poisson),
    Geometric: factory(ctx, Geometric),
    NegativeBinomial: factory(ctx, NegativeBinomial),
    BetaBinomial: factory(ctx, BetaBinomial),
    Multinomial: factory(ctx, Multinomial),
    OneHotCategorical: factory(ctx, OneHotCategorical),
    DiscreteUniform: factory(ctx, DiscreteUniform),
    LKJCholesky: factory(ctx, LKJCholesky),
    MixtureSameFamily: factory(ctx, MixtureSameFamily),
    ImproperUniform: factory(ctx, ImproperUniform),
    FoldedDistribution: factory(ctx, FoldedDistribution),
    Independent: factory(ctx, Independent),
    MaskedDistribution: factory(ctx, MaskedDistribution),
    TransformedDistribution: factory(ctx, TransformedDistribution),
    constraints,
    transforms: {
      AffineTransform: factory(ctx, AffineTransform),
      ExpTransform: factory(ctx, ExpTransform),
      SigmoidTransform: factory(ctx, SigmoidTransform),
      StickBreakingTransform: factory(ctx, StickBreakingTransform),
      ComposeTransform: factory(ctx, ComposeTransform),
      IndependentTransform: factory(ctx, IndependentTransform),
      OrderedTransform: factory(ctx, OrderedTransform),
      PowerTransform: factory(ctx, PowerTransform),
      LowerCholeskyTransform: factory(ctx, LowerCholeskyTransform),
      CorrCholeskyTransform: factory(ctx, CorrCholeskyTransform),
      CholeskyTransform: factory(ctx, CholeskyTransform),
    },
    transformTo: (c) => transformTo(ctx, c),
    bijectTo: (c) => bijectTo(ctx, c),
    klDivergence,
    hasAnalyticKL,
  };
}
