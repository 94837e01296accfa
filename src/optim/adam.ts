/**
 * Adam and ClippedAdam.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import { checkNumber, OptimizerArgumentError, type OptimizerRule, type ParamState } from "./optimizer.js";

/** Hyperparameters of {@link Adam}. */
export interface AdamArgs {
  /** Learning rate (default 1e-3). */
  readonly lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  readonly betas: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  readonly eps: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay: number;
}

/** Hyperparameters of {@link ClippedAdam}. */
export interface ClippedAdamArgs extends AdamArgs {
  /** Gradients are clamped elementwise to [-clipNorm, clipNorm] (default 10). */
  readonly clipNorm: number;
  /** The learning rate is multiplied by `lrd` after every step (default 1). */
  readonly lrd: number;
}

function validateAdam(name: string, h: Readonly<AdamArgs>): void {
  checkNumber(name, "lr", h.lr, 0, true);
  checkNumber(name, "eps", h.eps, 0);
  checkNumber(name, "weightDecay", h.weightDecay, 0);
  const [b1, b2] = h.betas;
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
    throw new OptimizerArgumentError(name, "betas", "two numbers in [0, 1)", `[${h.betas.join(", ")}]`);
  }
}

/** One Adam update with learning rate `lr` of a param whose (possibly clipped) gradient is `grad`. */
function adamStep(ops: Ops, param: Tensor, grad: Tensor, state: ParamState, h: Readonly<AdamArgs>, lr: number) {
  const [b1, b2] = h.betas;
  const g = h.weightDecay === 0 ? grad : ops.add(grad, ops.mul(param, h.weightDecay));
  const step = state.step + 1;
  const m = ops.add(ops.mul(state.tensors.m!, b1), ops.mul(g, 1 - b1));
  const v = ops.add(ops.mul(state.tensors.v!, b2), ops.mul(ops.square(g), 1 - b2));
  const stepSize = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
  const next = ops.sub(param, ops.mul(ops.div(m, ops.add(ops.sqrt(v), h.eps)), stepSize));
  return { param: next, m, v, step };
}

/**
 * Adam (Kingma & Ba 2015), as `torch.optim.Adam`.
 *
 * @example
 * ```ts
 * const adam = optim.Adam({ lr: 0.01, betas: [0.9, 0.999] });
 * ```
 */
export const Adam: OptimizerRule<AdamArgs> = {
  name: "Adam",
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
  validate: (h) => validateAdam("Adam", h),
  init: (ops, param) => ({ tensors: { m: ops.zerosLike(param), v: ops.zerosLike(param) }, step: 0 }),
  update(ops, param, grad, state, h) {
    const r = adamStep(ops, param, grad, state, h, h.lr);
    return { param: r.param, state: { tensors: { m: r.m, v: r.v }, step: r.step } };
  },
};

/**
 * Pyro's ClippedAdam: Adam with elementwise gradient clipping and a learning
 * rate decayed by `lrd` every step.
 *
 * @example
 * ```ts
 * const opt = optim.ClippedAdam({ lr: 0.01, lrd: 0.999, clipNorm: 10 });
 * ```
 */
export const ClippedAdam: OptimizerRule<ClippedAdamArgs> = {
  name: "ClippedAdam",
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, clipNorm: 10, lrd: 1 },
  validate(h) {
    validateAdam("ClippedAdam", h);
    checkNumber("ClippedAdam", "clipNorm", h.clipNorm, 0, true);
    checkNumber("ClippedAdam", "lrd", h.lrd, 0, true);
  },
  init: (ops, param) => ({ tensors: { m: ops.zerosLike(param), v: ops.zerosLike(param) }, step: 0 }),
  update(ops, param, grad, state, h) {
    const clipped = ops.clamp(grad, -h.clipNorm, h.clipNorm);
    // The learning rate of step t is lr · lrd^(t-1): Pyro decays it after each step.
    const r = adamStep(ops, param, clipped, state, h, h.lr * h.lrd ** state.step);
    return { param: r.param, state: { tensors: { m: r.m, v: r.v }, step: r.step } };
  },
};
