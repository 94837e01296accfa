/**
 * SVI on Bayesian logistic regression (N=3000, D=3) with a hand-written
 * mean-field Normal guide: milliseconds per step on each backend, against a
 * hand-written float64 loop computing the same reparameterized ELBO gradient
 * and Adam update, and the recovered coefficients checked against the
 * reference posterior.
 */
import { readFileSync } from "node:fs";
import { dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import { normal, PRNGKey, split } from "../../src/tensor/random/index.js";
import { measure, table, type Contender, type Timed } from "../harness.js";

const data = JSON.parse(readFileSync(new URL("../data/logreg.json", import.meta.url), "utf8")) as { X: number[][]; y: number[] };
const reference = JSON.parse(readFileSync(new URL("../data/reference.json", import.meta.url), "utf8")).logreg as Record<string, { mean: number; sd: number }>;
const N = data.X.length;
const D = data.X[0]!.length;
const lr = 0.05;

const model = pyro.model(function* (x: Tensor, y: Tensor) {
  const w = yield* pyro.sample("w", dist.Normal(ops.zeros([D]), 1).toEvent(1));
  const b = yield* pyro.sample("b", dist.Normal(0, 1));
  yield* pyro.plate("data", N, function* () {
    const logits = ops.add(ops.matmul(x, w), b);
    yield* pyro.sample("y", dist.Bernoulli({ logits }), { obs: y });
  });
});
const guide = pyro.model(function* (_x: Tensor, _y: Tensor) {
  const wLoc = yield* pyro.param("w_loc", ops.zeros([D]));
  const wScale = yield* pyro.param("w_scale", ops.full([D], 0.1), { constraint: dist.constraints.positive });
  const bLoc = yield* pyro.param("b_loc", 0);
  const bScale = yield* pyro.param("b_scale", 0.1, { constraint: dist.constraints.positive });
  yield* pyro.sample("w", dist.Normal(wLoc, wScale).toEvent(1));
  yield* pyro.sample("b", dist.Normal(bLoc, bScale));
});

/** Checks posterior means within 3 posterior sd of the reference (SVI's mean-field means are close to the posterior's). */
function checkMeans(means: number[]): string | undefined {
  const names = ["w0", "w1", "w2", "b"];
  for (let i = 0; i < 4; i++) {
    const ref = reference[names[i]!]!;
    if (!(Math.abs(means[i]! - ref.mean) < 3 * ref.sd)) return `${names[i]} = ${means[i]!.toFixed(3)}, reference ${ref.mean.toFixed(3)} ± ${ref.sd.toFixed(3)}`;
  }
  return undefined;
}

function backendContender(backend: string, label: string): Contender {
  return {
    name: label,
    setup: () =>
      pyroBackend(backend, (): Timed => {
        pyro.clearParamStore();
        const x = ops.tensor(data.X);
        const y = ops.tensor(data.y);
        ops.keep(x);
        ops.keep(y);
        const svi = new infer.SVI(model, guide, optim.Adam({ lr }), new infer.TraceELBO());
        let steps = 0;
        // svi.step is bound to its backend; re-entering pyroBackend here would
        // reseed with 1 on every step (pyroapi's semantics) and reuse one draw.
        return {
          run: () => {
            svi.step(x, y);
            steps++;
          },
          check: () =>
            pyroBackend(backend, () =>
              checkMeans([...Array.from(ops.toFlat(pyro.getParam("w_loc"))), ops.item(pyro.getParam("b_loc"))]),
            ),
          extra: () => ({ steps }),
        };
      }),
  };
}

/** The same ELBO step written by hand on Float64Arrays: the floor a library step is compared with. */
function handLoop(): Contender {
  return {
    name: "hand-written f64 loop",
    setup: (): Timed => {
      const X = Float64Array.from(data.X.flat());
      const y = Float64Array.from(data.y);
      const P = D + 1; // w and b
      const loc = new Float64Array(P);
      const logScale = new Float64Array(P).fill(Math.log(0.1));
      const m = new Float64Array(2 * P);
      const v = new Float64Array(2 * P);
      let t = 0;
      let key = PRNGKey(0);
      const z = new Float64Array(P);
      const gz = new Float64Array(P);
      const grad = new Float64Array(2 * P);
      return {
        run: () => {
          const [k1, k2] = split(key);
          key = k1!;
          const eps = normal(k2!, P);
          for (let j = 0; j < P; j++) z[j] = loc[j]! + Math.exp(logScale[j]!) * eps[j]!;
          // ∂/∂z of log p(y | X, z) + log p(z): the likelihood loop, then the N(0, 1) prior.
          gz.fill(0);
          for (let i = 0; i < N; i++) {
            let l = z[D]!;
            for (let j = 0; j < D; j++) l += X[i * D + j]! * z[j]!;
            const r = y[i]! - 1 / (1 + Math.exp(-l));
            for (let j = 0; j < D; j++) gz[j]! += r * X[i * D + j]!;
            gz[D]! += r;
          }
          for (let j = 0; j < P; j++) gz[j]! -= z[j]!;
          // −ELBO gradient: loc gets −gz; log-scale gets −gz·σε − 1 (the entropy term).
          for (let j = 0; j < P; j++) {
            grad[j] = -gz[j]!;
            grad[P + j] = -gz[j]! * Math.exp(logScale[j]!) * eps[j]! - 1;
          }
          t++;
          const c = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
          for (let j = 0; j < 2 * P; j++) {
            m[j] = 0.9 * m[j]! + 0.1 * grad[j]!;
            v[j] = 0.999 * v[j]! + 0.001 * grad[j]! * grad[j]!;
            const step = (c * m[j]!) / (Math.sqrt(v[j]!) + 1e-8);
            if (j < P) loc[j]! -= step;
            else logScale[j - P]! -= step;
          }
        },
        check: () => checkMeans(Array.from(loc)),
      };
    },
  };
}

/** Runs the case: `steps` SVI steps per contender in `repeats` rounds; returns Markdown. */
export async function sviLogregCase(repeats: number, inner: number): Promise<string> {
  const results = await measure("svi-logreg", [handLoop(), backendContender("numpy", "numpy"), backendContender("pyro", "pyro (tfjs)")], repeats, inner);
  return `**SVI step, logistic regression N=${N}, D=${D}, mean-field Normal guide, Adam lr ${lr}** (${repeats * inner} steps each; coefficients checked against the reference posterior)\n\n${table(results, "hand-written f64 loop", "ms per step")}`;
}
