/**
 * Eight schools under `handlers.trace`: run the model once, then read every
 * site's value, shape and log-density from the trace.
 *
 * Run with `node --import tsx examples/eight-schools-trace.ts [backend]`.
 */
import { dist, handlers, ops, pyro, pyroBackend, type Tensor } from "../src/index.js";

const y = [28, 8, -3, 7, -1, 1, 18, 12];
const sigma = [15, 10, 16, 11, 9, 11, 10, 18];

// Non-centered parameterisation: theta = mu + tau * thetaTilde.
const eightSchools = pyro.model(function* (sigma: Tensor, y?: Tensor) {
  const mu = yield* pyro.sample("mu", dist.Normal(0, 5));
  const tau = yield* pyro.sample("tau", dist.HalfCauchy(5));
  yield* pyro.plate("schools", 8, function* () {
    const thetaTilde = yield* pyro.sample("theta_tilde", dist.Normal(0, 1));
    const theta = yield* pyro.deterministic("theta", ops.add(mu, ops.mul(tau, thetaTilde)));
    yield* pyro.sample("obs", dist.Normal(theta, sigma), { obs: y });
  });
});

pyroBackend(process.argv[2] ?? "pyro", () => {
  const conditioned = handlers.condition(eightSchools, { mu: 4.4, tau: 3.6 });
  const tr = handlers.trace(handlers.seed(conditioned, 0)).getTrace(ops.tensor(sigma), ops.tensor(y));
  console.log(tr.formatShapes());
  console.log();
  tr.computeLogProb();
  for (const site of tr.sampleNodes()) {
    const lp = ops.item(site.logProbSum!);
    const v = Array.from(ops.toFlat(site.value!), (x) => x.toFixed(2));
    console.log(`${site.name.padEnd(12)} ${site.isObserved ? "observed" : "latent  "}  log p = ${lp.toFixed(3).padStart(9)}  value ${v.join(" ")}`);
  }
  console.log(`\nlog joint at mu = 4.4, tau = 3.6: ${ops.item(tr.logProbSum(ops)).toFixed(3)}`);
});
