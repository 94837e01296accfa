/**
 * The latent sites of a model as one flat unconstrained vector, and the
 * potential energy `U(q) = −log p(x, T(q)) − log|det J_T(q)|` over it.
 *
 * MCMC kernels and autoguides work in unconstrained space: each continuous
 * latent site is mapped by `bijectTo(support)` from ℝⁿ, and all sites are
 * packed into one `Float64Array` (so that step sizes, momenta and acceptance
 * arithmetic stay in float64 whatever the backend computes in).
 *
 * @module
 */
import type { Constraint } from "../distributions/constraint.js";
import type { Transform } from "../distributions/transforms/transform.js";
import { bijectTo } from "../distributions/transforms/registry.js";
import type { Runtime } from "../handlers/runtime.js";
import { substitute } from "../handlers/substitute.js";
import { runTraced } from "../handlers/trace.js";
import type { Trace } from "../handlers/trace-record.js";
import type { AnyModel } from "../program/gen.js";
import { sizeOf } from "../tensor/shape.js";
import type { Shape, Tensor } from "../tensor/types.js";

/** The error thrown when a model has a discrete latent site where only continuous ones are supported. */
export class DiscreteLatentError extends Error {
  /** Makes the error for site `site` in `algorithm`. */
  constructor(
    /** The site name. */
    readonly site: string,
    algorithm: string,
  ) {
    super(
      `${algorithm}: latent site '${site}' is discrete; ${algorithm} needs continuous latent sites ` +
        "(observe it, or marginalize it out with enumeration)",
    );
    this.name = "DiscreteLatentError";
  }
}

/** One latent site's place in the flat unconstrained vector. */
export interface LatentSite {
  /** The site name. */
  readonly name: string;
  /** The shape of the site's (constrained) value. */
  readonly shape: Shape;
  /** The site's support. */
  readonly support: Constraint;
  /** `bijectTo(support)`: unconstrained → constrained. */
  readonly transform: Transform;
  /** The shape of the unconstrained value. */
  readonly unconstrainedShape: Shape;
  /** Where the site starts in the flat vector. */
  readonly offset: number;
  /** How many numbers the site takes in the flat vector. */
  readonly size: number;
}

/** The latent sites of a model, in trace order, and the flat vector's length. */
export interface LatentLayout {
  /** The sites. */
  readonly sites: readonly LatentSite[];
  /** The total length of the flat unconstrained vector. */
  readonly size: number;
}

/** The layout of the latent (unobserved, non-subsample) sample sites of `trace`. */
export function latentLayout(runtime: Runtime, trace: Trace, algorithm: string): LatentLayout {
  const sites: LatentSite[] = [];
  let offset = 0;
  for (const node of trace.stochasticNodes()) {
    const fn = node.fn!;
    if (fn.isDiscrete) throw new DiscreteLatentError(node.name, algorithm);
    const transform = bijectTo(runtime.distCtx, fn.support);
    const shape = node.value!.shape;
    const unconstrainedShape = transform.inverseShape(shape);
    const size = sizeOf(unconstrainedShape);
    sites.push({ name: node.name, shape, support: fn.support, transform, unconstrainedShape, offset, size });
    offset += size;
  }
  return { sites, size: offset };
}

/** The flat unconstrained vector of the latent values in `trace`. */
export function packTrace(runtime: Runtime, layout: LatentLayout, trace: Trace): Float64Array {
  const { ops } = runtime;
  const q = new Float64Array(layout.size);
  ops.tidy(() => {
    for (const s of layout.sites) q.set(ops.toFlat(s.transform.inverse(trace.nodes.get(s.name)!.value!)), s.offset);
  });
  return q;
}

/** The unconstrained tensor of each site, from the flat vector `q`. */
export function unpack(runtime: Runtime, layout: LatentLayout, q: Float64Array): Tensor[] {
  return layout.sites.map((s) => runtime.ops.fromFlat(q.subarray(s.offset, s.offset + s.size), s.unconstrainedShape));
}

/** The constrained value of each site for the flat vector `q`. */
export function constrain(runtime: Runtime, layout: LatentLayout, q: Float64Array): Map<string, Tensor> {
  const us = unpack(runtime, layout, q);
  return new Map(layout.sites.map((s, i) => [s.name, s.transform.forward(us[i]!)]));
}

/** The potential energy and its gradient at a point. */
export interface PotentialAndGrad {
  /** `U(q)`. */
  readonly value: number;
  /** `∇U(q)`. */
  readonly grad: Float64Array;
}

/** `U(q)` and `∇U(q)` of a model with fixed arguments. */
export interface Potential {
  /** The layout of `q`. */
  readonly layout: LatentLayout;
  /** `U(q)`; `Infinity` where the log density is not finite. */
  value(q: Float64Array): number;
  /**
   * `U(q)` and `∇U(q)`. With `gradOut` the gradient may be written into it
   * and returned as `grad` (saves an allocation per call); otherwise `grad`
   * is a new array.
   */
  valueAndGrad(q: Float64Array, gradOut?: Float64Array): PotentialAndGrad;
}

/**
 * `U` as a function of each site's unconstrained tensor (in `layout`'s
 * order): `−log p(x, T(u)) − Σ log|det J_T(u)|`, one run of the model with
 * the constrained values substituted. What {@link makePotential}
 * differentiates and what `jitCompile` traces.
 */
export function potentialEnergy(runtime: Runtime, model: AnyModel, args: readonly unknown[], layout: LatentLayout): (us: readonly Tensor[]) => Tensor {
  const { ops } = runtime;
  return (us) => {
    let logDet: Tensor = ops.tensor(0);
    const values: Record<string, Tensor> = {};
    layout.sites.forEach((s, i) => {
      const v = s.transform.forward(us[i]!);
      values[s.name] = v;
      logDet = ops.add(logDet, ops.sum(s.transform.logAbsDetJacobian(us[i]!, v)));
    });
    const trace = runTraced((p) => runtime.run(p), substitute(model, { data: values })(...args), args);
    return ops.neg(ops.add(trace.logProbSum(ops), logDet));
  };
}

/**
 * The potential energy of `model(...args)` over `layout`'s flat
 * unconstrained vector. Validation is off while it runs (samplers visit
 * extreme points on purpose; a non-finite energy is returned as is).
 */
export function makePotential(runtime: Runtime, model: AnyModel, args: readonly unknown[], layout: LatentLayout): Potential {
  const { ops } = runtime;
  const energy = potentialEnergy(runtime, model, args, layout);
  const evaluate = <A>(body: () => A): A => runtime.withValidation(false, () => ops.tidy(body));
  return {
    layout,
    value: (q) => evaluate(() => ops.item(energy(unpack(runtime, layout, q)))),
    valueAndGrad: (q) =>
      evaluate(() => {
        const { value, grads } = ops.valueAndGrad(energy, unpack(runtime, layout, q));
        const grad = new Float64Array(layout.size);
        layout.sites.forEach((s, i) => grad.set(ops.toFlat(grads[i]!), s.offset));
        return { value: ops.item(value), grad };
      }),
  };
}
