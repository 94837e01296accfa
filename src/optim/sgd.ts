/**
 * Stochastic gradient descent with momentum.
 *
 * @module
 */
import { checkNumber, OptimizerArgumentError, type OptimizerRule } from "./optimizer.js";

/** Hyperparameters of {@link SGD} (as `torch.optim.SGD`). */
export interface SGDArgs {
  /** Learning rate (default 1e-3). */
  readonly lr: number;
  /** Momentum factor (default 0). */
  readonly momentum: number;
  /** Dampening of momentum (default 0). */
  readonly dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay: number;
  /** Nesterov momentum (default false). */
  readonly nesterov: boolean;
}

/**
 * SGD, optionally with (Nesterov) momentum, as `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * const sgd = optim.SGD({ lr: 0.01, momentum: 0.9 });
 * ```
 */
export const SGD: OptimizerRule<SGDArgs> = {
  name: "SGD",
  defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
  validate(h) {
    checkNumber("SGD", "lr", h.lr, 0, true);
    checkNumber("SGD", "momentum", h.momentum, 0);
    checkNumber("SGD", "dampening", h.dampening, 0);
    checkNumber("SGD", "weightDecay", h.weightDecay, 0);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new OptimizerArgumentError("SGD", "nesterov", "used with momentum > 0 and dampening 0", h.nesterov);
    }
  },
  init: (ops, param) => ({ tensors: { buf: ops.zerosLike(param) }, step: 0 }),
  update(ops, param, grad, state, h) {
    let g = h.weightDecay === 0 ? grad : ops.add(grad, ops.mul(param, h.weightDecay));
    let buf = state.tensors.buf!;
    if (h.momentum !== 0) {
      // torch initialises the buffer with the first gradient (no dampening on step 1).
      buf = state.step === 0 ? g : ops.add(ops.mul(buf, h.momentum), ops.mul(g, 1 - h.dampening));
      g = h.nesterov ? ops.add(g, ops.mul(buf, h.momentum)) : buf;
    }
    return { param: ops.sub(param, ops.mul(g, h.lr)), state: { tensors: { buf }, step: state.step + 1 } };
  },
};
