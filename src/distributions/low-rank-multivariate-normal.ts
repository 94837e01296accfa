/**
 * The multivariate normal with low-rank-plus-diagonal covariance
 * `LowRankMultivariateNormal(loc, covFactor, covDiag)`.
 *
 * @module
 */
import { split, type RandomKey } from "../tensor/random/index.js";
import { formatShape } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { batchMahalanobis, halfLogDet, matvec, traceXXT, transposeLast } from "./linalg.js";
import type { GaussianAlgebra } from "./multivariate-normal.js";
import { broadcastParams, expandParams } from "./params.js";
import { standardNormalTensor } from "./sampling.js";
import { asTensor, HALF_LOG_2PI } from "./util.js";

const realMatrix = constraints.independent(constraints.real, 2);
const positiveVector = constraints.independent(constraints.positive, 1);

/**
 * The multivariate normal with mean `loc` (`[..., n]`) and covariance
 * `W Wᵀ + diag(D)` for `W = covFactor` (`[..., n, m]`, usually `m ≪ n`) and
 * `D = covDiag` (`[..., n]`, positive). `logProb` uses the Woodbury identity
 * and the matrix determinant lemma through the `m × m` capacitance matrix
 * `K = I + Wᵀ D⁻¹ W` and its Cholesky factor `C`, so it costs `O(n m²)`:
 * `Σ⁻¹ = D⁻¹ - D⁻¹ W K⁻¹ Wᵀ D⁻¹` and `log det Σ = log det K + Σ log D`.
 * Draws are `loc + W ε_W + √D ε_D` (reparameterized).
 *
 * @example
 * ```ts
 * const d = dist.LowRankMultivariateNormal(ops.zeros([3]), [[1], [0.5], [0]], [1, 1, 2]);
 * d.logProb([0.1, 0.2, 0.3]);
 * ```
 */
export class LowRankMultivariateNormal extends Distribution implements GaussianAlgebra {
  /** The mean, `batchShape ++ [n]`. */
  readonly loc: Tensor;
  /** The covariance factor `W`, `batchShape ++ [n, m]`. */
  readonly covFactor: Tensor;
  /** The covariance diagonal `D`, `batchShape ++ [n]`. */
  readonly covDiag: Tensor;
  /** `Wᵀ D⁻¹`, `batchShape ++ [m, n]`. */
  private readonly wtDinv: Tensor;
  /** The Cholesky factor `C` of the capacitance `I + Wᵀ D⁻¹ W`, `batchShape ++ [m, m]`. */
  private readonly capacitanceTril: Tensor;

  /** Makes `LowRankMultivariateNormal(loc, covFactor, covDiag)`. */
  constructor(ctx: DistContext, loc: Param, covFactor: Param, covDiag: Param) {
    const { ops } = ctx;
    const locT = asTensor(ops, loc);
    const w = asTensor(ops, covFactor);
    const d = asTensor(ops, covDiag);
    const { params, batchShape } = broadcastParams(ctx, "LowRankMultivariateNormal", {
      loc: { value: locT, constraint: constraints.realVector },
      covFactor: { value: w, constraint: realMatrix },
      covDiag: { value: d, constraint: positiveVector },
    });
    const n = locT.shape[locT.shape.length - 1]!;
    if (w.shape[w.shape.length - 2] !== n || d.shape[d.shape.length - 1] !== n) {
      throw new DistributionArgumentError("LowRankMultivariateNormal", "loc, covFactor, covDiag",
        `LowRankMultivariateNormal: covFactor must be [..., ${n}, m] and covDiag [..., ${n}] to match loc of shape ` +
        `${formatShape(locT.shape)}, got ${formatShape(w.shape)} and ${formatShape(d.shape)}`);
    }
    super(ctx, batchShape, [n]);
    this.loc = params.loc;
    this.covFactor = params.covFactor;
    this.covDiag = params.covDiag;
    this.wtDinv = ops.div(transposeLast(ops, this.covFactor), ops.unsqueeze(this.covDiag, -2));
    const m = this.covFactor.shape[this.covFactor.shape.length - 1]!;
    this.capacitanceTril = ops.cholesky(ops.add(ops.matmul(this.wtDinv, this.covFactor), ops.eye(m)));
  }

  /** `W Wᵀ + diag(D)`, `batchShape ++ [n, n]`. */
  get covarianceMatrix(): Tensor {
    const { ops } = this;
    return ops.add(ops.matmul(this.covFactor, transposeLast(ops, this.covFactor)), ops.diagEmbed(this.covDiag));
  }

  /** The lower Cholesky factor of the covariance. */
  get scaleTril(): Tensor {
    return this.ops.cholesky(this.covarianceMatrix);
  }

  /** `D⁻¹ - Aᵀ A` with `A = C⁻¹ Wᵀ D⁻¹` (Woodbury). */
  get precisionMatrix(): Tensor {
    const { ops } = this;
    const a = ops.triangularSolve(this.capacitanceTril, this.wtDinv, { lower: true });
    return ops.sub(ops.diagEmbed(ops.reciprocal(this.covDiag)), ops.matmul(transposeLast(ops, a), a));
  }

  /** `realVector`. */
  get support(): Constraint {
    return constraints.realVector;
  }

  /** `true`. */
  override get hasRsample(): boolean {
    return true;
  }

  /** `-½ (n log 2π + log det Σ + (x - loc)ᵀ Σ⁻¹ (x - loc))`, by Woodbury and the determinant lemma. */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const n = this.eventShape[0]!;
    const m = this.mahalanobis(ops.sub(x, this.loc));
    return ops.mul(-0.5, ops.add(ops.add(m, this.logDetCovariance()), 2 * n * HALF_LOG_2PI));
  }

  /** `loc + W ε_W + √D ε_D` with independent standard normal `ε_W` (`[..., m]`) and `ε_D` (`[..., n]`). */
  override rsample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const [kw, kd] = split(key, 2) as [RandomKey, RandomKey];
    const m = this.covFactor.shape[this.covFactor.shape.length - 1]!;
    const epsW = standardNormalTensor(ops, kw, [...sampleShape, ...this.batchShape, m]);
    const epsD = standardNormalTensor(ops, kd, this.shape(sampleShape));
    return ops.add(ops.add(this.loc, matvec(ops, this.covFactor, epsW)), ops.mul(ops.sqrt(this.covDiag), epsD));
  }

  /** `loc`. */
  override get mean(): Tensor {
    return this.loc;
  }

  /** `Σ_j W_ij² + D_i`. */
  override get variance(): Tensor {
    return this.ops.add(this.ops.sum(this.ops.square(this.covFactor), -1), this.covDiag);
  }

  /** `½ (n (1 + log 2π) + log det Σ)`. */
  override entropy(): Tensor {
    const n = this.eventShape[0]!;
    return this.ops.add(this.ops.mul(0.5, this.logDetCovariance()), n * (0.5 + HALF_LOG_2PI));
  }

  /** `2 Σ log C_ii + Σ log D_i` (matrix determinant lemma). */
  logDetCovariance(): Tensor {
    const { ops } = this;
    return ops.add(ops.mul(2, halfLogDet(ops, this.capacitanceTril)), ops.sum(ops.log(this.covDiag), -1));
  }

  /** `xᵀ D⁻¹ x - ‖C⁻¹ Wᵀ D⁻¹ x‖²` (Woodbury). */
  mahalanobis(x: Tensor): Tensor {
    const { ops } = this;
    const t1 = ops.sum(ops.div(ops.square(x), this.covDiag), -1);
    return ops.sub(t1, batchMahalanobis(ops, this.capacitanceTril, matvec(ops, this.wtDinv, x)));
  }

  /** `‖D^(-½) F‖²_F - ‖C⁻¹ Wᵀ D⁻¹ F‖²_F`. */
  traceInverseTimes(f: Tensor): Tensor {
    const { ops } = this;
    const t1 = traceXXT(ops, ops.div(f, ops.unsqueeze(ops.sqrt(this.covDiag), -1)));
    const a = ops.triangularSolve(this.capacitanceTril, ops.matmul(this.wtDinv, f), { lower: true });
    return ops.sub(t1, traceXXT(ops, a));
  }

  /** `[W, diag(√D)]`, `batchShape ++ [n, m + n]`. */
  covarianceRoot(): Tensor {
    const { ops } = this;
    return ops.concat([this.covFactor, ops.diagEmbed(ops.sqrt(this.covDiag))], -1);
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): LowRankMultivariateNormal {
    return expandParams(this, batchShape, (grow) =>
      new LowRankMultivariateNormal(this.ctx, grow(this.loc, 1), grow(this.covFactor, 2), grow(this.covDiag, 1)));
  }
}
