/**
 * The prototype of an autoguide: what one run of the model tells the guide
 * about its latent sites (Pyro's `AutoGuide._setup_prototype`).
 *
 * An autoguide runs the model once, on its first call, with the latent sites
 * set by the guide's init strategy and isolated from every handler of the
 * caller (a separate run, as Pyro's `block(trace(model))`); the model's params
 * are created then, as in Pyro. The guide keeps, per latent site, its shape,
 * support, event dims, enclosing plates and initial value — as plain data
 * (flat `Float64Array`s), so that nothing the guide holds lives in a
 * backend's `tidy` scope.
 *
 * @module
 */
import type { Constraint } from "../../distributions/constraint.js";
import { bijectTo } from "../../distributions/transforms/registry.js";
import type { CondIndepFrame } from "../../handlers/message.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import type { Ops } from "../../tensor/ops.js";
import type { Shape, Tensor } from "../../tensor/types.js";
import { type InitStrategy, initialTrace } from "../init.js";
import { DiscreteLatentError } from "../latents.js";
import { AutoGuideError } from "./errors.js";

/** A tensor's values as plain data: what a guide may hold across runs. */
export interface FlatValue {
  /** The values, row-major. */
  readonly data: Float64Array;
  /** The shape. */
  readonly shape: Shape;
}

/** One latent site of the model, as the guide sees it. */
export interface PrototypeSite {
  /** The site name. */
  readonly name: string;
  /** The shape of the site's (constrained) value in the prototype run. */
  readonly shape: Shape;
  /** The shape of its unconstrained value in the prototype run. */
  readonly unconstrainedShape: Shape;
  /** The site's support (its tensors kept out of `tidy` scopes). */
  readonly support: Constraint;
  /** The event dims of the site's distribution. */
  readonly eventDim: number;
  /** The event dims of the unconstrained value (they differ for e.g. simplex-valued sites). */
  readonly unconstrainedEventDim: number;
  /** The vectorized plates enclosing the site, outermost first. */
  readonly frames: readonly CondIndepFrame[];
  /** The initial constrained value, repeated to the plates' full sizes when subsampled. */
  readonly init: FlatValue;
  /** The initial unconstrained value, repeated to the plates' full sizes when subsampled. */
  readonly initUnconstrained: FlatValue;
}

/** The latent sites of a model in execution order, and its plates. */
export interface Prototype {
  /** The latent sites. */
  readonly sites: readonly PrototypeSite[];
  /** Every vectorized plate enclosing a latent site, by name. */
  readonly frames: ReadonlyMap<string, CondIndepFrame>;
}

/** The values of `x` as plain data. */
export function flatValue(ops: Ops, x: Tensor): FlatValue {
  return { data: Float64Array.from(ops.toFlat(x)), shape: [...x.shape] };
}

/** A fresh tensor of `v`. */
export function tensorOf(ops: Ops, v: FlatValue): Tensor {
  return ops.fromFlat(v.data, v.shape);
}

/**
 * Keeps every tensor reachable from `obj`'s own properties out of `tidy`
 * scopes: constraints may hold tensor bounds (`Uniform(low, high)`), and the
 * guide reuses the support on every run.
 */
export function keepTensors(ops: Ops, obj: object, seen = new Set<object>()): void {
  if (seen.has(obj)) return;
  seen.add(obj);
  for (const v of Object.values(obj)) {
    if (ops.isTensor(v)) ops.keep(v);
    else if (typeof v === "object" && v !== null) keepTensors(ops, v as object, seen);
  }
}

/**
 * `x` repeated periodically along the dims of the subsampled plates in
 * `frames` to the plates' full sizes (Pyro's `periodic_repeat`), for a value
 * with `eventDim` event dims.
 */
function repeatToFullSize(ops: Ops, x: Tensor, frames: readonly CondIndepFrame[], eventDim: number): Tensor {
  let out = x;
  for (const f of frames) {
    if (f.dim === null || f.subsampleSize >= f.size) continue;
    const axis = out.shape.length + f.dim - eventDim;
    if (axis < 0 || out.shape[axis] !== f.subsampleSize) continue;
    const idx = Array.from({ length: f.size }, (_, i) => i % f.subsampleSize);
    out = ops.take(out, ops.fromFlat(idx, [f.size]), axis);
  }
  return out;
}

/**
 * Runs `model(...args)` once with its latent sites set by `initLocFn` and
 * collects its latent sites.
 *
 * @throws DiscreteLatentError for a discrete latent site (Pyro needs
 *   enumeration there); {@link AutoGuideError} for a sequential plate.
 */
export function setupPrototype(
  runtime: Runtime,
  model: AnyModel,
  args: readonly unknown[],
  initLocFn: InitStrategy,
  guide: string,
): Prototype {
  const { ops } = runtime;
  return ops.tidy(() => {
    const trace = initialTrace(runtime, model, args, initLocFn);
    const sites: PrototypeSite[] = [];
    const frames = new Map<string, CondIndepFrame>();
    for (const node of trace.stochasticNodes()) {
      const fn = node.fn!;
      if (fn.isDiscrete) throw new DiscreteLatentError(node.name, guide);
      for (const f of node.condIndepStack) {
        if (f.dim === null) throw new AutoGuideError(guide, `site '${node.name}' is inside the sequential plate '${f.name}'; autoguides support vectorized plates only`);
        frames.set(f.name, f);
      }
      const support = fn.support;
      keepTensors(ops, support);
      const value = node.value!;
      const u = bijectTo(runtime.distCtx, support).inverse(value);
      const eventDim = fn.eventShape.length;
      const unconstrainedEventDim = eventDim + u.shape.length - value.shape.length;
      const stack = [...node.condIndepStack];
      sites.push({
        name: node.name,
        shape: [...value.shape],
        unconstrainedShape: [...u.shape],
        support,
        eventDim,
        unconstrainedEventDim,
        frames: stack,
        init: flatValue(ops, repeatToFullSize(ops, value, stack, eventDim)),
        initUnconstrained: flatValue(ops, repeatToFullSize(ops, u, stack, unconstrainedEventDim)),
      });
    }
    return { sites, frames };
  });
}
