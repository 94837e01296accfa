/**
 * `scale` and `mask`: reweight or drop sites' log-densities.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import { describeValue } from "../primitives/validate.js";
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import type { Handler, Message, Scale } from "./message.js";
import { wrap } from "./wrap.js";

/** The error thrown for a scale that is not a positive finite number or a tensor. */
export class ScaleArgumentError extends Error {
  /** Makes the error for `value`. */
  constructor(value: unknown) {
    super(`handlers.scale: scale must be a positive finite number or a tensor, got ${describeValue(value)}`);
    this.name = "ScaleArgumentError";
  }
}

/** `a * b` for numbers and tensors. */
export function mulScale(ops: Ops, a: Scale, b: Scale): Scale {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return ops.mul(a, b);
}

/** Multiplies each sample site's scale. */
export class ScaleHandler implements Handler {
  /** Makes the handler multiplying by `scale`. */
  constructor(
    private readonly ops: Ops,
    private readonly scale: Scale,
  ) {}

  /** Multiplies the site's scale. */
  process(msg: Message): void {
    if (msg.type === "sample") msg.scale = mulScale(this.ops, this.scale, msg.scale);
  }
}

/**
 * `model` with every sample site's log-density multiplied by `scale` (e.g. to
 * weight a mini-batch or anneal a KL term).
 *
 * @example
 * ```ts
 * const annealed = handlers.scale(model, { scale: 0.1 });
 * ```
 */
export function scale<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: { readonly scale: Scale },
): Model<Args, R, S>;
/** Data-last `scale`, for `pipe(model, handlers.scale({ scale }))`. */
export function scale(options: {
  readonly scale: Scale;
}): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function scale(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    return (model: AnyModel) => scaleModel(model, first as { scale: Scale });
  }
  return scaleModel(first as AnyModel, second as { scale: Scale });
}

function scaleModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: { readonly scale: Scale },
): Model<Args, R, S> {
  const s = options?.scale;
  if (typeof s === "number" ? !(Number.isFinite(s) && s > 0) : typeof s !== "object" || s === null) {
    throw new ScaleArgumentError(s);
  }
  return wrap("handlers.scale", model, (ctx) => new ScaleHandler(ctx.runtime.ops, s));
}

/** `a and b` for masks. */
export function andMask(ops: Ops, a: Tensor | boolean | null, b: Tensor | boolean | null): Tensor | boolean | null {
  if (a === null || a === true) return b;
  if (b === null || b === true) return a;
  if (a === false || b === false) return false;
  return ops.logicalAnd(a, b);
}

/** Combines each sample site's mask with a mask. */
export class MaskHandler implements Handler {
  /** Makes the handler and-ing masks with `mask`. */
  constructor(
    private readonly ops: Ops,
    private readonly mask: Tensor | boolean,
  ) {}

  /** Ands the site's mask. */
  process(msg: Message): void {
    if (msg.type === "sample") msg.mask = andMask(this.ops, this.mask, msg.mask);
  }
}

/**
 * `model` with each sample site's log-density zeroed where `mask` is false
 * (a boolean, or a mask tensor broadcastable to the site's batch shape).
 *
 * @example
 * ```ts
 * const observedOnly = handlers.mask(model, { mask: isObserved });
 * ```
 */
export function mask<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: { readonly mask: Tensor | boolean },
): Model<Args, R, S>;
/** Data-last `mask`, for `pipe(model, handlers.mask({ mask }))`. */
export function mask(options: {
  readonly mask: Tensor | boolean;
}): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function mask(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    return (model: AnyModel) => maskModel(model, first as { mask: Tensor | boolean });
  }
  return maskModel(first as AnyModel, second as { mask: Tensor | boolean });
}

function maskModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: { readonly mask: Tensor | boolean },
): Model<Args, R, S> {
  return wrap("handlers.mask", model, (ctx) => new MaskHandler(ctx.runtime.ops, options.mask));
}
