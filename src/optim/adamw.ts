/**
 * AdamW: Adam with decoupled weight decay.
 *
 * @module
 */
import { adamUpdate, initAdamState, validateAdamBase, type AdamArgs } from "./adam.js";
import { checkBoolean, type OptimizerRule } from "./optimizer.js";

/** Hyperparameters of {@link AdamW} (as `torch.optim.AdamW`; `weightDecay` defaults to 1e-2). */
export type AdamWArgs = AdamArgs;

/**
 * AdamW (Loshchilov & Hutter 2019), as `torch.optim.AdamW`: the param is
 * shrunk by `1 - lr·weightDecay` before the Adam step, instead of adding an
 * L2 term to the gradient, so the decay is not rescaled by Adam's
 * per-coordinate step sizes.
 *
 * @example
 * ```ts
 * const opt = optim.AdamW({ lr: 1e-3, weightDecay: 1e-2 });
 * ```
 */
export const AdamW: OptimizerRule<AdamWArgs> = {
  name: "AdamW",
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
  validate(h) {
    validateAdamBase("AdamW", h);
    checkBoolean("AdamW", "amsgrad", h.amsgrad);
  },
  init: (ops, param, h) => initAdamState(ops, param, h.amsgrad),
  update(ops, param, grad, state, h) {
    const decayed = h.weightDecay === 0 ? param : ops.mul(param, 1 - h.lr * h.weightDecay);
    return adamUpdate(ops, decayed, grad, state, h, h.amsgrad);
  },
};
