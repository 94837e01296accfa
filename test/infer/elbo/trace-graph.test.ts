// TraceGraphELBO (Pyro's TraceGraph_ELBO): downstream costs, baselines, and
// gradient estimates checked against the exact ELBO gradient of a model small
// enough to sum over its discrete latents.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend, type AnyModel, type Tensor, type Trace } from "../../../src/index.js";
import { numpyBackend } from "../../../src/dispatch/standard-backends.js";
import { downstreamCosts } from "../../../src/infer/elbo/downstream-costs.js";
import type { ELBO } from "../../../src/infer/elbo/elbo.js";
import { gradientEstimate, stats } from "./helpers.js";

// w → y is upstream of the discrete latents z1, z2, which explain x. The guide
// for w is deliberately poor (sd 2 against a posterior sd ≈ 0.45), so
// log p(w, y) − log q(w) is noisy; TraceELBO weights ∇log q(z) by it,
// TraceGraphELBO does not (w and y precede z in both traces).
const Y = 1.0;
const XS = [1.5, 0.8, 2.1];
const P1 = 0.4;
const P2 = 0.7;
const model = pyro.model(function* () {
  const w = yield* pyro.sample("w", dist.Normal(0, 1));
  yield* pyro.sample("y", dist.Normal(w, 0.5), { obs: Y });
  const z1 = yield* pyro.sample("z1", dist.Bernoulli(P1));
  const z2 = yield* pyro.sample("z2", dist.Bernoulli(P2));
  yield* pyro.plate("data", XS.length, function* () {
    yield* pyro.sample("x", dist.Normal(ops.add(ops.mul(z1, 2), z2), 1), { obs: XS });
  });
});
const makeGuide = (baseline: boolean) =>
  pyro.model(function* () {
    const m = yield* pyro.param("m", 0.3);
    const s = yield* pyro.param("s", 2, { constraint: dist.constraints.positive });
    const t1 = yield* pyro.param("t1", 0.2);
    const t2 = yield* pyro.param("t2", -0.3);
    const infer = baseline ? { baseline: { useDecayingAverageBaseline: true, baselineBeta: 0.9 } } : {};
    yield* pyro.sample("w", dist.Normal(m, s));
    yield* pyro.sample("z1", dist.Bernoulli({ logits: t1 }), { infer });
    yield* pyro.sample("z2", dist.Bernoulli({ logits: t2 }), { infer });
  });
const NAMES = ["m", "s", "t1", "t2"] as const;
const AT = { m: 0.3, u: Math.log(2), t1: 0.2, t2: -0.3 };

const LOG2PI = Math.log(2 * Math.PI);
const logNormal = (x: number, loc: number, sd: number) => -0.5 * LOG2PI - Math.log(sd) - (0.5 * (x - loc) ** 2) / sd ** 2;
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** The exact ELBO: Gaussian expectations in closed form, the discrete latents summed out. */
function exactElbo(m: number, u: number, t1: number, t2: number): number {
  const s = Math.exp(u);
  const wPart =
    -0.5 * LOG2PI - 0.5 * (m * m + s * s) + // E log N(w; 0, 1)
    (-0.5 * LOG2PI - Math.log(0.5) - ((Y - m) ** 2 + s * s) / (2 * 0.25)) + // E log N(y; w, 0.5)
    0.5 * Math.log(2 * Math.PI * Math.E * s * s); // entropy of q(w)
  let zPart = 0;
  for (const z1 of [0, 1]) {
    for (const z2 of [0, 1]) {
      const q1 = z1 ? sigmoid(t1) : 1 - sigmoid(t1);
      const q2 = z2 ? sigmoid(t2) : 1 - sigmoid(t2);
      const logP = Math.log(z1 ? P1 : 1 - P1) + Math.log(z2 ? P2 : 1 - P2) + XS.reduce((a, x) => a + logNormal(x, 2 * z1 + z2, 1), 0);
      zPart += q1 * q2 * (logP - Math.log(q1) - Math.log(q2));
    }
  }
  return wPart + zPart;
}

/** d(−ELBO)/d(m, log s, t1, t2) by central differences of the float64 closed form (error ≈ h²·|f'''| ≈ 1e-10). */
function exactLossGradient(): number[] {
  const h = 1e-5;
  const x = [AT.m, AT.u, AT.t1, AT.t2];
  return x.map((_, i) => {
    const up = [...x];
    const down = [...x];
    up[i]! += h;
    down[i]! -= h;
    return -(exactElbo(...(up as [number, number, number, number])) - exactElbo(...(down as [number, number, number, number]))) / (2 * h);
  });
}

function setParams(): void {
  pyro.clearParamStore();
  const store = pyro.getParamStore();
  store.set("m", AT.m);
  store.set("s", Math.exp(AT.u), { constraint: dist.constraints.positive });
  store.set("t1", AT.t1);
  store.set("t2", AT.t2);
}

function sampleGradients(rt: typeof numpyBackend.runtime, elbo: ELBO, baseline: boolean, n: number, seed0: number): number[][] {
  const guide = makeGuide(baseline);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(gradientEstimate(rt, elbo, model, guide, [], NAMES, seed0 + i).grads);
  return out;
}

describe("TraceGraphELBO (numpy)", () => {
  it("gives unbiased gradients, as TraceELBO does, with lower variance on the discrete sites", (t) =>
    pyroBackend("numpy", () => {
      const rt = numpyBackend.runtime;
      setParams();
      const exact = exactLossGradient();
      const n = 1500;
      const estimators = {
        TraceELBO: sampleGradients(rt, new infer.TraceELBO(), false, n, 1),
        TraceGraphELBO: sampleGradients(rt, new infer.TraceGraphELBO(), false, n, 1),
        "TraceGraphELBO+baseline": sampleGradients(rt, new infer.TraceGraphELBO(), true, n, 1),
      };
      const variances: Record<string, number[]> = {};
      for (const [name, grads] of Object.entries(estimators)) {
        variances[name] = [];
        NAMES.forEach((param, j) => {
          const st = stats(grads.map((g) => g[j]!));
          variances[name]!.push(st.variance);
          // Unbiased: the mean of n independent estimates is within 4 standard errors of the exact gradient.
          // (With the decaying baseline, successive estimates are uncorrelated: the baseline is fixed given the past.)
          assert.ok(
            Math.abs(st.mean - exact[j]!) < 4 * st.se,
            `${name} d/d${param}: mean ${st.mean} ± ${st.se} vs exact ${exact[j]}`,
          );
        });
      }
      // Lower variance on the discrete sites' logits: the difference of sample variances exceeds
      // 4 standard errors of that difference (each from the variance of the sample variance).
      for (const [j, param] of [[2, "t1"], [3, "t2"]] as const) {
        const tr = stats(estimators.TraceELBO.map((g) => g[j]!));
        for (const name of ["TraceGraphELBO", "TraceGraphELBO+baseline"] as const) {
          const g = stats(estimators[name].map((x) => x[j]!));
          const margin = 4 * Math.hypot(tr.seVariance, g.seVariance);
          assert.ok(tr.variance - g.variance > margin, `${name} d/d${param}: variance ${g.variance} vs TraceELBO ${tr.variance} (margin ${margin})`);
        }
        const plain = stats(estimators.TraceGraphELBO.map((x) => x[j]!));
        const based = stats(estimators["TraceGraphELBO+baseline"].map((x) => x[j]!));
        assert.ok(plain.variance - based.variance > 4 * Math.hypot(plain.seVariance, based.seVariance), `baseline d/d${param}: ${based.variance} vs ${plain.variance}`);
        t.diagnostic(
          `gradient variance d/d${param}: TraceELBO ${tr.variance.toFixed(3)}, TraceGraphELBO ${plain.variance.toFixed(3)} ` +
            `(ratio ${(tr.variance / plain.variance).toFixed(1)}), with decaying-average baseline ${based.variance.toFixed(3)} ` +
            `(ratio ${(tr.variance / based.variance).toFixed(1)})`,
        );
      }
    }));
});

/** The guide's trace and the model's trace replayed on it, with log-densities. */
function tracesOf(m: AnyModel<[]>, g: AnyModel<[]>): { modelTrace: Trace; guideTrace: Trace } {
  const guideTrace = handlers.trace(g).getTrace();
  const modelTrace = handlers.trace(handlers.replay(m, { trace: guideTrace })).getTrace();
  modelTrace.computeLogProb();
  guideTrace.computeLogProb();
  return { modelTrace, guideTrace };
}
const flat = (t: Tensor | undefined): number[] => Array.from(ops.toFlat(t!));
const close = (a: number[], b: number[], what: string) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-12 * (1 + Math.abs(b[i]!)), `${what}[${i}]: ${v} vs ${b[i]}`));

describe("downstream costs (numpy)", () => {
  it("keep a site's own and later terms and the later model sites, not the upstream ones", () =>
    pyroBackend("numpy", () => {
      setParams();
      const { modelTrace, guideTrace } = tracesOf(model, makeGuide(false));
      const lp = (tr: Trace, n: string) => ops.item(tr.get(n)!.logProbSum!);
      const r = (n: string) => lp(modelTrace, n) - lp(guideTrace, n);
      const costs = downstreamCosts(ops, modelTrace, guideTrace, guideTrace.nonreparamStochasticNodes());
      close(flat(costs.get("z1")), [r("z1") + r("z2") + lp(modelTrace, "x")], "cost(z1)");
      close(flat(costs.get("z2")), [r("z2") + lp(modelTrace, "x")], "cost(z2)");

      // The guide draws z2 before z1: z1 is a guide descendant of z2, while for z1
      // the model's later site z2 adds its log p only (q(z2) does not depend on z1).
      const swapped = pyro.model(function* () {
        yield* pyro.sample("w", dist.Normal(0.3, 2));
        yield* pyro.sample("z2", dist.Bernoulli(0.45));
        yield* pyro.sample("z1", dist.Bernoulli(0.55));
      });
      const t2 = tracesOf(model, swapped);
      const r2 = (n: string) => lp(t2.modelTrace, n) - lp(t2.guideTrace, n);
      const c2 = downstreamCosts(ops, t2.modelTrace, t2.guideTrace, t2.guideTrace.nonreparamStochasticNodes());
      close(flat(c2.get("z2")), [r2("z2") + r2("z1") + lp(t2.modelTrace, "x")], "cost(z2)");
      close(flat(c2.get("z1")), [r2("z1") + lp(t2.modelTrace, "z2") + lp(t2.modelTrace, "x")], "cost(z1)");
    }));

  it("are batched over the site's plates: each local latent gets its own terms and the shared later ones", () =>
    pyroBackend("numpy", () => {
      const xs = [0.3, 1.7, -0.4, 0.9];
      const local = pyro.model(function* () {
        yield* pyro.plate("data", 4, function* () {
          const z = yield* pyro.sample("z", dist.Bernoulli(0.3));
          yield* pyro.sample("x", dist.Normal(z, 1), { obs: xs });
        });
        yield* pyro.sample("g", dist.Normal(0, 1), { obs: 0.5 });
      });
      const localGuide = pyro.model(function* () {
        yield* pyro.plate("data", 4, function* () {
          yield* pyro.sample("z", dist.Bernoulli(ops.tensor([0.2, 0.5, 0.7, 0.9])));
        });
      });
      const { modelTrace, guideTrace } = tracesOf(local, localGuide);
      const cost = flat(downstreamCosts(ops, modelTrace, guideTrace, guideTrace.nonreparamStochasticNodes()).get("z"));
      const pz = flat(modelTrace.get("z")!.logProb);
      const qz = flat(guideTrace.get("z")!.logProb);
      const px = flat(modelTrace.get("x")!.logProb);
      const pg = ops.item(modelTrace.get("g")!.logProbSum!);
      close(cost, pz.map((p, i) => p - qz[i]! + px[i]! + pg), "cost(z)");
    }));
});
