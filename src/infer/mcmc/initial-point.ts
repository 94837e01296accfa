/**
 * Where a chain starts: the model's latent layout (from a prototype trace)
 * and, per chain, an initial unconstrained point with a finite potential
 * energy and gradient — drawn with the kernel's init strategy and retried
 * with fresh keys, as Pyro's `_find_valid_initial_params`.
 *
 * @module
 */
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import { fold, type RandomKey } from "../../tensor/random/index.js";
import type { TensorLike } from "../../tensor/types.js";
import { initialTrace, type InitStrategy } from "../init.js";
import { DiscreteLatentError, latentLayout, packTrace, type LatentLayout, type Potential } from "../latents.js";
import { MCMCOptionError } from "./kernels.js";

/** Initialization attempts per chain before giving up (Pyro's 100). */
export const MAX_INIT_ATTEMPTS = 100;

/** The error thrown when no initial point with a finite potential energy and gradient is found. */
export class MCMCInitializationError extends Error {
  /** Makes the error for `algorithm` with `detail`. */
  constructor(algorithm: string, detail: string) {
    super(`${algorithm}: could not find an initial point with a finite potential energy and gradient: ${detail}`);
    this.name = "MCMCInitializationError";
  }
}

/** Throws unless `layout` has the same sites and sizes as `expected` (a model whose latent structure changes between runs). */
function checkSameLayout(algorithm: string, expected: LatentLayout, layout: LatentLayout): void {
  const describe = (l: LatentLayout) => l.sites.map((s) => `${s.name}:${s.size}`).join(", ");
  if (describe(expected) !== describe(layout)) {
    throw new MCMCInitializationError(
      algorithm,
      `the model's latent sites changed between runs (${describe(expected)} vs ${describe(layout)}); MCMC needs a fixed set of latent sites`,
    );
  }
}

/** `strategy`, refusing discrete latent sites with {@link DiscreteLatentError} before it looks at their support. */
function continuousOnly(algorithm: string, strategy: InitStrategy): InitStrategy {
  return (site, key, ctx) => {
    if (site.fn?.isDiscrete === true) throw new DiscreteLatentError(site.name, algorithm);
    return strategy(site, key, ctx);
  };
}

/** The layout of `model(...args)`'s latent sites, from a trace initialized by `strategy`. */
export function modelLayout(
  runtime: Runtime,
  algorithm: string,
  model: AnyModel,
  args: readonly unknown[],
  strategy: InitStrategy,
  key: RandomKey,
): LatentLayout {
  const trace = initialTrace(runtime, model, args, continuousOnly(algorithm, strategy), key);
  const layout = latentLayout(runtime, trace, algorithm);
  if (layout.size === 0) throw new MCMCInitializationError(algorithm, "the model has no latent (unobserved) sample sites");
  return layout;
}

/** Options of {@link findInitialPoint}. */
export interface InitialPointOptions {
  /** The kernel name, for messages. */
  readonly algorithm: string;
  /** The model. */
  readonly model: AnyModel;
  /** The model's arguments. */
  readonly args: readonly unknown[];
  /** The latent layout. */
  readonly layout: LatentLayout;
  /** The potential. */
  readonly potential: Potential;
  /** The init strategy for sites without an initial value. */
  readonly strategy: InitStrategy;
  /** User-given unconstrained values (see `MCMCOptions.initParams`). */
  readonly initParams?: Readonly<Record<string, TensorLike>>;
  /** This chain's index and the number of chains (for per-chain initial values). */
  readonly chain: number;
  /** The number of chains. */
  readonly numChains: number;
}

/** Overwrites the sites given in `initParams` in `q` (unconstrained values, shared or per chain). */
function applyInitParams(runtime: Runtime, o: InitialPointOptions, q: Float64Array): void {
  for (const [name, value] of Object.entries(o.initParams ?? {})) {
    const site = o.layout.sites.find((s) => s.name === name);
    if (site === undefined) {
      const known = o.layout.sites.map((s) => s.name).join(", ");
      throw new MCMCOptionError("infer.MCMC", `initParams.${name}`, `a latent site of the model (${known})`, name);
    }
    const flat = runtime.ops.toFlat(runtime.ops.tensor(value));
    if (flat.length === site.size) q.set(flat, site.offset);
    else if (flat.length === site.size * o.numChains) q.set(flat.subarray(o.chain * site.size, (o.chain + 1) * site.size), site.offset);
    else {
      throw new MCMCOptionError(
        "infer.MCMC",
        `initParams.${name}`,
        `an unconstrained value of shape [${site.unconstrainedShape.join(", ")}] or [${o.numChains}, ${site.unconstrainedShape.join(", ")}]`,
        `a value with ${flat.length} elements`,
      );
    }
  }
}

/**
 * An initial unconstrained point for one chain: attempt k draws the latent
 * sites with `strategy` from `fold(key, k)`, overrides them with
 * `initParams`, and is kept if U and ∇U are finite there.
 */
export function findInitialPoint(runtime: Runtime, o: InitialPointOptions, key: RandomKey): Float64Array {
  // Only numbers leave: the traces' tensors are released (tfjs).
  return runtime.ops.tidy(() => findInitialPointIn(runtime, o, key));
}

function findInitialPointIn(runtime: Runtime, o: InitialPointOptions, key: RandomKey): Float64Array {
  let last = "";
  for (let attempt = 0; attempt < MAX_INIT_ATTEMPTS; attempt++) {
    const trace = initialTrace(runtime, o.model, o.args, continuousOnly(o.algorithm, o.strategy), fold(key, attempt));
    checkSameLayout(o.algorithm, o.layout, latentLayout(runtime, trace, o.algorithm));
    const q = packTrace(runtime, o.layout, trace);
    applyInitParams(runtime, o, q);
    const { value, grad } = o.potential.valueAndGrad(q);
    const bad = o.layout.sites.find((s) => grad.subarray(s.offset, s.offset + s.size).some((g) => !Number.isFinite(g)));
    if (Number.isFinite(value) && bad === undefined) return q;
    last = !Number.isFinite(value) ? `potential energy ${value}` : `the gradient at site '${bad!.name}' is not finite`;
    if (o.initParams !== undefined && o.layout.sites.every((s) => s.name in o.initParams!)) break;
  }
  throw new MCMCInitializationError(o.algorithm, `${last} (after up to ${MAX_INIT_ATTEMPTS} attempts)`);
}
