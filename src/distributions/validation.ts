/**
 * Argument and value validation (Pyro's `validate_args`), with messages that
 * name the distribution, the argument, the constraint, the offending value and
 * its index.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import { formatShape, sizeOf, tryBroadcastShapes } from "../tensor/shape.js";
import type { DType, Shape, Tensor } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { IndependentConstraint } from "./constraints.js";
import { DistributionArgumentError, DistributionValueError } from "./errors.js";
import { expandTo, flatNumbers } from "./util.js";

/** A number as messages print it: float32 values at float32 precision (`0.1`, not `0.10000000149011612`). */
export function formatNumber(x: number, dtype: DType): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(dtype === "float32" ? 7 : 15)));
}

/** Values `data` of shape `shape` as a nested list: `[0.5, 0.6]`. */
function formatNested(data: Float64Array, shape: Shape, dtype: DType): string {
  if (shape.length === 0) return formatNumber(data[0]!, dtype);
  const [n, ...rest] = shape as [number, ...number[]];
  const stride = data.length / Math.max(n, 1);
  const parts = Array.from({ length: n }, (_, i) =>
    formatNested(data.subarray(i * stride, (i + 1) * stride), rest, dtype));
  return `[${parts.join(", ")}]`;
}

/** The multi-index of row-major position `flat` in `shape`. */
function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    index[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return index;
}

/** A violation of a constraint: the printed offending value and its index (`""` for a scalar). */
interface Violation {
  readonly value: string;
  readonly at: string;
}

/** The flat index of the first false element of mask `m`, or -1 (reads the mask in place). */
function firstFalse(ops: Ops, m: Tensor): number {
  const data = ops.toFlat(ops.toFloat(m));
  for (let i = 0; i < data.length; i++) if (data[i] === 0) return i;
  return -1;
}

/**
 * The first element of `value` outside `constraint`, or `undefined` when all
 * lie inside. The index is over `value`'s dims left of the constraint's event
 * dims (broadcast with the constraint's own tensor bounds).
 */
export function findViolation(ops: Ops, constraint: Constraint, value: Tensor): Violation | undefined {
  // This runs on every new parameter tensor, e.g. the logits of a large
  // Bernoulli each step: on an eager backend a scalar constraint scans the
  // values in one pass; otherwise the mask is read in place.
  const scanned = constraint.eventDim === 0 && constraint.firstOutside !== undefined && "peekFlat" in ops
    ? constraint.firstOutside(ops.peekFlat!(value))
    : undefined;
  const mask = scanned === undefined ? constraint.check(ops, value) : undefined;
  const bad = mask === undefined ? scanned! : firstFalse(ops, mask);
  if (bad < 0) return undefined;
  const batch = mask?.shape ?? value.shape;
  const event = value.shape.slice(value.shape.length - constraint.eventDim);
  const full = expandTo(ops, value, [...batch, ...event]);
  const size = event.reduce((a, b) => a * b, 1);
  const data = flatNumbers(ops, full).subarray(bad * size, (bad + 1) * size);
  const index = unravel(bad, batch);
  return {
    value: formatNested(data, event, ops.dtype),
    at: index.length === 0 ? "" : ` at index [${index.join(", ")}]`,
  };
}

/** The constraint as messages print it: `positive (> 0)`. */
function describe(constraint: Constraint): string {
  return `${constraint.name} (${constraint.description})`;
}

/**
 * The supports each tensor has been checked (or drawn) to lie in: one
 * constraint, or several in an array. Almost every tensor is recorded with
 * one support, and a bare constraint costs no `Set` per tensor — this runs
 * for every draw and every new parameter tensor, several times per SVI step.
 */
const inSupport = new WeakMap<Tensor, Constraint | Constraint[]>();

/**
 * Checked tensors smaller than this are not recorded: checking them again is
 * cheaper than a weak-map entry, whose cost falls mostly on the garbage
 * collector (each minor collection visits every entry with a young key), and
 * the parameters of most distributions are small tensors made afresh on each
 * run. Draws (see {@link trustInSupport}) are always recorded: their support
 * holds by construction, not by a check that could be repeated.
 */
const RECORD_CHECKED_FROM = 64;

/** Whether `value` is recorded in `support`. */
function knownIn(value: Tensor, support: Constraint): boolean {
  const known = inSupport.get(value);
  return known === support || (Array.isArray(known) && known.includes(support));
}

/**
 * Records that `value` lies in `support` without reading it: for draws of a
 * distribution's own sampler, which are in its support by construction (the
 * interpreter marks each site's draw, so scoring the site does not re-check it).
 */
export function trustInSupport(value: Tensor, support: Constraint): void {
  const known = inSupport.get(value);
  if (known === undefined) inSupport.set(value, support);
  else if (Array.isArray(known)) {
    if (!known.includes(support)) known.push(support);
  } else if (known !== support) inSupport.set(value, [known, support]);
  // Every entry of a value in `independent(base, n)` is in `base`, which is
  // what the wrapped distribution checks when an `Independent` scores the value.
  if (support instanceof IndependentConstraint) trustInSupport(value, support.base);
}

/**
 * Throws a {@link DistributionArgumentError} when parameter `arg` of
 * distribution `dist` has an element outside `constraint`.
 */
export function checkParam(ops: Ops, dist: string, arg: string, constraint: Constraint, value: Tensor): void {
  // Tensors are immutable: a parameter tensor reused across runs (data, a fixed prior) is read once.
  if (knownIn(value, constraint)) return;
  const v = findViolation(ops, constraint, value);
  if (v === undefined) {
    if (sizeOf(value.shape) >= RECORD_CHECKED_FROM) trustInSupport(value, constraint);
    return;
  }
  throw new DistributionArgumentError(
    dist, arg, `${dist}: parameter ${arg} must be ${describe(constraint)}, got ${v.value}${v.at}`);
}

/**
 * Throws a {@link DistributionValueError} when `value` does not have a shape
 * `[..., ...batch', ...eventShape]` with `batch'` broadcasting against
 * `batchShape`.
 */
export function checkSampleShape(dist: string, value: Tensor, batchShape: Shape, eventShape: Shape): void {
  const shape = value.shape;
  const k = eventShape.length;
  const tail = shape.slice(shape.length - k);
  if (shape.length < k || tail.some((d, i) => d !== eventShape[i])) {
    throw new DistributionValueError(dist,
      `${dist}: value of shape ${formatShape(shape)} does not end in the event shape ${formatShape(eventShape)}`);
  }
  if (tryBroadcastShapes(shape.slice(0, shape.length - k), batchShape) === undefined) {
    throw new DistributionValueError(dist,
      `${dist}: value of shape ${formatShape(shape)} does not broadcast with the batch shape ${formatShape(batchShape)}`);
  }
}


/**
 * Throws a {@link DistributionValueError} when `value` does not have a shape
 * `[..., ...batch', ...eventShape]` with `batch'` broadcasting against
 * `batchShape`, or has an element outside `support`.
 */
export function checkSample(
  ops: Ops, dist: string, support: Constraint, value: Tensor, batchShape: Shape, eventShape: Shape,
): void {
  checkSampleShape(dist, value, batchShape, eventShape);
  // Tensors are immutable, so a value once found in a support stays there: observed
  // data scored every step (SVI, MCMC) is read once, not on every step.
  if (knownIn(value, support)) return;
  const v = findViolation(ops, support, value);
  if (v === undefined) {
    if (sizeOf(value.shape) >= RECORD_CHECKED_FROM) trustInSupport(value, support);
    return;
  }
  throw new DistributionValueError(dist,
    `${dist}: value must be in the support ${describe(support)}, got ${v.value}${v.at}`);
}

/** Whether every element of mask `m` is true (reads the data). */
export function allTrue(ops: Ops, m: Tensor): boolean {
  return firstFalse(ops, m) < 0;
}

/**
 * A short label of a tensor for constraint names: its values when it has at
 * most 4 elements (`2`, `[10, 20]`), else `tensor[5, 3]`.
 */
export function tensorLabel(ops: Ops, t: Tensor): string {
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size > 4) return `tensor${formatShape(t.shape)}`;
  return formatNested(flatNumbers(ops, t), t.shape, ops.dtype);
}
