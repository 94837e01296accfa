/**
 * Initialization strategies for latent sites (Pyro's
 * `pyro.infer.autoguide.initialization`), used by MCMC kernels and
 * autoguides, and the handler that applies one while tracing a model.
 *
 * A strategy maps an unvalued latent sample site to its initial constrained
 * value.
 *
 * @module
 */
import { bijectTo } from "../distributions/transforms/registry.js";
import type { DistContext } from "../distributions/context.js";
import { handlerScope } from "../handlers/interpreter.js";
import type { Handler, Message } from "../handlers/message.js";
import type { Runtime } from "../handlers/runtime.js";
import { isSubsampleSite } from "../handlers/subsample-dist.js";
import { runTraced } from "../handlers/trace.js";
import type { Trace } from "../handlers/trace-record.js";
import type { AnyModel } from "../program/gen.js";
import { scoped } from "../program/program.js";
import { split, uniform, type RandomKey } from "../tensor/random/index.js";
import { sizeOf } from "../tensor/shape.js";
import type { Tensor, TensorLike } from "../tensor/types.js";

/** The initial constrained value of a latent site. */
export type InitStrategy = (site: Message, key: RandomKey, ctx: DistContext) => Tensor;

/** Whether every element of `x` is finite. */
function allFinite(ctx: DistContext, x: Tensor): boolean {
  return ctx.ops.item(ctx.ops.all(ctx.ops.isFinite(x))) !== 0;
}

/** The value that is 0 in unconstrained space (e.g. 1 for `positive`, the uniform simplex). */
export const initToFeasible: InitStrategy = (site, _key, ctx) => {
  const t = bijectTo(ctx, site.fn!.support);
  const shape = t.inverseShape(site.fn!.shape(site.sampleShape));
  return t.forward(ctx.ops.zeros(shape));
};

/** A draw from the prior (falls back to {@link initToFeasible} if it is not finite). */
export const initToSample: InitStrategy = (site, key, ctx) => {
  const x = site.fn!.sample(key, site.sampleShape);
  return allFinite(ctx, x) ? x : initToFeasible(site, key, ctx);
};

/** The prior mean (falls back to {@link initToMedian} when the mean is undefined or infinite). */
export const initToMean: InitStrategy = (site, key, ctx) => {
  try {
    const m = ctx.ops.add(site.fn!.mean, ctx.ops.zeros(site.fn!.shape(site.sampleShape)));
    if (allFinite(ctx, m) && ctx.ops.item(ctx.ops.all(site.fn!.support.check(ctx.ops, m))) !== 0) return m;
  } catch {
    // No closed-form mean: use the median below.
  }
  return initToMedian()(site, key, ctx);
};

/**
 * The elementwise median of `numSamples` prior draws (Pyro's default for
 * autoguides; 15 draws), falling back to {@link initToFeasible}.
 */
export function initToMedian(options: { numSamples?: number } = {}): InitStrategy {
  const n = options.numSamples ?? 15;
  return (site, key, ctx) => {
    const { ops } = ctx;
    const draws = site.fn!.sample(key, [n, ...site.sampleShape]);
    const flat = ops.toFlat(draws);
    const m = flat.length / n;
    const out = new Float64Array(m);
    const column = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) column[i] = flat[i * m + j]!;
      column.sort();
      out[j] = n % 2 === 1 ? column[(n - 1) / 2]! : 0.5 * (column[n / 2 - 1]! + column[n / 2]!);
    }
    const median = ops.fromFlat(out, draws.shape.slice(1));
    const ok = allFinite(ctx, median) && ops.item(ops.all(site.fn!.support.check(ops, median))) !== 0;
    return ok ? median : initToFeasible(site, key, ctx);
  };
}

/** Uniform in `(-radius, radius)` in unconstrained space (Stan's default, radius 2). */
export function initToUniform(options: { radius?: number } = {}): InitStrategy {
  const r = options.radius ?? 2;
  return (site, key, ctx) => {
    const t = bijectTo(ctx, site.fn!.support);
    const shape = t.inverseShape(site.fn!.shape(site.sampleShape));
    const u = uniform(key, sizeOf(shape)).map((v) => r * (2 * v - 1));
    return t.forward(ctx.ops.fromFlat(u, shape));
  };
}

/** Given values for some sites, `fallback` (default {@link initToFeasible}) for the rest. */
export function initToValue(options: {
  values: Readonly<Record<string, TensorLike>>;
  fallback?: InitStrategy;
}): InitStrategy {
  const fallback = options.fallback ?? initToFeasible;
  return (site, key, ctx) => {
    const v = options.values[site.name];
    return v === undefined ? fallback(site, key, ctx) : ctx.ops.tensor(v);
  };
}

/** Sets each unvalued latent sample site with `strategy`. */
class InitHandler implements Handler {
  constructor(
    private readonly strategy: InitStrategy,
    private readonly ctx: DistContext,
    private key: RandomKey,
  ) {}

  process(msg: Message): void {
    if (msg.type !== "sample" || msg.isObserved || msg.value !== null || isSubsampleSite(msg)) return;
    const [next, sub] = split(this.key);
    this.key = next!;
    msg.value = this.strategy(msg, sub!, this.ctx);
  }
}

/**
 * A trace of `model(...args)` whose latent sites are set by `strategy`.
 * Validation stays as the runtime has it: every strategy returns a point in
 * the support, so a model that rejects it has a real error.
 */
export function initialTrace(
  runtime: Runtime,
  model: AnyModel,
  args: readonly unknown[],
  strategy: InitStrategy,
  key: RandomKey = runtime.nextKey(),
): Trace {
  const handler = new InitHandler(strategy, runtime.distCtx, key);
  return runTraced(
    (p) => runtime.run(p),
    scoped(handlerScope(() => handler), () => model(...args)),
    args,
  );
}
