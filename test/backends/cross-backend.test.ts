// The same models on the pyro (tfjs, float32) and numpy (ndarray, float64)
// backends: log densities and gradients of the potential energy at the same
// unconstrained point agree to float32 accuracy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pyroBackend } from "../../src/index.js";
import { numpyBackend, pyroTfjsBackend } from "../../src/dispatch/standard-backends.js";
import { initToUniform, initialTrace } from "../../src/infer/init.js";
import { latentLayout, makePotential, packTrace } from "../../src/infer/latents.js";
import { PRNGKey } from "../../src/tensor/random/key.js";
import { MODELS, loadModel } from "../pyroapi/models.js";

/** U(q) and ∇U(q) of a MODELS entry at a random point, with its data generated on `backend`. */
function potentialAt(backend: "pyro" | "numpy", name: keyof typeof MODELS, q?: Float64Array) {
  const rt = (backend === "pyro" ? pyroTfjsBackend : numpyBackend).runtime;
  return pyroBackend(backend, () => {
    const { model, modelArgs } = loadModel(name);
    const tr = initialTrace(rt, model, modelArgs, initToUniform(), PRNGKey(7));
    const layout = latentLayout(rt, tr, "cross-backend");
    const point = q ?? packTrace(rt, layout, tr);
    const { value, grad } = makePotential(rt, model, modelArgs, layout).valueAndGrad(point);
    return { point, value, grad, size: layout.size };
  });
}

describe("cross-backend agreement (pyro float32 vs numpy float64)", () => {
  for (const name of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
    it(`${name}: the same data, potential energy and gradient`, () => {
      // Both backends draw the data from the same keys with the same exact samplers.
      const np = potentialAt("numpy", name);
      const tf = potentialAt("pyro", name, np.point);
      assert.equal(tf.size, np.size);
      // float32 evaluation of a sum of K terms of magnitude ≤ M has error ≲ K·M·6e-8; the
      // potentials here are ≤ ~2·10³ in magnitude with ≤ 3·10³ terms, and float32 data
      // (rounded to 6e-8 relative) moves each term by ~6e-8·|term|: 1e-4 relative bounds both.
      const tol = 1e-4 * (1 + Math.abs(np.value));
      assert.ok(Math.abs(tf.value - np.value) < tol, `U: float32 ${tf.value} vs float64 ${np.value}`);
      const scale = 1 + Math.max(...Array.from(np.grad, Math.abs));
      np.grad.forEach((g, i) => {
        assert.ok(Math.abs(tf.grad[i]! - g) < 1e-4 * scale, `∂U/∂q[${i}]: float32 ${tf.grad[i]} vs float64 ${g}`);
      });
    });
  }

  it("gives bit-identical draws for the same seed, run after run", () => {
    const draw = () => potentialAt("numpy", "eight_schools");
    const a = draw();
    const b = draw();
    assert.deepEqual(Array.from(a.point), Array.from(b.point));
    assert.equal(a.value, b.value);
  });
});
