// Optimizer rules against hand-computed updates (torch's formulas).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OptimizerArgumentError, optim, ops, pyroBackend, type Tensor } from "../../src/index.js";
import type { Optimizer } from "../../src/optim/optimizer.js";

/** Runs `steps` updates of one scalar param with gradient `grad(x)`; returns the iterates. */
function iterate(opt: Optimizer, x0: number, grad: (x: number) => number, steps: number): number[] {
  let x: Tensor = ops.tensor(x0);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const g = ops.tensor(grad(ops.item(x)));
    x = opt.step(ops, new Map([["x", { value: x, grad: g }]])).get("x")!;
    out.push(ops.item(x));
  }
  return out;
}

const close = (a: number, b: number, what: string) =>
  // float32 state: relative error ≤ a few ulps per op over ≤ 5 steps.
  assert.ok(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("optimizers", () => {
  it("Adam follows torch's update with bias correction", () =>
    pyroBackend("pyro", () => {
      const lr = 0.1;
      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      const grad = (x: number) => 2 * x - 1;
      const got = iterate(optim.Adam({ lr }), 3, grad, 5);
      let [x, m, v] = [3, 0, 0];
      for (let t = 1; t <= 5; t++) {
        const g = grad(x);
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        // torch ≥ 1.6: ε is added after the bias correction of v.
        x -= (lr / (1 - b1 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps));
        close(got[t - 1]!, x, `Adam step ${t}`);
      }
    }));

  it("ClippedAdam clips gradients elementwise and decays the learning rate by lrd per step", () =>
    pyroBackend("pyro", () => {
      const [lr, lrd, clip] = [0.1, 0.5, 1];
      const grad = () => 100; // clipped to 1
      const got = iterate(optim.ClippedAdam({ lr, lrd, clipNorm: clip }), 0, grad, 3);
      let [x, m, v] = [0, 0, 0];
      for (let t = 1; t <= 3; t++) {
        const g = clip;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        x -= ((lr * lrd ** (t - 1) * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * (m / (Math.sqrt(v) + 1e-8));
        close(got[t - 1]!, x, `ClippedAdam step ${t}`);
      }
    }));

  it("SGD with momentum and Nesterov follows torch", () =>
    pyroBackend("pyro", () => {
      const grad = (x: number) => x;
      for (const nesterov of [false, true]) {
        const got = iterate(optim.SGD({ lr: 0.1, momentum: 0.9, nesterov }), 1, grad, 4);
        let [x, buf] = [1, 0];
        for (let t = 1; t <= 4; t++) {
          const g = grad(x);
          buf = t === 1 ? g : 0.9 * buf + g;
          x -= 0.1 * (nesterov ? g + 0.9 * buf : buf);
          close(got[t - 1]!, x, `SGD nesterov=${nesterov} step ${t}`);
        }
      }
    }));

  it("rejects invalid hyperparameters naming the optimizer and argument", () =>
    pyroBackend("pyro", () => {
      const x = { value: ops.tensor(1), grad: ops.tensor(1) };
      for (const [make, pattern] of [
        [() => optim.Adam({ lr: -1 }), /optim\.Adam: lr must be a finite number > 0, got -1/],
        [() => optim.Adam({ betas: [1, 0.9] }), /optim\.Adam: betas must be two numbers in \[0, 1\)/],
        [() => optim.ClippedAdam({ clipNorm: 0 }), /optim\.ClippedAdam: clipNorm must be a finite number > 0, got 0/],
        [() => optim.SGD({ lr: Number.NaN }), /optim\.SGD: lr must be a finite number > 0, got NaN/],
      ] as const) {
        assert.throws(() => make().step(ops, new Map([["x", x]])), (e: unknown) => e instanceof OptimizerArgumentError && pattern.test(e.message));
      }
      // Per-param hyperparameters, as Pyro's callable optim args.
      const perParam = optim.SGD((name) => ({ lr: name === "fast" ? 1 : 0.1 }));
      const out = perParam.step(ops, new Map([["fast", x], ["slow", x]]));
      assert.equal(ops.item(out.get("fast")!), 0);
      assert.ok(Math.abs(ops.item(out.get("slow")!) - 0.9) < 1e-7);
    }));
});
