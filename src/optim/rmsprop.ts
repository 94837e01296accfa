/**
 * RMSProp.
 *
 * @module
 */
import type { Tensor } from "../tensor/types.js";
import { withL2 } from "./adam.js";
import { checkBoolean, checkNumber, OptimizerArgumentError, type OptimizerRule } from "./optimizer.js";

/** Hyperparameters of {@link RMSProp} (as `torch.optim.RMSprop`). */
export interface RMSPropArgs {
  /** Learning rate (default 1e-2). */
  readonly lr: number;
  /** Decay rate of the running average of squared gradients (default 0.99). */
  readonly alpha: number;
  /** Added to the denominator for stability (default 1e-8). */
  readonly eps: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay: number;
  /** Momentum factor (default 0). */
  readonly momentum: number;
  /** Normalise by an estimate of the gradient's variance instead of its second moment (default false). */
  readonly centered: boolean;
}

/**
 * RMSProp (Hinton's lecture 6e), as `torch.optim.RMSprop`:
 *
 *     s ← αs + (1-α)g²,   ḡ ← αḡ + (1-α)g (centered only),
 *     d = √(s - ḡ²) + ε (centered) or √s + ε,
 *     b ← μb + g/d, θ ← θ - lr·b (momentum μ > 0), else θ ← θ - lr·g/d
 *
 * @example
 * ```ts
 * const opt = optim.RMSProp({ lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true });
 * ```
 */
export const RMSProp: OptimizerRule<RMSPropArgs> = {
  name: "RMSProp",
  defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  validate(h) {
    checkNumber("RMSProp", "lr", h.lr, 0, true);
    if (!(typeof h.alpha === "number" && h.alpha >= 0 && h.alpha <= 1)) {
      throw new OptimizerArgumentError("RMSProp", "alpha", "a number in [0, 1]", h.alpha);
    }
    checkNumber("RMSProp", "eps", h.eps, 0);
    checkNumber("RMSProp", "weightDecay", h.weightDecay, 0);
    checkNumber("RMSProp", "momentum", h.momentum, 0);
    checkBoolean("RMSProp", "centered", h.centered);
  },
  init(ops, param, h) {
    const tensors: Record<string, Tensor> = { squareAvg: ops.zerosLike(param) };
    if (h.centered) tensors.gradAvg = ops.zerosLike(param);
    if (h.momentum > 0) tensors.buf = ops.zerosLike(param);
    return { tensors, step: 0 };
  },
  update(ops, param, grad, state, h) {
    const g = withL2(ops, param, grad, h.weightDecay);
    const squareAvg = ops.add(ops.mul(state.tensors.squareAvg!, h.alpha), ops.mul(ops.square(g), 1 - h.alpha));
    const tensors: Record<string, Tensor> = { squareAvg };
    let denom: Tensor;
    if (h.centered) {
      const gradAvg = ops.add(ops.mul(state.tensors.gradAvg!, h.alpha), ops.mul(g, 1 - h.alpha));
      tensors.gradAvg = gradAvg;
      // s - ḡ² ≥ 0 in exact arithmetic (both are averages with the same weights);
      // the clamp keeps a rounding error of -1 ulp from becoming a NaN.
      denom = ops.add(ops.sqrt(ops.maximum(ops.sub(squareAvg, ops.square(gradAvg)), 0)), h.eps);
    } else {
      denom = ops.add(ops.sqrt(squareAvg), h.eps);
    }
    let next: Tensor;
    if (h.momentum > 0) {
      const buf = ops.add(ops.mul(state.tensors.buf!, h.momentum), ops.div(g, denom));
      tensors.buf = buf;
      next = ops.sub(param, ops.mul(buf, h.lr));
    } else {
      next = ops.sub(param, ops.mul(ops.div(g, denom), h.lr));
    }
    return { param: next, state: { tensors, step: state.step + 1 } };
  },
};
