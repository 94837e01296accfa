/**
 * Adam and ClippedAdam.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import {
  checkBoolean, checkNumber, OptimizerArgumentError, type OptimizerRule, type ParamState, type ParamUpdate,
} from "./optimizer.js";

/** The hyperparameters every Adam variant shares. */
export interface AdamBaseArgs {
  /** Learning rate (default 1e-3). */
  readonly lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  readonly betas: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  readonly eps: number;
  /** L2 penalty added to the gradient (default 0; AdamW decays the param instead, default 1e-2). */
  readonly weightDecay: number;
}

/** Hyperparameters of {@link Adam} (as `torch.optim.Adam`). */
export interface AdamArgs extends AdamBaseArgs {
  /** Use the running maximum of the second moment (AMSGrad, Reddi et al. 2018; default false). */
  readonly amsgrad: boolean;
}

/** Hyperparameters of {@link ClippedAdam} (as `pyro.optim.ClippedAdam`). */
export interface ClippedAdamArgs extends AdamBaseArgs {
  /** Gradients are clamped elementwise to [-clipNorm, clipNorm] (default 10). */
  readonly clipNorm: number;
  /** The learning rate is multiplied by `lrd` after every step (default 1). */
  readonly lrd: number;
}

/** Checks the shared Adam hyperparameters of optimizer `name`. */
export function validateAdamBase(name: string, h: Readonly<AdamBaseArgs>): void {
  checkNumber(name, "lr", h.lr, 0, true);
  checkNumber(name, "eps", h.eps, 0);
  checkNumber(name, "weightDecay", h.weightDecay, 0);
  const betas: unknown = h.betas;
  const ok = Array.isArray(betas) && betas.length === 2 && betas.every((b) => typeof b === "number" && b >= 0 && b < 1);
  if (!ok) {
    const got = Array.isArray(betas) ? `[${betas.join(", ")}]` : betas;
    throw new OptimizerArgumentError(name, "betas", "two numbers in [0, 1)", got);
  }
}

/** The state of a new param for Adam and AdamW: zero moments (and a zero running max with AMSGrad). */
export function initAdamState(ops: Ops, param: Tensor, amsgrad: boolean): ParamState {
  const tensors: Record<string, Tensor> = { m: ops.zerosLike(param), v: ops.zerosLike(param) };
  if (amsgrad) tensors.vMax = ops.zerosLike(param);
  return { tensors, step: 0 };
}

/**
 * One step of torch's Adam on gradient `g` (weight decay already applied):
 *
 *     m ← β₁m + (1-β₁)g,   v ← β₂v + (1-β₂)g²,   v̂ ← max(v̂, v) with AMSGrad,
 *     θ ← θ - (lr / (1-β₁ᵗ)) · m / (√v / √(1-β₂ᵗ) + ε)
 *
 * (ε is added after the bias correction of v, as torch ≥ 1.6 does).
 */
export function adamUpdate(
  ops: Ops,
  param: Tensor,
  g: Tensor,
  state: ParamState,
  h: Readonly<AdamBaseArgs>,
  amsgrad: boolean,
): ParamUpdate {
  if (ops.dtype === "float64") {
    const fused = adamFlat(ops, param, g, state, h, amsgrad);
    if (fused !== undefined) return fused;
  }
  const [b1, b2] = h.betas;
  const step = state.step + 1;
  const m = ops.add(ops.mul(state.tensors.m!, b1), ops.mul(g, 1 - b1));
  const v = ops.add(ops.mul(state.tensors.v!, b2), ops.mul(ops.square(g), 1 - b2));
  const vMax = amsgrad ? ops.maximum(state.tensors.vMax ?? v, v) : undefined;
  const denom = ops.add(ops.div(ops.sqrt(vMax ?? v), Math.sqrt(1 - b2 ** step)), h.eps);
  const next = ops.sub(param, ops.mul(ops.div(m, denom), h.lr / (1 - b1 ** step)));
  const tensors: Record<string, Tensor> = vMax === undefined ? { m, v } : { m, v, vMax };
  return { param: next, state: { tensors, step } };
}

/**
 * {@link adamUpdate} in one loop over the flat float64 data (read with
 * `toFlat`, written with `fromFlat`): the same operations in the same order
 * per element as the tensor ops, so the same values to the bit, without a
 * dozen tensor ops per param. `undefined` if the shapes do not line up.
 */
function adamFlat(ops: Ops, param: Tensor, g: Tensor, state: ParamState, h: Readonly<AdamBaseArgs>, amsgrad: boolean): ParamUpdate | undefined {
  const [b1, b2] = h.betas;
  const step = state.step + 1;
  const p = ops.toFlat(param);
  const gr = ops.toFlat(g);
  const m0 = ops.toFlat(state.tensors.m!);
  const v0 = ops.toFlat(state.tensors.v!);
  const vm0 = amsgrad && state.tensors.vMax !== undefined ? ops.toFlat(state.tensors.vMax) : undefined;
  const n = p.length;
  if (gr.length !== n || m0.length !== n || v0.length !== n || (vm0 !== undefined && vm0.length !== n)) return undefined;
  const [c1, c2] = [1 - b1, 1 - b2];
  const scaleV = Math.sqrt(1 - b2 ** step);
  const scaleM = h.lr / (1 - b1 ** step);
  const [m, v, next] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const vMax = amsgrad ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const gi = gr[i]!;
    const mi = m0[i]! * b1 + gi * c1;
    const vi = v0[i]! * b2 + gi * gi * c2;
    let vh = vi;
    if (vMax !== undefined) vMax[i] = vh = Math.max(vm0 === undefined ? vi : vm0[i]!, vi);
    m[i] = mi;
    v[i] = vi;
    next[i] = p[i]! - (mi / (Math.sqrt(vh) / scaleV + h.eps)) * scaleM;
  }
  const shape = ops.shape(param);
  const tensors: Record<string, Tensor> = { m: ops.fromFlat(m, shape), v: ops.fromFlat(v, shape) };
  if (vMax !== undefined) tensors.vMax = ops.fromFlat(vMax, shape);
  return { param: ops.fromFlat(next, shape), state: { tensors, step } };
}

/** `grad + weightDecay · param` (torch's L2 penalty). */
export function withL2(ops: Ops, param: Tensor, grad: Tensor, weightDecay: number): Tensor {
  return weightDecay === 0 ? grad : ops.add(grad, ops.mul(param, weightDecay));
}

/**
 * Adam (Kingma & Ba 2015), as `torch.optim.Adam`, with optional AMSGrad.
 *
 * @example
 * ```ts
 * const adam = optim.Adam({ lr: 0.01, betas: [0.9, 0.999] });
 * const ams = optim.Adam({ lr: 0.01, amsgrad: true });
 * ```
 */
export const Adam: OptimizerRule<AdamArgs> = {
  name: "Adam",
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
  validate(h) {
    validateAdamBase("Adam", h);
    checkBoolean("Adam", "amsgrad", h.amsgrad);
  },
  init: (ops, param, h) => initAdamState(ops, param, h.amsgrad),
  update: (ops, param, grad, state, h) =>
    adamUpdate(ops, param, withL2(ops, param, grad, h.weightDecay), state, h, h.amsgrad),
};

/**
 * Pyro's ClippedAdam: Adam with elementwise gradient clipping and a learning
 * rate decayed by `lrd` every step. Its update is Pyro's (ε added before the
 * bias correction: `θ ← θ - lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m / (√v + ε)`).
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
    validateAdamBase("ClippedAdam", h);
    checkNumber("ClippedAdam", "clipNorm", h.clipNorm, 0, true);
    checkNumber("ClippedAdam", "lrd", h.lrd, 0, true);
  },
  init: (ops, param) => initAdamState(ops, param, false),
  update(ops, param, grad, state, h) {
    const [b1, b2] = h.betas;
    const g = withL2(ops, param, ops.clamp(grad, -h.clipNorm, h.clipNorm), h.weightDecay);
    const step = state.step + 1;
    const m = ops.add(ops.mul(state.tensors.m!, b1), ops.mul(g, 1 - b1));
    const v = ops.add(ops.mul(state.tensors.v!, b2), ops.mul(ops.square(g), 1 - b2));
    // The learning rate of step t is lr · lrd^(t-1): Pyro decays it after each step.
    const lr = h.lr * h.lrd ** state.step;
    const stepSize = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
    const next = ops.sub(param, ops.mul(ops.div(m, ops.add(ops.sqrt(v), h.eps)), stepSize));
    return { param: next, state: { tensors: { m, v }, step } };
  },
};
