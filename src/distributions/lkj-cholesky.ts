/**
 * The LKJ distribution over Cholesky factors of correlation matrices,
 * `LKJCholesky(dim, concentration = 1)`.
 *
 * @module
 */
import { beta, split, type RandomKey } from "../tensor/random/index.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import { Distribution, type Param } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { broadcastParams, expandParams } from "./params.js";
import { standardNormalTensor } from "./sampling.js";
import { finfo, flatNumbers } from "./util.js";

/**
 * The LKJ distribution (Lewandowski, Kurowicka and Joe 2009) over the lower
 * Cholesky factors `L` of `dim × dim` correlation matrices `L Lᵀ`, whose
 * density is proportional to `det(L Lᵀ)^(η - 1)` for `η = concentration`.
 * As Pyro (torch): the density of `L` (on its strict lower triangle) is
 * `Π_{i>=1} L_ii^(2(η - 1) + dim - 1 - i)` over the LKJ normaliser. Draws
 * use the onion method — row `i` is `√y_i u_i` for a uniform direction `u_i`
 * in the first `i` coordinates and `y_i ~ Beta(i/2, η + (dim - 2)/2 - (i-1)/2)`,
 * completed by the unit-norm diagonal. These are NumPyro's (and the paper's)
 * Beta parameters; torch's vectorised sampler uses `i - ½` as the first one
 * from row 2 on, which makes `r_ij` (`i >= 2`) too dispersed (the tests check
 * `Var r_ij = 1/(2η + dim - 1)` for every pair).
 *
 * @example
 * ```ts
 * dist.LKJCholesky(3, 2).sample(key); // a 3 × 3 lower Cholesky factor of a correlation matrix
 * ```
 */
export class LKJCholesky extends Distribution {
  /** The matrix size. */
  readonly dim: number;
  /** The concentration η (1: uniform over correlation matrices). */
  readonly concentration: Tensor;

  /** Makes `LKJCholesky(dim, concentration)`; `dim >= 2` whole, `concentration` positive. */
  constructor(ctx: DistContext, dim: number, concentration: Param = 1) {
    if (!Number.isInteger(dim) || dim < 2) {
      throw new DistributionArgumentError("LKJCholesky", "dim", `LKJCholesky: dim must be a whole number >= 2, got ${dim}`);
    }
    const { params, batchShape } = broadcastParams(ctx, "LKJCholesky", {
      concentration: { value: concentration, constraint: constraints.positive },
    });
    super(ctx, batchShape, [dim, dim]);
    this.dim = dim;
    this.concentration = params.concentration;
  }

  /** `corrCholesky`. */
  get support(): Constraint {
    return constraints.corrCholesky;
  }

  /**
   * `Σ_{i=1}^{dim-1} (2(η - 1) + dim - 1 - i) log L_ii` minus the log normaliser
   * `½ (dim - 1) log π + log Γ_{dim-1}(α - ½) - (dim - 1) log Γ(α)`, `α = η + (dim - 1)/2`
   * (`Γ_p` the multivariate gamma function).
   */
  logProb(value: TensorLike): Tensor {
    const { ops } = this;
    const x = this.validateSample(value);
    const d = this.dim;
    const diag = ops.slice(ops.diagonal(x), [...x.shape.slice(0, -2).map(() => 0), 1], [...x.shape.slice(0, -2), d - 1]);
    const eta = ops.unsqueeze(this.concentration, -1);
    const order = ops.add(ops.mul(2, ops.sub(eta, 1)), ops.sub(d - 2, ops.arange(d - 1)));
    const unnormalized = ops.sum(ops.mul(order, ops.log(diag)), -1);
    return ops.sub(unnormalized, this.logNormalizer());
  }

  /** The onion method (torch's vectorised form); not reparameterized. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    const { ops } = this;
    const d = this.dim;
    const [kb, kn] = split(key, 2) as [RandomKey, RandomKey];
    const batch = [...sampleShape, ...this.batchShape];
    const rows = batch.reduce((a, b) => a * b, 1);
    // Row i >= 1: y_i ~ Beta(i/2, η + (d - 2)/2 - (i - 1)/2) (row 0 is [1, 0, ...]).
    const eta = flatNumbers(ops, ops.expand(this.concentration, batch));
    const a = new Float64Array(rows * d);
    const b = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) {
      const marginal = eta[r]! + 0.5 * (d - 2);
      for (let i = 0; i < d; i++) {
        const offset = i === 0 ? 0 : 0.5 * (i - 1);
        a[r * d + i] = offset + 0.5;
        b[r * d + i] = marginal - offset;
      }
    }
    const y = beta(kb, a, b);
    const z = flatNumbers(ops, standardNormalTensor(ops, kn, [rows, d, d]));
    const out = new Float64Array(rows * d * d);
    const { tiny } = finfo(ops.dtype);
    for (let r = 0; r < rows; r++) {
      out[r * d * d] = 1;
      for (let i = 1; i < d; i++) {
        const o = r * d * d + i * d;
        let norm = 0;
        for (let j = 0; j < i; j++) norm += z[o + j]! ** 2;
        const scale = Math.sqrt(y[r * d + i]!) / Math.sqrt(norm);
        let sq = 0;
        for (let j = 0; j < i; j++) {
          out[o + j] = z[o + j]! * scale;
          sq += out[o + j]! ** 2;
        }
        out[o + i] = Math.sqrt(Math.max(1 - sq, tiny));
      }
    }
    return ops.fromFlat(out, this.shape(sampleShape));
  }

  /** Parameters broadcast to `batchShape`. */
  expand(batchShape: Shape): LKJCholesky {
    return expandParams(this, batchShape, (grow) => new LKJCholesky(this.ctx, this.dim, grow(this.concentration)));
  }

  /** `½ (d - 1) log π + log Γ_{d-1}(α - ½) - (d - 1) log Γ(α)` with `α = η + (d - 1)/2`. */
  private logNormalizer(): Tensor {
    const { ops } = this;
    const dm1 = this.dim - 1;
    const alpha = ops.add(this.concentration, 0.5 * dm1);
    // log Γ_p(a) = p (p - 1)/4 log π + Σ_{j=1}^{p} log Γ(a + (1 - j)/2).
    let mvlgamma: Tensor = ops.full(this.batchShape, (dm1 * (dm1 - 1)) / 4 * Math.log(Math.PI));
    for (let j = 1; j <= dm1; j++) mvlgamma = ops.add(mvlgamma, ops.lgamma(ops.add(alpha, -0.5 + (1 - j) / 2)));
    const denominator = ops.mul(ops.lgamma(alpha), dm1);
    return ops.add(ops.sub(mvlgamma, denominator), 0.5 * dm1 * Math.log(Math.PI));
  }
}
