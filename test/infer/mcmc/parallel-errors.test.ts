// Parallel chains (issue 7, item 6): what worker threads need — a module reference to the model, or to
// the kernel when it has a custom initStrategy; structured-clonable arguments — and errors raised in a
// worker, which come back as the same typed errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handlers, infer, ops, pyroBackend, type MCMCOptions, type Tensor } from "../../../src/index.js";
import { MCMCOptionError } from "../../../src/infer/mcmc/kernels.js";
import { customInitKernel, normalModel } from "./parallel-models.js";

const MODULE = new URL("./parallel-models.ts", import.meta.url).href;
const ref = (name: string) => ({ module: MODULE, export: name });
const DATA = [1.2, 0.4, 2.3, 1.9, 0.7, 1.1, 1.6, 0.9];

/** Every draw of every site, grouped by chain, as plain numbers (for bit-for-bit comparison). */
function draws(mcmc: { getSamples(g: boolean): Record<string, Tensor> }): Record<string, number[]> {
  return Object.fromEntries(Object.entries(mcmc.getSamples(true)).map(([k, v]) => [k, Array.from(ops.toFlat(v))]));
}

const base: MCMCOptions = { numSamples: 20, warmupSteps: 20, numChains: 2, progressBar: false };

describe("parallel chains: what workers need, and errors across threads", () => {
  it("a kernel with a custom initStrategy runs when the kernel itself is exported, and not from its model", () =>
    pyroBackend("numpy", () => {
      const y = ops.tensor(DATA);
      const o = base;
      const seq = handlers.seed(6, () => {
        const m = new infer.MCMC(customInitKernel, o);
        m.run(y);
        return draws(m);
      });
      const par = handlers.seed(6, () => {
        const m = new infer.MCMC(customInitKernel, { ...o, chainMethod: "parallel", workerModule: ref("customInitKernel") });
        m.run(y);
        return draws(m);
      });
      assert.deepEqual(par, seq);
      assert.throws(
        () => new infer.MCMC(customInitKernel, { ...o, chainMethod: "parallel", workerModule: ref("normalModel"), numWorkers: 1 }).run(y),
        (e: unknown) => e instanceof MCMCOptionError && /cannot be rebuilt from its model/.test(e.message),
      );
    }));

  it("a reference to another model, or to no model, is a typed error from the worker", () =>
    pyroBackend("numpy", () => {
      const y = ops.tensor(DATA);
      const run = (name: string) =>
        new infer.MCMC(new infer.NUTS(normalModel), { ...base, numChains: 1, chainMethod: "parallel", workerModule: ref(name) }).run(y);
      assert.throws(
        () => run("otherModel"),
        (e: unknown) =>
          e instanceof MCMCOptionError &&
          e.message ===
            "infer.MCMC: option 'workerModule' must be a reference to the kernel's own model (the worker's model has latent sites z:1; " +
              "the kernel's has loc:1, scale:1), got an object",
      );
      assert.throws(() => run("noSuchExport"), (e: unknown) => e instanceof MCMCOptionError && /is not one/.test(e.message));
    }));

  it("arguments that cannot cross a thread boundary are refused with their path", () =>
    pyroBackend("numpy", () => {
      const m = new infer.MCMC(new infer.NUTS(normalModel), { ...base, chainMethod: "parallel", workerModule: ref("normalModel") });
      assert.throws(
        () => (m as unknown as { run(...a: unknown[]): void }).run(ops.tensor(DATA), { scale: () => 1 }),
        (e: unknown) => e instanceof MCMCOptionError && e.message.startsWith("infer.MCMC: option 'args[1].scale' must be structured-clonable data"),
      );
    }));
});
