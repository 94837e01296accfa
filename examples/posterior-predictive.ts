/**
 * A posterior predictive check: draw replicated data from the eight-schools
 * posterior (NUTS samples fed to `Predictive`) and compare them with the
 * observed scores, school by school and through a test statistic.
 *
 * Run with `node --import tsx examples/posterior-predictive.ts [backend]` (default numpy).
 */
import { dist, infer, ops, pyro, pyroBackend, type Tensor } from "../src/index.js";

const y = [28, 8, -3, 7, -1, 1, 18, 12];
const sigma = [15, 10, 16, 11, 9, 11, 10, 18];

const eightSchools = pyro.model(function* (sigma: Tensor, y?: Tensor) {
  const mu = yield* pyro.sample("mu", dist.Normal(0, 5));
  const tau = yield* pyro.sample("tau", dist.HalfCauchy(5));
  yield* pyro.plate("schools", 8, function* () {
    const thetaTilde = yield* pyro.sample("theta_tilde", dist.Normal(0, 1));
    yield* pyro.sample("obs", dist.Normal(ops.add(mu, ops.mul(tau, thetaTilde)), sigma), { obs: y });
  });
});

const backend = process.argv[2] ?? "numpy";
const steps = Number(process.env.EXAMPLE_STEPS ?? 1000);
pyroBackend(backend, () => {
  const s = ops.tensor(sigma);
  const mcmc = new infer.MCMC(new infer.NUTS(eightSchools, { targetAcceptProb: 0.9 }), { numSamples: steps, warmupSteps: steps });
  mcmc.run(s, ops.tensor(y));

  // Replicated data: the model run on each posterior draw, without the observations.
  const predictive = new infer.Predictive(eightSchools, { posteriorSamples: mcmc.getSamples(), returnSites: ["obs"] });
  const yRep = ops.toFlat(predictive.call(s).obs!); // [steps, 8]
  const n = yRep.length / 8;

  console.log(`${"school".padEnd(8)}${"observed".padStart(9)}   replicated 5% / 50% / 95%`);
  for (let j = 0; j < 8; j++) {
    const xs = Array.from({ length: n }, (_, i) => yRep[i * 8 + j]!).sort((a, b) => a - b);
    const q = (p: number) => xs[Math.floor(p * (n - 1))]!.toFixed(1).padStart(7);
    console.log(`${String(j).padEnd(8)}${String(y[j]).padStart(9)}   ${q(0.05)} ${q(0.5)} ${q(0.95)}`);
  }
  // Test statistic: the largest score. p = P(max y_rep ≥ max y | data).
  const maxObserved = Math.max(...y);
  let exceed = 0;
  for (let i = 0; i < n; i++) if (Math.max(...Array.from(yRep.subarray(i * 8, i * 8 + 8))) >= maxObserved) exceed++;
  console.log(`\nPosterior predictive p-value of max(y) = ${maxObserved}: ${(exceed / n).toFixed(2)} (values near 0 or 1 would signal misfit)`);
});
