// RMSProp, Adagrad, AdamW and Adam's AMSGrad against torch's update formulas,
// written out per coordinate in float64 JS numbers (every rule is elementwise),
// on a two-element param so broadcasting of the state is exercised too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OptimizerArgumentError, optim, ops, pyroBackend, type Tensor } from "../../src/index.js";
import type { Optimizer } from "../../src/optim/optimizer.js";

/** The gradient at step t (1-based) of coordinate i at value x. */
type Grad = (x: number, t: number, i: number) => number;

/** Runs `steps` updates of a vector param; returns the iterates (one array per step). */
function iterate(opt: Optimizer, x0: readonly number[], grad: Grad, steps: number): number[][] {
  let x: Tensor = ops.tensor([...x0]);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const xs = Array.from(ops.toFlat(x));
    const g = ops.tensor(xs.map((xi, i) => grad(xi, t, i)));
    x = opt.step(ops, new Map([["x", { value: x, grad: g }]])).get("x")!;
    out.push(Array.from(ops.toFlat(x)));
  }
  return out;
}

/** A per-coordinate reference: one step maps (x, g, t) to the new x, keeping its own state. */
type Reference = () => (x: number, g: number, t: number) => number;

/** Runs the reference per coordinate. */
function reference(ref: Reference, x0: readonly number[], grad: Grad, steps: number): number[][] {
  const stepFns = x0.map(() => ref());
  let x = [...x0];
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    x = x.map((xi, i) => stepFns[i]!(xi, grad(xi, t, i), t));
    out.push(x);
  }
  return out;
}

// Tolerances: numpy (float64) computes the same formula in a possibly different
// order of operations, so agreement is to ~1e-15 relative per op over ≤ 5 steps;
// 1e-12 leaves margin. pyro (float32): a few ulps (6e-8) per op, 1e-6 relative.
const BACKENDS = [
  ["numpy", 1e-12],
  ["pyro", 1e-6],
] as const;

function check(got: number[][], want: number[][], tol: number, what: string): void {
  want.forEach((row, t) =>
    row.forEach((w, i) => {
      const g = got[t]![i]!;
      assert.ok(Math.abs(g - w) <= tol * (1 + Math.abs(w)), `${what} step ${t + 1} coord ${i}: ${g} vs ${w}`);
    }),
  );
}

const x0 = [3, -1.5];
const quadratic: Grad = (x, _t, i) => (i + 1) * x - 1; // ∇ of Σ (i+1)x²/2 - x

describe("RMSProp", () => {
  for (const [backend, tol] of BACKENDS) {
    for (const centered of [false, true]) {
      for (const momentum of [0, 0.9]) {
        it(`follows torch.optim.RMSprop (centered=${centered}, momentum=${momentum}) on ${backend}`, () =>
          pyroBackend(backend, () => {
            const [lr, alpha, eps, wd] = [0.01, 0.9, 1e-8, 0.1];
            const opt = optim.RMSProp({ lr, alpha, eps, momentum, centered, weightDecay: wd });
            const got = iterate(opt, x0, quadratic, 5);
            const want = reference(() => {
              let [s, gAvg, buf] = [0, 0, 0];
              return (x, grad) => {
                const g = grad + wd * x;
                s = alpha * s + (1 - alpha) * g * g;
                let avg: number;
                if (centered) {
                  gAvg = alpha * gAvg + (1 - alpha) * g;
                  avg = Math.sqrt(s - gAvg * gAvg) + eps;
                } else avg = Math.sqrt(s) + eps;
                if (momentum > 0) {
                  buf = momentum * buf + g / avg;
                  return x - lr * buf;
                }
                return x - (lr * g) / avg;
              };
            }, x0, quadratic, 5);
            check(got, want, tol, "RMSProp");
          }));
      }
    }
  }
  it("has torch's defaults: lr 1e-2, alpha 0.99, eps 1e-8", () =>
    pyroBackend("numpy", () => {
      // First step from s = 0: s = 0.01 g², so the step is lr·g/(0.1|g| + eps) ≈ 0.1·sign(g).
      const [x1] = iterate(optim.RMSprop(), [1], () => 2, 1);
      assert.ok(Math.abs(x1![0]! - (1 - (0.01 * 2) / (Math.sqrt(0.01 * 4) + 1e-8))) < 1e-15);
    }));
});

describe("Adagrad", () => {
  for (const [backend, tol] of BACKENDS) {
    it(`follows torch.optim.Adagrad (lrDecay, weightDecay, initialAccumulatorValue) on ${backend}`, () =>
      pyroBackend(backend, () => {
        const [lr, lrDecay, wd, init, eps] = [0.5, 0.1, 0.05, 0.2, 1e-10];
        const opt = optim.Adagrad({ lr, lrDecay, weightDecay: wd, initialAccumulatorValue: init, eps });
        const got = iterate(opt, x0, quadratic, 5);
        const want = reference(() => {
          let sum = init;
          return (x, grad, t) => {
            const g = grad + wd * x;
            const clr = lr / (1 + (t - 1) * lrDecay);
            sum += g * g;
            return x - (clr * g) / (Math.sqrt(sum) + eps);
          };
        }, x0, quadratic, 5);
        check(got, want, tol, "Adagrad");
      }));
  }
});

/** torch's Adam/AdamW step for one coordinate. */
function adamRef(lr: number, wd: number, decoupled: boolean, amsgrad: boolean, b2: number): ReturnType<Reference> {
  const [b1, eps] = [0.9, 1e-8];
  let [m, v, vMax] = [0, 0, 0];
  return (x, grad, t) => {
    let g = grad;
    if (decoupled) x *= 1 - lr * wd;
    else g += wd * x;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    vMax = Math.max(vMax, v);
    const denom = Math.sqrt(amsgrad ? vMax : v) / Math.sqrt(1 - b2 ** t) + eps;
    return x - (lr / (1 - b1 ** t)) * (m / denom);
  };
}

// A gradient that is large at first and then small, with β₂ = 0.5 so that v
// decays well below its running maximum and AMSGrad's update differs from Adam's.
const shrinking: Grad = (x, t) => (t === 1 ? 50 : 0.1 * x);

describe("AdamW and AMSGrad", () => {
  for (const [backend, tol] of BACKENDS) {
    for (const amsgrad of [false, true]) {
      it(`AdamW decays the param before the Adam step, as torch.optim.AdamW (amsgrad=${amsgrad}) on ${backend}`, () =>
        pyroBackend(backend, () => {
          const got = iterate(optim.AdamW({ lr: 0.1, weightDecay: 0.3, amsgrad, betas: [0.9, 0.5] }), x0, shrinking, 5);
          const want = reference(() => adamRef(0.1, 0.3, true, amsgrad, 0.5), x0, shrinking, 5);
          check(got, want, tol, "AdamW");
        }));
    }
    it(`Adam with amsgrad uses the running maximum of v (L2 weight decay) on ${backend}`, () =>
      pyroBackend(backend, () => {
        const got = iterate(optim.Adam({ lr: 0.1, weightDecay: 0.3, amsgrad: true, betas: [0.9, 0.5] }), x0, shrinking, 5);
        check(got, reference(() => adamRef(0.1, 0.3, false, true, 0.5), x0, shrinking, 5), tol, "Adam amsgrad");
        // The maximum matters here: plain Adam takes different steps.
        const plain = reference(() => adamRef(0.1, 0.3, false, false, 0.5), x0, shrinking, 5);
        const diff = Math.abs(plain[4]![0]! - got[4]![0]!);
        assert.ok(diff > 1e-2, `AMSGrad and Adam differ by only ${diff}`);
      }));
  }
  it("AdamW's default weight decay is 1e-2", () =>
    pyroBackend("numpy", () => {
      const got = iterate(optim.AdamW({ lr: 0.1 }), [2], () => 0, 1);
      // Zero gradient: m = v = 0, so the step is the decay alone, θ(1 - lr·0.01).
      assert.equal(got[0]![0], 2 * (1 - 0.1 * 0.01));
    }));
});

describe("hyperparameter validation", () => {
  it("rejects invalid hyperparameters with OptimizerArgumentError naming the optimizer and argument", () =>
    pyroBackend("numpy", () => {
      const cases: readonly [() => unknown, RegExp][] = [
        [() => optim.RMSProp({ lr: 0 }), /optim\.RMSProp: lr must be a finite number > 0, got 0/],
        [() => optim.RMSProp({ alpha: 1.5 }), /optim\.RMSProp: alpha must be a number in \[0, 1\], got 1\.5/],
        [() => optim.RMSProp({ momentum: -0.1 }), /optim\.RMSProp: momentum must be a finite number ≥ 0, got -0\.1/],
        [() => optim.RMSProp({ eps: Number.NaN }), /optim\.RMSProp: eps must be a finite number ≥ 0, got NaN/],
        [() => optim.RMSProp({ centered: 1 as unknown as boolean }), /optim\.RMSProp: centered must be a boolean, got 1/],
        [() => optim.Adagrad({ lrDecay: -1 }), /optim\.Adagrad: lrDecay must be a finite number ≥ 0, got -1/],
        [() => optim.Adagrad({ initialAccumulatorValue: -0.5 }), /optim\.Adagrad: initialAccumulatorValue must be a finite number ≥ 0/],
        [() => optim.Adagrad({ weightDecay: Infinity }), /optim\.Adagrad: weightDecay must be a finite number ≥ 0, got Infinity/],
        [() => optim.AdamW({ weightDecay: -1e-2 }), /optim\.AdamW: weightDecay must be a finite number ≥ 0/],
        [() => optim.AdamW({ betas: [0.9, 1] }), /optim\.AdamW: betas must be two numbers in \[0, 1\), got \[0\.9, 1\]/],
        [() => optim.Adam({ amsgrad: "yes" as unknown as boolean }), /optim\.Adam: amsgrad must be a boolean, got yes/],
      ];
      for (const [make, pattern] of cases) {
        assert.throws(make, (e: unknown) => e instanceof OptimizerArgumentError && pattern.test(e.message), String(pattern));
      }
    }));
});
