/**
 * The models, data sets and answer checks the benchmark cases share: Bayesian
 * logistic regression (the fixed N=3000 data set and synthetic ones of any
 * size), eight schools (non-centered), and tolerances derived from Monte
 * Carlo standard errors.
 */
import { readFileSync } from "node:fs";
import { dist, ops, pyro, type Tensor } from "../src/index.js";
import { normal, PRNGKey, split, uniform } from "../src/tensor/random/index.js";

/** Posterior mean and sd of one quantity. */
export interface RefStat {
  readonly mean: number;
  readonly sd: number;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), "utf8")) as T;
}

/** bench/data/reference.json: reference posteriors. */
export const reference = readJson<{
  eight_schools: Record<"mu" | "tau", RefStat>;
  logreg: Record<"w0" | "w1" | "w2" | "b", RefStat> & { is_ess: number };
}>("reference.json");

/** A logistic-regression data set: row-major `X` (N × D) and 0/1 `y`. */
export interface LogregData {
  readonly N: number;
  readonly D: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
}

/** bench/data/logreg.json: N=3000, D=3, true coefficients [1, 2, 3], intercept 0. */
export function logregData(): LogregData {
  const raw = readJson<{ X: number[][]; y: number[] }>("logreg.json");
  return { N: raw.X.length, D: raw.X[0]!.length, X: Float64Array.from(raw.X.flat()), y: Float64Array.from(raw.y) };
}

/**
 * A synthetic data set like logreg.json, of any size, from the library's
 * seeded sampler: X ~ N(0, 1) (Threefry key 2024), coefficients [1, 2, 3],
 * intercept 0, y ~ Bernoulli(sigmoid(X·w)) by inverse CDF of uniforms.
 */
export function syntheticLogreg(N: number): LogregData {
  const D = 3;
  const [kx, ky] = split(PRNGKey(2024));
  const X = normal(kx!, N * D);
  const u = uniform(ky!, N);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const l = X[i * D]! + 2 * X[i * D + 1]! + 3 * X[i * D + 2]!;
    y[i] = u[i]! < 1 / (1 + Math.exp(-l)) ? 1 : 0;
  }
  return { N, D, X, y };
}

/** The data as tensors of the current backend (a flat array reshaped: every backend accepts it). */
export function logregTensors(data: LogregData): { x: Tensor; y: Tensor } {
  const x = ops.keep(ops.reshape(ops.tensor(Array.from(data.X)), [data.N, data.D]));
  const y = ops.keep(ops.tensor(Array.from(data.y)));
  return { x, y };
}

/** Bayesian logistic regression: w ~ N(0, 1)^D, b ~ N(0, 1), y_i ~ Bernoulli(logits = x_i·w + b). */
export const logregModel = pyro.model(function* (x: Tensor, y: Tensor) {
  const D = x.shape[1]!;
  const w = yield* pyro.sample("w", dist.Normal(ops.zeros([D]), 1).toEvent(1));
  const b = yield* pyro.sample("b", dist.Normal(0, 1));
  yield* pyro.plate("data", x.shape[0]!, function* () {
    const logits = ops.add(ops.matmul(x, w), b);
    yield* pyro.sample("y", dist.Bernoulli({ logits }), { obs: y });
  });
});

/** The hand-written mean-field Normal guide of {@link logregModel} (initial scales 0.1, as every contender). */
export const logregGuide = pyro.model(function* (x: Tensor, _y: Tensor) {
  const D = x.shape[1]!;
  const wLoc = yield* pyro.param("w_loc", ops.zeros([D]));
  const wScale = yield* pyro.param("w_scale", ops.full([D], 0.1), { constraint: dist.constraints.positive });
  const bLoc = yield* pyro.param("b_loc", 0);
  const bScale = yield* pyro.param("b_scale", 0.1, { constraint: dist.constraints.positive });
  yield* pyro.sample("w", dist.Normal(wLoc, wScale).toEvent(1));
  yield* pyro.sample("b", dist.Normal(bLoc, bScale));
});

/** The labels of the logistic-regression coefficients, in the order [w0, w1, w2, b]. */
export const LOGREG_NAMES = ["w0", "w1", "w2", "b"] as const;

/**
 * Checks SVI's posterior means [w0, w1, w2, b] against the reference
 * posterior: within 3 posterior sd. A mean-field Normal guide's means are
 * close to the posterior means for this well-conditioned posterior, and an
 * unconverged or broken fit misses by many sd; the remaining SVI noise
 * (Adam at lr 0.05 with one-sample gradients) is a fraction of an sd.
 */
export function checkLogregMeans(means: readonly number[]): string | undefined {
  for (let i = 0; i < 4; i++) {
    const ref = reference.logreg[LOGREG_NAMES[i]!];
    if (!(Math.abs(means[i]! - ref.mean) < 3 * ref.sd)) {
      return `${LOGREG_NAMES[i]} = ${means[i]!.toFixed(3)}, reference ${ref.mean.toFixed(3)} ± 3 × ${ref.sd.toFixed(3)}`;
    }
  }
  return undefined;
}

/** Eight schools' data (bench/data/eight_schools.json). */
export const eightSchoolsData = readJson<{ J: number; y: number[]; sigma: number[] }>("eight_schools.json");

/** Eight schools, non-centered: theta = mu + tau · theta_tilde, mu ~ N(0, 5), tau ~ HalfCauchy(5). */
export const eightSchoolsModel = pyro.model(function* (sigma: Tensor, y: Tensor) {
  const mu = yield* pyro.sample("mu", dist.Normal(0, 5));
  const tau = yield* pyro.sample("tau", dist.HalfCauchy(5));
  yield* pyro.plate("J", 8, function* () {
    const thetaTilde = yield* pyro.sample("theta_tilde", dist.Normal(0, 1));
    const theta = ops.add(mu, ops.mul(tau, thetaTilde));
    yield* pyro.sample("obs", dist.Normal(theta, sigma), { obs: y });
  });
});

/** A mean-field guide of {@link eightSchoolsModel}: Normal for mu and theta_tilde, LogNormal for tau (locs 0, scales 1). */
export const eightSchoolsGuide = pyro.model(function* (_sigma: Tensor, _y: Tensor) {
  const muLoc = yield* pyro.param("mu_loc", 0);
  const muScale = yield* pyro.param("mu_scale", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("mu", dist.Normal(muLoc, muScale));
  const tauLoc = yield* pyro.param("tau_loc", 0);
  const tauScale = yield* pyro.param("tau_scale", 1, { constraint: dist.constraints.positive });
  yield* pyro.sample("tau", dist.LogNormal(tauLoc, tauScale));
  const thetaLoc = yield* pyro.param("theta_loc", ops.zeros([8]));
  const thetaScale = yield* pyro.param("theta_scale", ops.ones([8]), { constraint: dist.constraints.positive });
  yield* pyro.plate("J", 8, function* () {
    yield* pyro.sample("theta_tilde", dist.Normal(thetaLoc, thetaScale));
  });
});
