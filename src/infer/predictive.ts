/**
 * `Predictive`: prior and posterior predictive samples (Pyro's
 * `pyro.infer.Predictive`).
 *
 * `new infer.Predictive(model, options).call(...args)` (Pyro's
 * `predictive(*args)`; `.get` is an alias) runs the model `numSamples`
 * times and returns, for each returned site, its values stacked along a new
 * leading dim:
 * - with `posteriorSamples` (e.g. `mcmc.getSamples()`), draw `i` runs the
 *   model conditioned on `posteriorSamples[k][i]` for every site `k`;
 * - with a `guide` (e.g. an autoguide after SVI), draw `i` runs the guide
 *   and then the model conditioned on the guide's latent values;
 * - with neither, the model runs from its prior.
 *
 * Returned sites are as Pyro's: `returnSites` when given (a site name, or
 * `"_RETURN"` for the model's return value); else, with a guide, every
 * sample and deterministic site of the model; else every sample and
 * deterministic site not in `posteriorSamples`. Observed sites return their
 * data, as in Pyro: pass `undefined` for the data argument to get
 * predictions. `pyro.factor` sites are not returned.
 *
 * Shapes: `[numSamples, ...value shape]`. (Pyro pads each site with size-1
 * dims up to the model's plate nesting; NumPyro does not, nor does this.)
 * Draws are sequential by default; `parallel: true` runs one vectorized
 * pass with an outer plate `_num_predictive_samples` at the dim left of the
 * model's plates (the model must broadcast correctly, as in Pyro).
 *
 * @module
 */
import { ConditionHandler } from "../handlers/condition.js";
import type { Runtime } from "../handlers/runtime.js";
import { runTraced } from "../handlers/trace.js";
import { wrap } from "../handlers/wrap.js";
import type { Trace, TraceNode } from "../handlers/trace-record.js";
import { plate } from "../primitives/plate.js";
import { describeValue } from "../primitives/validate.js";
import type { AnyModel } from "../program/gen.js";
import type { Program } from "../program/program.js";
import type { Sites } from "../program/sites.js";
import { formatShape, sizeOf, tryBroadcastShapes } from "../tensor/shape.js";
import type { Shape, Tensor } from "../tensor/types.js";

/** The samples `Predictive` returns: each returned site with a leading sample dim. */
export type PredictiveSamples<S> = { readonly [K in (keyof S & string) | "_RETURN"]?: Tensor };

/** Options of {@link Predictive} (Pyro's keyword arguments in camelCase). */
export interface PredictiveOptions<Args extends readonly unknown[], S> {
  /** Posterior draws by site, each with a leading dim of the number of draws (e.g. `mcmc.getSamples()`). */
  readonly posteriorSamples?: Readonly<Record<string, Tensor>>;
  /** A guide to draw the latent sites from (not together with `posteriorSamples`). */
  readonly guide?: AnyModel<Args>;
  /** The number of draws; inferred from `posteriorSamples`, required otherwise. */
  readonly numSamples?: number;
  /** The sites to return (`"_RETURN"` for the model's return value); see the module doc for the default. */
  readonly returnSites?: readonly ((keyof S & string) | "_RETURN")[];
  /** Draw all samples in one vectorized run (default `false`). */
  readonly parallel?: boolean;
}

/** The error thrown for bad `Predictive` options or a model the options do not fit. */
export class PredictiveError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(`infer.Predictive: ${message}`);
    this.name = "PredictiveError";
  }
}

/** The name of the outer plate of `parallel: true` (as Pyro). */
const VECTOR_PLATE = "_num_predictive_samples";

/** Whether a trace site is a sample or deterministic site Predictive may return (not `pyro.factor`). */
function isReturnable(node: TraceNode): boolean {
  return !(node.isObserved && node.infer.isAuxiliary === true && node.infer._deterministic !== true);
}

/** `model` with the sites in `data` observed (`handlers.condition` for a model of any sites). */
function conditioned<Args extends readonly unknown[]>(model: AnyModel<Args>, data: Readonly<Record<string, Tensor>>): AnyModel<Args> {
  return wrap("infer.Predictive", model, (ctx) => new ConditionHandler(ctx.runtime.ops, data));
}

/** The deepest plate nesting of a trace's sites (Pyro's `_guess_max_plate_nesting`). */
function maxPlateNesting(trace: Trace): number {
  let n = 0;
  for (const node of trace.nodes.values()) {
    for (const f of node.condIndepStack) if (f.dim !== null) n = Math.max(n, -f.dim);
  }
  return n;
}

/**
 * Prior and posterior predictive sampling of `model`.
 *
 * @example
 * ```ts
 * const predictive = new infer.Predictive(model, { guide, numSamples: 1000 });
 * const samples = predictive.call(undefined); // data argument undefined: predict "obs"
 * samples.obs!.shape; // [1000, N]
 * ```
 */
export class Predictive<Args extends readonly unknown[], S = Sites> {
  /** The number of draws. */
  readonly numSamples: number;
  private readonly posteriorSamples: Readonly<Record<string, Tensor>>;
  private readonly guide: AnyModel<Args> | undefined;
  private readonly returnSites: readonly string[] | undefined;
  private readonly parallel: boolean;

  /** Makes Predictive on `runtime` (backends bind it; users call `new infer.Predictive(model, options)`). */
  constructor(
    private readonly runtime: Runtime,
    /** The model. */
    readonly model: AnyModel<Args>,
    options: PredictiveOptions<Args, S> = {},
  ) {
    if (typeof model !== "function") throw new PredictiveError(`model must be a model function, got ${describeValue(model)}`);
    const { posteriorSamples = {}, guide, numSamples, returnSites, parallel = false } = options;
    if (guide !== undefined && typeof guide !== "function") {
      throw new PredictiveError(`guide must be a model function, got ${describeValue(guide)}`);
    }
    if (guide !== undefined && Object.keys(posteriorSamples).length > 0) {
      throw new PredictiveError("posteriorSamples cannot be given together with a guide");
    }
    if (numSamples !== undefined && (!Number.isInteger(numSamples) || numSamples < 1)) {
      throw new PredictiveError(`numSamples must be an integer ≥ 1, got ${describeValue(numSamples)}`);
    }
    let n = numSamples;
    for (const [site, value] of Object.entries(posteriorSamples)) {
      if (!runtime.ops.isTensor(value) || value.shape.length === 0) {
        throw new PredictiveError(`posteriorSamples.${site} must be a tensor with a leading sample dim, got ${describeValue(value)}`);
      }
      const draws = value.shape[0]!;
      if (n === undefined) n = draws;
      else if (n !== draws) {
        throw new PredictiveError(
          `posteriorSamples.${site} has ${draws} draws (shape ${formatShape(value.shape)}), but ` +
            (numSamples !== undefined ? `numSamples is ${numSamples}` : "other sites have " + n),
        );
      }
    }
    if (n === undefined) throw new PredictiveError("numSamples is required without posteriorSamples");
    if (returnSites !== undefined && (!Array.isArray(returnSites) || !returnSites.every((s) => typeof s === "string"))) {
      throw new PredictiveError(`returnSites must be an array of site names, got ${describeValue(returnSites)}`);
    }
    if (typeof parallel !== "boolean") throw new PredictiveError(`parallel must be a boolean, got ${describeValue(parallel)}`);
    this.numSamples = n;
    this.posteriorSamples = posteriorSamples;
    this.guide = guide;
    this.returnSites = returnSites;
    this.parallel = parallel;
  }

  /** Draws the samples for the model's arguments `args` (Pyro's `predictive(*args)`). */
  call(...args: Args): PredictiveSamples<S> {
    const { ops } = this.runtime;
    return ops.tidy(() => {
      const out = this.parallel ? this.vectorized(args) : this.sequential(args);
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, ops.stopGradient(v)]));
    }) as PredictiveSamples<S>;
  }

  /** Alias of {@link Predictive.call}. */
  get(...args: Args): PredictiveSamples<S> {
    return this.call(...args);
  }

  private trace(program: Program<unknown, Sites>, args: Args): Trace {
    return runTraced((p) => this.runtime.run(p), program, args);
  }

  /** The names of the sites to return, given a trace of the model. */
  private sitesToReturn(trace: Trace): string[] {
    const names = trace.sampleNodes().filter(isReturnable).map((n) => n.name);
    if (this.returnSites !== undefined) {
      for (const s of this.returnSites) {
        if (s !== "_RETURN" && !names.includes(s)) {
          throw new PredictiveError(`returnSites: '${s}' is not a sample or deterministic site of the model (its sites: ${names.join(", ")})`);
        }
      }
      return [...this.returnSites];
    }
    if (this.guide !== undefined) return names;
    return names.filter((n) => !(n in this.posteriorSamples));
  }

  /** The value of site `name` (or the return value) of a trace. */
  private valueOf(trace: Trace, name: string): Tensor {
    const v = name === "_RETURN" ? trace.returnValue : trace.nodes.get(name)?.value;
    if (!this.runtime.ops.isTensor(v)) {
      throw new PredictiveError(`site '${name}' has no tensor value in this run (got ${describeValue(v)})`);
    }
    return v;
  }

  /** The latent values of one guide run. */
  private guideDraw(args: Args): Record<string, Tensor> {
    const tr = this.trace(this.guide!(...args), args);
    return Object.fromEntries(tr.stochasticNodes().map((n) => [n.name, n.value!]));
  }

  /** `numSamples` separate runs. */
  private sequential(args: Args): Record<string, Tensor> {
    const { ops } = this.runtime;
    let sites: string[] | undefined;
    const collected = new Map<string, Tensor[]>();
    for (let i = 0; i < this.numSamples; i++) {
      const data =
        this.guide !== undefined
          ? this.guideDraw(args)
          : Object.fromEntries(Object.entries(this.posteriorSamples).map(([k, v]) => [k, ops.index(v, i)]));
      const tr = this.trace(conditioned(this.model, data)(...args), args);
      sites ??= this.sitesToReturn(tr);
      for (const s of sites) {
        const list = collected.get(s) ?? [];
        list.push(this.valueOf(tr, s));
        collected.set(s, list);
      }
    }
    return Object.fromEntries(
      (sites ?? []).map((s) => {
        const values = collected.get(s)!;
        const shape = values[0]!.shape;
        const other = values.find((v) => formatShape(v.shape) !== formatShape(shape));
        if (other !== undefined) {
          throw new PredictiveError(`site '${s}' has values of different shapes across draws (${formatShape(shape)} and ${formatShape(other.shape)})`);
        }
        return [s, ops.stack(values, 0)];
      }),
    );
  }

  /** `model` run inside the outer sample plate at dim `-(nesting + 1)`. */
  private vectorize(m: AnyModel<Args>, nesting: number): AnyModel<Args> {
    return (...a: Args) => plate(VECTOR_PLATE, this.numSamples, { dim: -nesting - 1 }, () => m(...a));
  }

  /**
   * A vectorized run's value of a site, as `[N, ...shape]`: broadcast to
   * `[N, 1 (× nesting − batch rank), ...shape]`, then reshaped.
   */
  private unvectorize(site: string, v: Tensor, proto: TraceNode | undefined, nesting: number): Tensor {
    const { ops } = this.runtime;
    const shape: Shape = proto?.value?.shape ?? v.shape.slice(1);
    const batchRank = proto?.fn?.batchShape.length ?? 0;
    const target = [this.numSamples, ...new Array<number>(Math.max(nesting - batchRank, 0)).fill(1), ...shape];
    const b = tryBroadcastShapes(v.shape, target);
    if (b === undefined || formatShape(b) !== formatShape(target)) {
      throw new PredictiveError(
        `site '${site}' did not vectorize: its value has shape ${formatShape(v.shape)}, expected one broadcasting to ` +
          `${formatShape(target)}; use parallel: false, or make the model broadcast over a leading sample dim`,
      );
    }
    return ops.reshape(ops.expand(v, target), [this.numSamples, ...shape]);
  }

  /** One vectorized run (Pyro's `parallel=True`). */
  private vectorized(args: Args): Record<string, Tensor> {
    const { ops } = this.runtime;
    let posterior: Record<string, Tensor> = { ...this.posteriorSamples };
    if (this.guide !== undefined) {
      const gProto = this.trace(this.guide(...args), args);
      const gNest = maxPlateNesting(gProto);
      const gTrace = this.trace(this.vectorize(this.guide, gNest)(...args), args);
      posterior = Object.fromEntries(
        gTrace.stochasticNodes().map((n) => [n.name, this.unvectorize(n.name, n.value!, gProto.nodes.get(n.name), gNest)]),
      );
    }
    const proto = this.trace(this.model(...args), args);
    const nesting = maxPlateNesting(proto);
    const data: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(posterior)) {
      const node = proto.nodes.get(k);
      if (node === undefined || node.fn === null) continue;
      const pad = nesting - node.fn.batchShape.length;
      if (pad < 0) throw new PredictiveError(`site '${k}' has more batch dims than the model's plates; use parallel: false`);
      data[k] = ops.reshape(v, [this.numSamples, ...new Array<number>(pad).fill(1), ...v.shape.slice(1)]);
    }
    const tr = this.trace(conditioned(this.vectorize(this.model, nesting), data)(...args), args);
    const sites = this.sitesToReturn(proto);
    return Object.fromEntries(
      sites.map((s) => {
        const v = this.valueOf(tr, s);
        if (s !== "_RETURN") return [s, this.unvectorize(s, v, proto.nodes.get(s), nesting)];
        // The return value has no batch shape to go by: [N, ...shape] when the sizes agree, else as is (as Pyro).
        const shape = ops.isTensor(proto.returnValue) ? proto.returnValue.shape : undefined;
        const fits = shape !== undefined && sizeOf(v.shape) === this.numSamples * sizeOf(shape);
        return [s, fits ? ops.reshape(v, [this.numSamples, ...shape]) : v];
      }),
    );
  }
}
