/**
 * The multivariate normal distribution `MultivariateNormal(loc, { scaleTril
 * | covarianceMatrix | precisionMatrix })`.
 *
 * @module
 */
import type { RandomKey } from "../tensor/random/index.js";
import { formatShape } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import {
  batchMahalanobis, choleskyInverse, halfLogDet, matvec, precisionToScaleTril, transposeLast,
} from "./linalg.js";
import { broadcastParams, expandParams, type ParamSpec } from "./params.js";
import { isParam } from "./probs.js";
import { standardNormalTensor } from "./sampling.js";
import { asTensor, expandTo, HALF_LOG_2PI } from "./util.js";

/** The covariance of a {@link MultivariateNormal}, by exactly one of Pyro's three keywords. */
export type MultivariateNormalOptions =
  | {
    /** The lower Cholesky factor `L` of the covariance `L Lᵀ`. */
    readonly scaleTril: Param;
    /** Not allowed with `scaleTril`. */
    readonly covarianceMatrix?: undefined;
    /** Not allowed with `scaleTril`. */
    readonly precisionMatrix?: undefined;
  }
  | {
    /** The covariance matrix (symmetric positive definite). */
    readonly covarianceMatrix: Param;
    /** Not allowed with `covarianceMatrix`. */
    readonly scaleTril?: undefined;
    /** Not allowed with `covarianceMatrix`. */
    readonly precisionMatrix?: undefined;
  }
  | {
    /** The precision (inverse covariance) matrix (symmetric positive definite). */
    readonly precisionMatrix: Param;
    /** Not allowed with `precisionMatrix`. */
    readonly scaleTril?: undefined;
    /** Not allowed with `precisionMatrix`. */
    readonly covarianceMatrix?: undefined;
  };

/** The members a Gaussian family offers to the shared KL rule (`kl-gaussian.ts`). */
export interface GaussianAlgebra {
  /** The mean, `batchShape ++ [n]`. */
  readonly loc: Tensor;
  /** `log det Σ`, broadcastable to the batch shape. */
  logDetCovariance(): Tensor;
  /** `xᵀ Σ⁻¹ x` for `[..., n]` vectors `x` (batch dims broadcast). */
  mahalanobis(x: Tensor): Tensor;
  /** `tr(Σ⁻¹ F Fᵀ)` for `[..., n, k]` matrices `F`. */
  traceInverseTimes(f: Tensor): Tensor;
  /** A factor `F` with `Σ = F Fᵀ`, `[..., n, k]`. */
  covarianceRoot(): Tensor;
}

/** Which parameterisation was given, and its value. */
function parseCovariance(ctx: DistContext, arg: Param | MultivariateNormalOptions): ["scaleTril" | "covarianceMatrix" | "precisionMatrix", Param] {
  if (isParam(ctx.ops, arg)) return ["covarianceMatrix", arg];
  const given = (["scaleTril", "covarianceMatrix", "precisionMatrix"] as const).filter((k) => arg[k] !== undefined);
  if (given.length !== 1) {
    throw new DistributionArgumentError("MultivariateNormal", "scaleTril, covarianceMatrix, precisionMatrix",
      `MultivariateNormal: exactly one of scaleTril, covarianceMatrix or precisionMatrix must be given, got ${given.length === 0 ? "none" : given.join(" and ")}`);
  }
  return [given[0]!, arg[given[0]!]!];
}

/**
 * The multivariate normal distribution with mean vector `loc` (last dim `n`)
 * and covariance given by its lower Cholesky factor `scaleTril`, the
 * `covarianceMatrix`, or the `precisionMatrix` (`[..., n, n]`; a bare second
 * argument is the covariance, Pyro's positional order). Batch dims of `loc`
 * and the matrix broadcast. Densities use the Cholesky factor and a
 * triangular solve; draws are `loc + L ε` (reparameterized).
 *
 * @example
 * ```ts
 * const d = dist.MultivariateNormal(ops.zeros([2]), { covarianceMatrix: [[1, 0.5], [0.5, 2]] });
 * d.logProb([0.3, -1]);
 * ```
 */
export class MultivariateNormal extends Distribution implements GaussianAlgebra {
  /** The mean, `batchShape ++ [n]`. */
  readonly loc: Tensor;
  /** The Cholesky factor with its own (unbroadcast) batch dims. */
  private readonly tril: Tensor;

  /** Makes `MultivariateNormal(loc, covarianceMatrix)` or `MultivariateNormal(loc, { scaleTril | covarianceMatrix | precisionMatrix })`. */
  constructor(ctx: DistContext, loc: Param, covariance: Param | MultivariateNormalOptions) {
    const { ops } = ctx;
    const [kind, raw] = parseCovariance(ctx, covariance);
    const matrix = asTensor(ops, raw);
    const locT = asTensor(ops, loc);
    const specs: Record<string, ParamSpec> = {
      loc: { value: locT, constraint: constraints.realVector },
      [kind]: { value: matrix, constraint: kind === "scaleTril" ? constraints.lowerCholesky : constraints.positiveDefinite },
    };
    const { params, batchShape } = broadcastParams(ctx, "MultivariateNormal", specs);
    const n = locT.shape[locT.shape.length - 1]!;
    if (matrix.shape[matrix.shape.length - 1] !== n) {
      throw new DistributionArgumentError("MultivariateNormal", `loc, ${kind}`,
        `MultivariateNormal: ${kind} of shape ${formatShape(matrix.shape)} does not match loc of shape ${formatShape(locT.shape)} (event size ${n})`);
    }
    super(ctx, batchShape, [n]);
    this.loc = params.loc!;
    this.tril = kind === "scaleTril" ? matrix
      : kind === "covarianceMatrix" ? ops.cholesky(matrix) : precisionToScaleTril(ops, matrix);
  }

  /** The lower Cholesky factor of the covariance, `batchShape ++ [n, n]`. */
  get scaleTril(): Tensor {
    const n = this.eventShape[0]!;
    return expandTo(this.ops, this.tril, [...this.batchShape, n, n]);
  }

  /** `L Lᵀ`, `batchShape ++ [n, n]`. */
  get covarianceMatrix(): Tensor {
    const l = this.scaleTril;
    return this.ops.matmul(l, transposeLast(this.ops, l));
  }

  /** `(L Lᵀ)⁻¹`, `batchShape ++ [n, n]`. */
  get precisionMatrix(): Tensor {
    return choleskyInverse(this.ops, this.scaleTril);
  }

  /** `realVector`. */
  get support(): Constraint {
    return constraints.realVector;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `-½ (n log 2π + ‖L⁻¹(x - loc)‖²) - Σ log L_ii`. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const m = batchMahalanobis(ops, this.tril, ops.sub(x, this.loc));
    const n = this.eventShape[0]!;
    return ops.sub(ops.mul(-0.5, ops.add(m, 2 * n * HALF_LOG_2PI)), halfLogDet(ops, this.tril));
  }

  /** `loc + L ε` with `ε ~ Normal(0, I)`. */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const eps = standardNormalTensor(this.ops, key, this.shape(sampleShape));
    return this.ops.add(this.loc, matvec(this.ops, this.tril, eps));
  }

  /** `loc`. */
  override get mean(): Tensor {
    return this.loc;
  }

  /** The diagonal of the covariance, `Σ_j L_ij²`. */
  override get variance(): Tensor {
    return expandTo(this.ops, this.ops.sum(this.ops.square(this.tril), -1), this.shape());
  }

  /** `½ n (1 + log 2π) + Σ log L_ii`. */
  override entropy(): Tensor {
    const n = this.eventShape[0]!;
    const h = this.ops.add(halfLogDet(this.ops, this.tril), n * (0.5 + HALF_LOG_2PI));
    return expandTo(this.ops, h, this.batchShape);
  }

  /** `2 Σ log L_ii`. */
  logDetCovariance(): Tensor {
    return this.ops.mul(2, halfLogDet(this.ops, this.tril));
  }

  /** `‖L⁻¹ x‖²`. */
  mahalanobis(x: Tensor): Tensor {
    return batchMahalanobis(this.ops, this.tril, x);
  }

  /** `‖L⁻¹ F‖²_F`. */
  traceInverseTimes(f: Tensor): Tensor {
    return this.ops.sum(this.ops.square(this.ops.triangularSolve(this.tril, f, { lower: true })), [-2, -1]);
  }

  /** `L`. */
  covarianceRoot(): Tensor {
    return this.tril;
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): MultivariateNormal {
    return expandParams(this, batchShape,
      (grow) => new MultivariateNormal(this.ctx, grow(this.loc, 1), { scaleTril: grow(this.tril, 2) }));
  }
}
