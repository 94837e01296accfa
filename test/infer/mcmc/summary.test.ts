import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { dist, handlers, infer, ops, pyro, pyroBackend } from "../../../src/index.js";
import { summarize } from "../../../src/infer/mcmc/summary.js";

describe("MCMC summary", () => {
  it("formats Pyro's table from hand-checkable draws", () => {
    // One chain of 4 draws 1, 2, 3, 4: mean 2.5, std √(5/3) = 1.29, lower median 2,
    // 50% HPDI: ⌊0.5·4⌋ = 2-wide windows [1,3] [2,4] tie → the first, [1, 3]; r_hat over halves [1,2], [3,4]:
    // W = 0.5, var⁺ = 0.5·0.5 + var([1.5, 3.5]) = 2.25, R̂ = √4.5 = 2.12. n_eff: with centered draws
    // −1.5, −0.5, 0.5, 1.5 and lag-0 variance 5/4, ρ₁ = (1.25/3)/1.25 = 1/3, ρ₂ = (−1.5/2)/1.25 = −0.6,
    // ρ₃ = −2.25/1.25 = −1.8; P₀ = 4/3, P₁ = −2.4 → 0; τ = −1 + 2·4/3 = 5/3 ⇒ n_eff = 4/τ = 2.4.
    const s = summarize({ a: { shape: [], numChains: 1, numDraws: 4, values: Float64Array.from([1, 2, 3, 4]) } }, 0.5, 3);
    const expected = [
      "",
      "                mean       std    median     25.0%     75.0%     n_eff     r_hat",
      "         a      2.50      1.29      2.00      1.00      3.00      2.40      2.12",
      "",
      "Number of divergences: 3",
    ].join("\n");
    assert.equal(s.text, expected);
    assert.deepEqual(s.columns, ["mean", "std", "median", "25.0%", "75.0%", "n_eff", "r_hat"]);
    assert.ok(Math.abs(s.rows[0]!.nEff - 2.4) < 1e-12);
  });

  it("prints one row per element of tensor sites, HPDI labels for prob, and the divergence count", (t: TestContext) =>
    pyroBackend("numpy", () =>
      handlers.seed(11, () => {
        const model = pyro.model(function* () {
          const mu = yield* pyro.sample("mu", dist.Normal(0, 1));
          yield* pyro.plate("J", 3, function* () {
            yield* pyro.sample("theta", dist.Normal(mu, 1));
          });
          yield* pyro.sample("w", dist.Normal(ops.zeros([2, 2]), 1).toEvent(2));
        });
        const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: 20, warmupSteps: 20, numChains: 2, progressBar: false });
        mcmc.run();
        const log = t.mock.method(console, "log", () => undefined);
        const s = mcmc.summary();
        assert.equal(log.mock.callCount(), 1);
        assert.equal(log.mock.calls[0]!.arguments[0], s.text);
        const lines = s.text.split("\n");
        assert.equal(lines[0], "");
        assert.match(lines[1]!, /^ {10} +mean +std +median +5\.0% +95\.0% +n_eff +r_hat$/);
        const labels = lines.slice(2, -2).map((l) => l.trim().split(/\s+/)[0]);
        assert.deepEqual(labels, ["mu", "theta[0]", "theta[1]", "theta[2]", "w[0,0]", "w[0,1]", "w[1,0]", "w[1,1]"]);
        // Every row: the label right-aligned to the width 10, then 7 numbers in 9-wide columns.
        for (const l of lines.slice(2, -2)) assert.match(l, /^ *\S+( {1}[ \d.-]{8}\d){7}$/);
        const divergences = mcmc.diagnostics().chains.reduce((n, c) => n + c.divergences.length, 0);
        assert.equal(lines.at(-1), `Number of divergences: ${divergences}`);
        assert.deepEqual(mcmc.summary(0.5).columns.slice(3, 5), ["25.0%", "75.0%"]);
        // The numbers are the statistics of the samples: the mean of mu over both chains.
        const mu = Array.from(ops.toFlat(mcmc.getSamples().mu!));
        assert.equal(s.rows[0]!.mean.toFixed(2), (mu.reduce((a, b) => a + b, 0) / mu.length).toFixed(2));
      }),
    ));
});
