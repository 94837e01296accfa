/**
 * Adagrad.
 *
 * @module
 */
import { withL2 } from "./adam.js";
import { checkNumber, type OptimizerRule } from "./optimizer.js";

/** Hyperparameters of {@link Adagrad} (as `torch.optim.Adagrad`). */
export interface AdagradArgs {
  /** Learning rate (default 1e-2). */
  readonly lr: number;
  /** Step t uses the learning rate `lr / (1 + (t-1)·lrDecay)` (default 0). */
  readonly lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay: number;
  /** The initial value of the sum of squared gradients (default 0). */
  readonly initialAccumulatorValue: number;
  /** Added to the denominator for stability (default 1e-10). */
  readonly eps: number;
}

/**
 * Adagrad (Duchi et al. 2011), as `torch.optim.Adagrad`:
 *
 *     S ← S + g²,   θ ← θ - lr/(1 + (t-1)·lrDecay) · g / (√S + ε)
 *
 * @example
 * ```ts
 * const opt = optim.Adagrad({ lr: 0.1, lrDecay: 1e-3 });
 * ```
 */
export const Adagrad: OptimizerRule<AdagradArgs> = {
  name: "Adagrad",
  defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
  validate(h) {
    checkNumber("Adagrad", "lr", h.lr, 0, true);
    checkNumber("Adagrad", "lrDecay", h.lrDecay, 0);
    checkNumber("Adagrad", "weightDecay", h.weightDecay, 0);
    checkNumber("Adagrad", "initialAccumulatorValue", h.initialAccumulatorValue, 0);
    checkNumber("Adagrad", "eps", h.eps, 0);
  },
  init: (ops, param, h) => ({ tensors: { sum: ops.full(ops.shape(param), h.initialAccumulatorValue) }, step: 0 }),
  update(ops, param, grad, state, h) {
    const g = withL2(ops, param, grad, h.weightDecay);
    const clr = h.lr / (1 + state.step * h.lrDecay);
    const sum = ops.add(state.tensors.sum!, ops.square(g));
    const next = ops.sub(param, ops.mul(ops.div(g, ops.add(ops.sqrt(sum), h.eps)), clr));
    return { param: next, state: { tensors: { sum }, step: state.step + 1 } };
  },
};
