/**
 * Bayesian logistic regression on fixed synthetic data, with an independent
 * float64 reference written in plain JavaScript: the MAP by Newton's method,
 * the analytic Hessian `XᵀWX + I` of the negative log joint, and the
 * posterior mean by self-normalized importance sampling from the Laplace
 * approximation.
 *
 * θ = (w₀, w₁, w₂, b), every coordinate with prior Normal(0, 1);
 * y_i ~ Bernoulli(logits = x_i·w + b), N = 500, D = 3.
 */
import { dist, ops, pyro, type Tensor } from "../../../src/index.js";
import { PRNGKey, normal, uniform } from "../../../src/tensor/random/index.js";

export const N = 500;
export const D = 3;
/** The number of latent coordinates, (w, b). */
export const P = D + 1;

/** Features, row-major N × D, standard normal (fixed key). */
export const X = normal(PRNGKey(7), N * D);
/** Labels drawn with w = (1, −0.5, 0.25), b = 0.3 (fixed key). */
export const Y = (() => {
  const u = uniform(PRNGKey(8), N);
  const w = [1, -0.5, 0.25];
  return Float64Array.from({ length: N }, (_, i) => {
    let z = 0.3;
    for (let j = 0; j < D; j++) z += X[i * D + j]! * w[j]!;
    return u[i]! < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
})();

/** The model: `w` a vector site, `b` a scalar site, `y` observed in a plate. */
export const logisticModel = pyro.model(function* (x: Tensor, y: Tensor | undefined) {
  const w = yield* pyro.sample("w", dist.Normal(ops.zeros([D]), 1).toEvent(1));
  const b = yield* pyro.sample("b", dist.Normal(0, 1));
  yield* pyro.plate("data", N, function* () {
    yield* pyro.sample("y", dist.Bernoulli({ logits: ops.add(ops.sum(ops.mul(x, w), -1), b) }), { obs: y });
  });
});

/** The negative log joint (up to a constant), its gradient and Hessian at θ. */
export function negLogJoint(theta: readonly number[]): { u: number; grad: number[]; hess: number[][] } {
  const grad = theta.slice();
  const hess: number[][] = theta.map((_, i) => theta.map((__, j) => (i === j ? 1 : 0)));
  let u = theta.reduce((a, v) => a + v * v / 2, 0);
  for (let i = 0; i < N; i++) {
    const xi = [X[i * D]!, X[i * D + 1]!, X[i * D + 2]!, 1];
    const z = xi.reduce((a, v, k) => a + v * theta[k]!, 0);
    const p = 1 / (1 + Math.exp(-z));
    u += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - Y[i]! * z;
    for (let a = 0; a < P; a++) {
      grad[a] = grad[a]! + (p - Y[i]!) * xi[a]!;
      for (let c = 0; c < P; c++) hess[a]![c] = hess[a]![c]! + p * (1 - p) * xi[a]! * xi[c]!;
    }
  }
  return { u, grad, hess };
}

/** Solves `A x = b` by Gaussian elimination (A symmetric positive definite, small). */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/** The inverse of a small SPD matrix. */
export function inverse(a: readonly (readonly number[])[]): number[][] {
  return a.map((_, i) => solve(a, a.map((__, j) => (i === j ? 1 : 0))));
}

/** The MAP (Newton's method to machine precision) and the inverse Hessian there. */
export const reference = (() => {
  let theta = new Array<number>(P).fill(0);
  for (let it = 0; it < 30; it++) {
    const { grad, hess } = negLogJoint(theta);
    const step = solve(hess, grad);
    theta = theta.map((v, i) => v - step[i]!);
  }
  const cov = inverse(negLogJoint(theta).hess);
  return { mode: theta, cov, sd: cov.map((r, i) => Math.sqrt(r[i]!)) };
})();

/**
 * The posterior mean by self-normalized importance sampling with the Laplace
 * approximation as proposal (`m` draws from a fixed key), and each
 * coordinate's standard error `√(Σ w̃_k² (θ_k − mean)²)`.
 */
export function importanceSamplingMean(m = 20000): { mean: number[]; se: number[] } {
  const { mode, cov } = reference;
  const l: number[][] = cov.map(() => new Array<number>(P).fill(0));
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
    }
  }
  const eps = normal(PRNGKey(99), m * P);
  const u0 = negLogJoint(mode).u;
  const thetas: number[][] = [];
  const logW: number[] = [];
  for (let k = 0; k < m; k++) {
    const e = Array.from(eps.subarray(k * P, (k + 1) * P));
    const th = mode.map((v, i) => v + l[i]!.reduce((a, lij, j) => a + lij * e[j]!, 0));
    thetas.push(th);
    let u = th.reduce((a, v) => a + v * v / 2, 0);
    for (let i = 0; i < N; i++) {
      const z = X[i * D]! * th[0]! + X[i * D + 1]! * th[1]! + X[i * D + 2]! * th[2]! + th[3]!;
      u += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - Y[i]! * z;
    }
    logW.push(-(u - u0) + 0.5 * e.reduce((a, v) => a + v * v, 0));
  }
  const top = Math.max(...logW);
  const w = logW.map((v) => Math.exp(v - top));
  const total = w.reduce((a, v) => a + v, 0);
  const mean = mode.map((_, i) => thetas.reduce((a, th, k) => a + w[k]! * th[i]!, 0) / total);
  const se = mode.map((_, i) => Math.sqrt(thetas.reduce((a, th, k) => a + (w[k]! / total) ** 2 * (th[i]! - mean[i]!) ** 2, 0)));
  return { mean, se };
}
