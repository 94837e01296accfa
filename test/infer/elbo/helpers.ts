// Shared helpers of the ELBO estimator tests: one gradient estimate of an
// ELBO at fixed params and key, and sample statistics.
import type { ELBO, ElboContext } from "../../../src/infer/elbo/elbo.js";
import { lossAndParamGrads } from "../../../src/infer/param-grads.js";
import type { AnyModel } from "../../../src/program/gen.js";
import type { Runtime } from "../../../src/handlers/runtime.js";
import { PRNGKey } from "../../../src/tensor/random/key.js";

/** −ELBO and its gradient (w.r.t. the unconstrained params `names`) for one random key. */
export function gradientEstimate<Args extends readonly unknown[]>(
  rt: Runtime,
  elbo: ELBO,
  model: AnyModel<Args>,
  guide: AnyModel<Args>,
  args: Args,
  names: readonly string[],
  seed: number,
): { loss: number; grads: number[] } {
  return rt.ops.tidy(() => {
    const key = PRNGKey(seed);
    const ctx = (run: ElboContext["run"]): ElboContext => ({ ops: rt.ops, run, validate: true, step: seed });
    const { loss, params } = lossAndParamGrads(rt, key, (run) => elbo.lossAndSurrogate(ctx(run), model, guide, args), names);
    return { loss, grads: names.map((n) => rt.ops.item(params.get(n)!.grad)) };
  });
}

/** −ELBO only, for one random key. */
export function lossEstimate<Args extends readonly unknown[]>(
  rt: Runtime,
  elbo: ELBO,
  model: AnyModel<Args>,
  guide: AnyModel<Args>,
  args: Args,
  seed: number,
): number {
  return rt.withKey(PRNGKey(seed), () => elbo.loss({ ops: rt.ops, run: (p) => rt.run(p), validate: true }, model, guide, args));
}

/** Mean, variance (unbiased), standard error of the mean and standard error of the variance of `xs`. */
export function stats(xs: readonly number[]): { mean: number; variance: number; se: number; seVariance: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / n;
  const variance = (m2 * n) / (n - 1);
  // Var(s²) ≈ (μ₄ − σ⁴)/n for large n (the variance of the sample variance).
  return { mean, variance, se: Math.sqrt(variance / n), seVariance: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) };
}
