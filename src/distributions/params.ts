/**
 * Parameter handling shared by every family: conversion to tensors,
 * validation against each parameter's constraint, batch-shape inference by
 * broadcasting (Pyro's `broadcast_all`), and `expand`.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import { formatShape, tryBroadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import type { DistContext } from "./context.js";
import { DistributionArgumentError } from "./errors.js";
import { checkParam } from "./validation.js";
import { asTensor, dropRightmost, expandTo, takeRightmost } from "./util.js";

/** How one parameter is converted, checked and broadcast. */
export interface ParamSpec {
  /** The value the user passed. */
  readonly value: TensorLike;
  /** The constraint it is validated against; none: not validated. */
  readonly constraint?: Constraint;
  /** Rightmost dims that belong to one parameter set (default: the constraint's `eventDim`, else 0). */
  readonly eventDim?: number;
}

/** The converted parameters and the batch shape they broadcast to. */
export interface BroadcastParams<K extends string> {
  /** Each parameter as a tensor broadcast to `batchShape ++ its event shape`. */
  readonly params: Record<K, Tensor>;
  /** The broadcast of the parameters' batch shapes. */
  readonly batchShape: Shape;
}

let trusted = 0;

/**
 * Runs `make` with argument validation skipped: for distributions rebuilt from
 * parameters already checked (`expand`), as Pyro's `expand` does.
 */
export function trustedConstruct<R>(make: () => R): R {
  trusted++;
  try {
    return make();
  } finally {
    trusted--;
  }
}

/**
 * Converts, validates (when `ctx.validateArgs`) and broadcasts the parameters
 * of distribution `dist`.
 *
 * @throws DistributionArgumentError naming the parameter, the constraint and
 *   the offending value, or naming the shapes that do not broadcast.
 * @example
 * ```ts
 * const { params, batchShape } = broadcastParams(ctx, "Normal", {
 *   loc: { value: loc, constraint: constraints.real },
 *   scale: { value: scale, constraint: constraints.positive },
 * });
 * ```
 */
export function broadcastParams<K extends string>(
  ctx: DistContext, dist: string, specs: Readonly<Record<K, ParamSpec>>,
): BroadcastParams<K> {
  const { ops } = ctx;
  const names = Object.keys(specs) as K[];
  const tensors = {} as Record<K, Tensor>;
  const batches: Shape[] = [];
  for (const name of names) {
    const spec = specs[name];
    const t = asTensor(ops, spec.value);
    const eventDim = spec.eventDim ?? spec.constraint?.eventDim ?? 0;
    if (t.shape.length < eventDim) {
      throw new DistributionArgumentError(dist, name,
        `${dist}: parameter ${name} must have at least ${eventDim} dimension(s), got shape ${formatShape(t.shape)}`);
    }
    tensors[name] = t;
    batches.push(dropRightmost(t.shape, eventDim));
  }
  const batchShape = tryBroadcastShapes(...batches);
  if (batchShape === undefined) {
    const listed = names.map((n, i) => `${n} (batch shape ${formatShape(batches[i]!)})`).join(", ");
    throw new DistributionArgumentError(dist, names.join(", "),
      `${dist}: parameters ${listed} do not broadcast`);
  }
  // Validated after the shape check, so constraints bounded by another parameter can broadcast.
  if (ctx.validateArgs && trusted === 0) {
    for (const name of names) {
      const c = specs[name].constraint;
      if (c === undefined) continue;
      const raw = specs[name].value;
      // A plain number is checked without tensors when the constraint can (the common `Normal(x, 1)`).
      if (typeof raw === "number" && c.checkNumber?.(raw) === true) continue;
      checkParam(ops, dist, name, c, tensors[name]);
    }
  }
  for (const name of names) {
    const t = tensors[name];
    const eventDim = specs[name].eventDim ?? specs[name].constraint?.eventDim ?? 0;
    tensors[name] = expandTo(ops, t, [...batchShape, ...takeRightmost(t.shape, eventDim)]);
  }
  return { params: tensors, batchShape };
}

/**
 * Checks that batch shape `from` can be expanded to `to` (numpy broadcasting
 * that yields exactly `to`).
 *
 * @throws DistributionArgumentError naming both shapes.
 */
export function checkExpand(dist: string, from: Shape, to: Shape): void {
  const b = tryBroadcastShapes(from, to);
  if (b === undefined || b.length !== to.length || b.some((d, i) => d !== to[i])) {
    throw new DistributionArgumentError(dist, "batchShape",
      `${dist}: cannot expand batch shape ${formatShape(from)} to ${formatShape(to)}`);
  }
}

/**
 * The `expand` of a parametric family: checks the shapes, then rebuilds the
 * distribution (without re-validation) from its parameters broadcast by the
 * `grow` function given to `make`.
 *
 * @example
 * ```ts
 * expand(batchShape) {
 *   return expandParams(this, batchShape, (grow) => new Normal(this.ctx, grow(this.loc), grow(this.scale)));
 * }
 * ```
 */
export function expandParams<D>(
  d: { readonly name: string; readonly ops: Ops; readonly batchShape: Shape },
  batchShape: Shape,
  make: (grow: (param: Tensor, eventDim?: number) => Tensor) => D,
): D {
  checkExpand(d.name, d.batchShape, batchShape);
  const grow = (param: Tensor, eventDim = 0): Tensor =>
    expandTo(d.ops, param, [...batchShape, ...takeRightmost(param.shape, eventDim)]);
  return trustedConstruct(() => make(grow));
}
