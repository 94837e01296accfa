/**
 * The autoguide base (Pyro's `AutoGuide`): a guide built from a model.
 *
 * An autoguide is itself a model — a function from the model's arguments to
 * a program — so it can be the guide of `new infer.SVI(model, guide, ...)`,
 * be traced, seeded and replayed like any model; it also carries methods
 * (`median`, `quantiles`, `samplePosterior`). On its first run it sets up
 * its prototype (see `prototype.ts`); its params are `pyro.param` sites
 * named `${prefix}.…` (Pyro's `AutoNormal.locs.x`), created from the
 * prototype's initial values. As in Pyro, the first run decides which sites
 * are latent: set the guide up with the data the model observes (a site
 * whose `obs` is `undefined` in that run becomes a latent site of the guide).
 *
 * @module
 */
import { constraints } from "../../distributions/constraints.js";
import type { Constraint } from "../../distributions/constraint.js";
import { Delta } from "../../distributions/index.js";
import { bijectTo } from "../../distributions/transforms/registry.js";
import { sumRightmost } from "../../distributions/util.js";
import type { Runtime } from "../../handlers/runtime.js";
import { runTraced } from "../../handlers/trace.js";
import { param } from "../../primitives/param.js";
import { gen, type AnyModel, type Model } from "../../program/gen.js";
import { flatMapProgram, pure, type Program } from "../../program/program.js";
import type { Sites } from "../../program/sites.js";
import type { Tensor } from "../../tensor/types.js";
import { type InitStrategy, initToMedian } from "../init.js";
import { AutoGuideOptionError } from "./errors.js";
import { GuidePlates, type AutoPlate } from "./plates.js";
import { setupPrototype, type Prototype, type PrototypeSite } from "./prototype.js";

/** The values of a guide's latent sites, by site name. */
export type LatentValues<S> = { readonly [K in keyof S & string]?: Tensor };

/** Options shared by the autoguides (Pyro's keyword arguments). */
export interface AutoGuideOptions<Args extends readonly unknown[] = readonly unknown[]> {
  /** How latent sites are initialized (default `initToMedian()`, Pyro's `init_loc_fn`). */
  readonly initLocFn?: InitStrategy;
  /** The initial scale of each unconstrained latent (default 0.1). */
  readonly initScale?: number;
  /** The first part of the guide's param names (default the guide's class name, as Pyro). */
  readonly prefix?: string;
  /** Plates to use instead of those the guide makes from the model (Pyro's `create_plates`). */
  readonly createPlates?: (...args: Args) => readonly AutoPlate[];
}

/**
 * An autoguide: a guide for a model with arguments `Args` and sites `S`.
 * It is a model with the same sites, so `new infer.SVI(model, guide, ...)`
 * type-checks.
 *
 * @example
 * ```ts
 * const guide = infer.autoguide.AutoNormal(model);
 * const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
 * for (let i = 0; i < 2000; i++) svi.step(data);
 * guide.median(data).loc;                 // constrained posterior median of site "loc"
 * guide.quantiles([0.05, 0.95], data).loc; // shape [2, ...]
 * ```
 */
export interface AutoGuide<Args extends readonly unknown[], S> extends Model<Args, LatentValues<S>, S> {
  /** The first part of the guide's param names. */
  readonly prefix: string;
  /** The constrained posterior median of each latent site (sets the guide up from `args` if needed). */
  median(...args: Args): LatentValues<S>;
  /** Posterior quantiles of each latent site: a tensor with a leading dim of `quantiles.length`. */
  quantiles(quantiles: readonly number[], ...args: Args): LatentValues<S>;
  /** `numSamples` draws of each latent site from the guide, stacked along a new leading dim. */
  samplePosterior(numSamples: number, ...args: Args): LatentValues<S>;
}

/** Throws unless `scale` is a positive finite number. */
export function checkInitScale(guide: string, scale: unknown): number {
  if (typeof scale !== "number" || !(scale > 0) || !Number.isFinite(scale)) {
    throw new AutoGuideOptionError(guide, "initScale", "a positive finite number", scale);
  }
  return scale;
}

/**
 * The body of a guide with one distribution per latent site: every site of
 * `p` inside its plates, drawn by `draw`, the values by site name. Started
 * from a shared generator function, not one made per run (see `gen`).
 */
export function perSiteBody(p: Prototype, plates: GuidePlates, draw: (site: PrototypeSite) => Program<Tensor, Sites>): Program<Record<string, Tensor>, Sites> {
  return gen(() => everySite(p, plates, draw));
}

function* everySite(p: Prototype, plates: GuidePlates, draw: (site: PrototypeSite) => Program<Tensor, Sites>) {
  const result: Record<string, Tensor> = {};
  for (const site of p.sites) result[site.name] = yield* plates.within(site.frames, () => draw(site));
  return result;
}

/** The Delta site of a latent `name` at `T(u)`, with log-density `−log|det J_T(u)|` (Pyro's autoguide sites). */
export function transformedDelta(runtime: Runtime, site: PrototypeSite, u: Tensor): Delta {
  const { ops } = runtime;
  const t = bijectTo(runtime.distCtx, site.support);
  const value = t.forward(u);
  const logDet = t.logAbsDetJacobian(u, value);
  const logDensity = ops.neg(sumRightmost(ops, logDet, logDet.shape.length - value.shape.length + site.eventDim));
  return new Delta(runtime.distCtx, value, { logDensity, eventDim: site.eventDim });
}

/** A param of a guide: its name, initial value and constraint. */
export interface GuideParam {
  /** The param's full name (`${prefix}.loc`). */
  readonly name: string;
  /** Makes the initial (constrained) value. */
  readonly init: () => Tensor;
  /** The constraint (default `real`). */
  readonly constraint?: Constraint;
  /** Event dims, for plate indexing. */
  readonly eventDim?: number;
}

/** The implementation behind an autoguide's callable: state, setup, the program, the methods. */
export abstract class AutoGuideImpl<Args extends readonly unknown[]> {
  /** The first part of the param names. */
  readonly prefix: string;
  /** The init strategy of the prototype run. */
  protected readonly initLocFn: InitStrategy;
  private readonly createPlates: ((...args: Args) => readonly AutoPlate[]) | undefined;
  private proto: Prototype | undefined;

  /** Makes the guide `kind` of `model` on `runtime`. */
  constructor(
    /** The runtime the guide's params and prototype live in. */
    protected readonly runtime: Runtime,
    /** The model. */
    readonly model: AnyModel<Args>,
    /** The guide's class name ("AutoNormal"). */
    readonly kind: string,
    options: AutoGuideOptions<Args>,
  ) {
    if (typeof model !== "function") throw new AutoGuideOptionError(kind, "model", "a model function", model);
    if (options.initLocFn !== undefined && typeof options.initLocFn !== "function") {
      throw new AutoGuideOptionError(kind, "initLocFn", "an init strategy such as initToMedian()", options.initLocFn);
    }
    if (options.prefix !== undefined && (typeof options.prefix !== "string" || options.prefix.length === 0)) {
      throw new AutoGuideOptionError(kind, "prefix", "a non-empty string", options.prefix);
    }
    if (options.createPlates !== undefined && typeof options.createPlates !== "function") {
      throw new AutoGuideOptionError(kind, "createPlates", "a function of the model's arguments", options.createPlates);
    }
    this.prefix = options.prefix ?? kind;
    this.initLocFn = options.initLocFn ?? initToMedian();
    this.createPlates = options.createPlates;
  }

  /** The prototype, set up from `args` on first use. */
  prototype(args: Args): Prototype {
    if (this.proto === undefined) {
      const p = setupPrototype(this.runtime, this.model, args, this.initLocFn, this.kind);
      this.initialize(p);
      this.proto = p;
    }
    return this.proto;
  }

  /** Uses a prototype set up elsewhere (the Laplace approximation's guide shares its parent's). */
  adoptPrototype(p: Prototype): void {
    this.initialize(p);
    this.proto = p;
  }

  /** Prepares params' initial values from the prototype. */
  protected abstract initialize(p: Prototype): void;

  /** The guide's sample statements for one run. */
  protected abstract body(args: Args, p: Prototype, plates: GuidePlates): Program<Record<string, Tensor>, Sites>;

  /** Constrained medians (the guide is set up). */
  protected abstract medianOf(p: Prototype): Record<string, Tensor>;

  /** Quantiles with a leading dim (the guide is set up). */
  protected abstract quantilesOf(p: Prototype, qs: readonly number[]): Record<string, Tensor>;

  /** The program of one run of the guide: sets up on first run, then samples. */
  program(args: Args): Program<Record<string, Tensor>, Sites> {
    return flatMapProgram(pure(undefined), () =>
      this.body(args, this.prototype(args), new GuidePlates(this.createPlates?.(...args) ?? [])),
    );
  }

  /** See {@link AutoGuide.median}. */
  median(args: Args): Record<string, Tensor> {
    const p = this.prototype(args);
    return this.runtime.ops.tidy(() => this.medianOf(p));
  }

  /** See {@link AutoGuide.quantiles}. */
  quantiles(qs: readonly number[], args: Args): Record<string, Tensor> {
    if (!Array.isArray(qs) || qs.length === 0 || !qs.every((q) => typeof q === "number" && q > 0 && q < 1)) {
      throw new AutoGuideOptionError(this.kind, "quantiles", "a non-empty array of numbers in (0, 1)", qs);
    }
    const p = this.prototype(args);
    return this.runtime.ops.tidy(() => this.quantilesOf(p, qs));
  }

  /** See {@link AutoGuide.samplePosterior}. */
  samplePosterior(numSamples: number, args: Args): Record<string, Tensor> {
    if (!Number.isInteger(numSamples) || numSamples < 1) {
      throw new AutoGuideOptionError(this.kind, "numSamples", "an integer ≥ 1", numSamples);
    }
    const { ops } = this.runtime;
    const p = this.prototype(args);
    return ops.tidy(() => {
      const draws: Record<string, Tensor[]> = Object.fromEntries(p.sites.map((s) => [s.name, []]));
      for (let i = 0; i < numSamples; i++) {
        const tr = runTraced((prog) => this.runtime.run(prog), this.program(args), args);
        for (const s of p.sites) draws[s.name]!.push(ops.stopGradient(tr.nodes.get(s.name)!.value!));
      }
      return Object.fromEntries(Object.entries(draws).map(([k, v]) => [k, ops.stack(v, 0)]));
    });
  }

  /** The current value of a guide param: the stored one, or its initial value before the first run. */
  protected paramValue(spec: GuideParam): Tensor {
    const store = this.runtime.paramStore;
    return store.has(spec.name) ? store.get(spec.name) : spec.init();
  }

  /** A `pyro.param` statement for `spec`. */
  protected paramSite(spec: GuideParam): Program<Tensor, never> {
    return param(spec.name, spec.init, { constraint: spec.constraint ?? constraints.real, eventDim: spec.eventDim });
  }
}

/** The callable guide of `impl`, with its methods. */
export function toAutoGuide<Args extends readonly unknown[], S, Extra extends object = {}>(
  impl: AutoGuideImpl<Args>,
  extra?: Extra,
): AutoGuide<Args, S> & Extra {
  const guide = ((...args: Args) => impl.program(args)) as unknown as AutoGuide<Args, S>;
  const methods = {
    prefix: impl.prefix,
    median: (...args: Args) => impl.median(args),
    quantiles: (qs: readonly number[], ...args: Args) => impl.quantiles(qs, args),
    samplePosterior: (n: number, ...args: Args) => impl.samplePosterior(n, args),
  };
  return Object.assign(guide, methods, extra) as AutoGuide<Args, S> & Extra;
}
