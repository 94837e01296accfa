// Shared models and helpers of the JIT ELBO tests: eight schools and logistic
// regression (the benchmark's models, on small test data), a Gaussian
// mixture, and one loss-and-gradient evaluation of an ELBO at the current
// params for a given step key (as SVI makes it).
import assert from "node:assert/strict";
import { dist, ops, pyro, type Tensor } from "../../../src/index.js";
import type { ELBO, ElboContext } from "../../../src/infer/elbo/elbo.js";
import { lossAndParamGrads } from "../../../src/infer/param-grads.js";
import type { Runtime } from "../../../src/handlers/runtime.js";
import type { AnyModel } from "../../../src/program/gen.js";
import { normal, PRNGKey, split, uniform, type RandomKey } from "../../../src/tensor/random/index.js";
import { eightSchoolsData, eightSchoolsGuide, eightSchoolsModel, logregGuide, logregModel } from "../../../bench/models.js";

/** Eight schools, non-centered, and its mean-field guide: the benchmark's. */
export { eightSchoolsModel as schoolsModel, eightSchoolsGuide as schoolsGuide };
/** Bayesian logistic regression (vector coefficient, a plate over the data) and its mean-field guide: the benchmark's. */
export { logregModel, logregGuide };

/** Eight schools' data (sigma, y), as tensors of the current backend. */
export const schoolsData = (): [Tensor, Tensor] => [ops.tensor(eightSchoolsData.sigma), ops.tensor(eightSchoolsData.y)];

/** 100 points of logistic-regression data (coefficients [1, 2, 3], intercept 0), from fixed keys. */
export function logregData(): [Tensor, Tensor] {
  const n = 100;
  const [kx, ky] = split(PRNGKey(11));
  const x = normal(kx!, n * 3);
  const u = uniform(ky!, n);
  const y = Array.from({ length: n }, (_, i) => (u[i]! < 1 / (1 + Math.exp(-(x[3 * i]! + 2 * x[3 * i + 1]! + 3 * x[3 * i + 2]!))) ? 1 : 0));
  return [ops.reshape(ops.tensor(Array.from(x)), [n, 3]), ops.tensor(y)];
}

/** A 3-component Gaussian mixture: latent component means, the assignments enumerated. */
export const mixtureModel = pyro.model(function* (x: Tensor) {
  const locs = yield* pyro.sample("locs", dist.Normal(ops.zeros([3]), 10).toEvent(1));
  yield* pyro.plate("data", x.shape[0]!, function* () {
    const z = yield* pyro.sample("z", dist.Categorical([0.2, 0.3, 0.5]), { infer: { enumerate: "parallel" } });
    yield* pyro.sample("obs", dist.Normal(ops.index(locs, z), 1), { obs: x });
  });
});

/** A Normal guide of the mixture's component means. */
export const mixtureGuide = pyro.model(function* (_x: Tensor) {
  const loc = yield* pyro.param("locs_loc", ops.tensor([-1, 0.5, 1]));
  const scale = yield* pyro.param("locs_scale", ops.full([3], 0.5), { constraint: dist.constraints.positive });
  yield* pyro.sample("locs", dist.Normal(loc, scale).toEvent(1));
});

/** Mixture data: 12 points around -4, 0 and 4. */
export const mixtureData = (): Tensor => ops.tensor([-4.1, 0.3, 3.9, -3.5, 0.1, 4.4, -4.6, -0.2, 4.0, -3.8, 0.6, 3.6]);

/** −ELBO and the gradient of every param in the store, for step key `key`, as SVI computes them. */
export function lossAndGrads<Args extends readonly unknown[]>(
  rt: Runtime, elbo: ELBO, model: AnyModel<Args>, guide: AnyModel<Args>, args: Args, key: RandomKey,
): { loss: number; grads: Map<string, number[]> } {
  const ctx = (run: ElboContext["run"]): ElboContext => ({ ops: rt.ops, run, validate: true, step: key });
  const { loss, params } = lossAndParamGrads(rt, key, (run) => elbo.lossAndSurrogate(ctx(run), model, guide, args), rt.paramStore.names());
  return { loss, grads: new Map([...params].map(([n, p]) => [n, Array.from(rt.ops.toFlat(p.grad))])) };
}

/** Asserts two numbers agree to float64 rounding of differently ordered sums (1e-10 relative). */
export function assertClose(a: number, b: number, what: string): void {
  assert.ok(a === b || Math.abs(a - b) <= 1e-10 * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);
}

/** Asserts two gradient maps agree entry by entry. */
export function assertSameGrads(a: ReadonlyMap<string, number[]>, b: ReadonlyMap<string, number[]>): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, g] of a) g.forEach((v, i) => assertClose(v, b.get(name)![i]!, `∂/∂${name}[${i}]`));
}

/** The i-th step key of a test (distinct, fixed). */
export const stepKey = (i: number): RandomKey => PRNGKey(1000 + i);
