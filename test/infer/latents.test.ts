import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dist, handlers, ops, pyro, pyroBackend } from "../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../src/dispatch/standard-backends.js";
import { initToFeasible, initToMedian, initToValue, initialTrace } from "../../src/infer/init.js";
import { DiscreteLatentError, constrain, latentLayout, makePotential, packTrace } from "../../src/infer/latents.js";

const model = pyro.model(function* () {
  const mu = yield* pyro.sample("mu", dist.Normal(0, 5));
  const tau = yield* pyro.sample("tau", dist.HalfNormal(2));
  const w = yield* pyro.sample("w", dist.Dirichlet([1, 2, 3]));
  yield* pyro.sample("y", dist.Normal(ops.add(mu, ops.index(w, 0)), tau), { obs: 1.5 });
});

const logNormal = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);

describe("latent layout and potential energy", () => {
  for (const [name, backend] of [
    ["numpy", numpyBackend],
    ["pyro", pyroTfjsBackend],
  ] as const) {
    it(`packs sites into one unconstrained vector and computes U(q) [${name}]`, () =>
      pyroBackend(name, () => {
        const rt = backend.runtime;
        const tr = initialTrace(rt, model, [], initToValue({ values: { mu: 0.5, tau: 2, w: [0.2, 0.3, 0.5] } }));
        const layout = latentLayout(rt, tr, "test");
        assert.deepEqual(
          layout.sites.map((s) => [s.name, s.offset, s.size]),
          [["mu", 0, 1], ["tau", 1, 1], ["w", 2, 2]],
        );
        const q = packTrace(rt, layout, tr);
        assert.ok(Math.abs(q[1]! - Math.log(2)) < 1e-6);
        const back = constrain(rt, layout, q);
        assert.ok(Math.abs(ops.item(back.get("tau")!) - 2) < 1e-5);
        assert.deepEqual(Array.from(ops.toFlat(back.get("w")!)).map((v) => Math.round(v * 1e5) / 1e5), [0.2, 0.3, 0.5]);
        // U(q) = −[log p(mu) + log p(tau) + log p(w) + log p(y | ...)] − log|J|, by hand for the scalar sites;
        // the Dirichlet and stick-breaking terms are taken from the library's own pieces.
        const pot = makePotential(rt, model, [], layout);
        const u = pot.value(q);
        const w0 = 0.2;
        const halfNormal = Math.log(2) + logNormal(2, 0, 2);
        const dirichletAndJacobian = ops.item(
          ops.add(
            dist.Dirichlet([1, 2, 3]).logProb(back.get("w")!),
            layout.sites[2]!.transform.logAbsDetJacobian(ops.fromFlat(q.subarray(2), [2]), back.get("w")!),
          ),
        );
        const expected = -(logNormal(0.5, 0, 5) + halfNormal + Math.log(2) + dirichletAndJacobian + logNormal(1.5, 0.5 + w0, 2));
        const tol = name === "numpy" ? 1e-12 : 1e-4;
        assert.ok(Math.abs(u - expected) < tol * (1 + Math.abs(expected)), `U = ${u}, expected ${expected}`);
      }));
  }

  it("has a gradient equal to central differences (float64)", () =>
    pyroBackend("numpy", () => {
      const rt = numpyBackend.runtime;
      const layout = latentLayout(rt, initialTrace(rt, model, [], initToFeasible), "test");
      const pot = makePotential(rt, model, [], layout);
      const q = Float64Array.from([0.3, -0.2, 0.4, -0.7]);
      const { value, grad } = pot.valueAndGrad(q);
      assert.equal(value, pot.value(q));
      // Step 1e-6 on O(1) smooth terms: truncation ~1e-12, rounding ~1e-10 — tolerance 1e-7.
      for (let i = 0; i < q.length; i++) {
        const h = 1e-6;
        const up = Float64Array.from(q);
        const down = Float64Array.from(q);
        up[i]! += h;
        down[i]! -= h;
        const fd = (pot.value(up) - pot.value(down)) / (2 * h);
        assert.ok(Math.abs(fd - grad[i]!) < 1e-7 * (1 + Math.abs(fd)), `component ${i}: ${grad[i]} vs ${fd}`);
      }
    }));

  it("initializes with the median of prior draws, and refuses discrete latent sites", () =>
    pyroBackend("numpy", () => {
      const rt = numpyBackend.runtime;
      const tr = initialTrace(rt, model, [], initToMedian());
      assert.ok(Number.isFinite(ops.item(tr.nodes.get("mu")!.value!)));
      const discrete = pyro.model(function* () {
        yield* pyro.sample("k", dist.Bernoulli(0.5));
      });
      assert.throws(
        () => latentLayout(rt, handlers.trace(discrete).getTrace(), "NUTS"),
        (e: unknown) => e instanceof DiscreteLatentError && /NUTS: latent site 'k' is discrete/.test(e.message),
      );
    }));
});
