/**
 * `KL(p ‖ q)` between the Gaussian families `MultivariateNormal` and
 * `LowRankMultivariateNormal`, all four pairs by one rule (torch registers
 * each pair separately with the same formula).
 *
 * @module
 */
import type { Tensor } from "../tensor/types.js";
import { registerKL } from "./kl.js";
import { LowRankMultivariateNormal } from "./low-rank-multivariate-normal.js";
import { MultivariateNormal, type GaussianAlgebra } from "./multivariate-normal.js";
import type { Distribution } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";

/**
 * `½ (log det Σq - log det Σp + tr(Σq⁻¹ Σp) + (μq - μp)ᵀ Σq⁻¹ (μq - μp) - n)`,
 * with `tr(Σq⁻¹ Σp) = tr(Σq⁻¹ F Fᵀ)` for a factor `Σp = F Fᵀ`.
 *
 * @throws DistributionArgumentError when the event sizes differ.
 */
export function gaussianKL(p: GaussianAlgebra & Distribution, q: GaussianAlgebra & Distribution): Tensor {
  const { ops } = p;
  const n = p.eventShape[0]!;
  if (q.eventShape[0] !== n) {
    throw new DistributionArgumentError("klDivergence", "p, q",
      `klDivergence: ${p.name} and ${q.name} have different event sizes (${n} and ${q.eventShape[0]})`);
  }
  const logDet = ops.sub(q.logDetCovariance(), p.logDetCovariance());
  const trace = q.traceInverseTimes(p.covarianceRoot());
  const maha = q.mahalanobis(ops.sub(q.loc, p.loc));
  return ops.mul(0.5, ops.sub(ops.add(ops.add(logDet, trace), maha), n));
}

registerKL(MultivariateNormal, MultivariateNormal, gaussianKL);
registerKL(MultivariateNormal, LowRankMultivariateNormal, gaussianKL);
registerKL(LowRankMultivariateNormal, MultivariateNormal, gaussianKL);
registerKL(LowRankMultivariateNormal, LowRankMultivariateNormal, gaussianKL);
