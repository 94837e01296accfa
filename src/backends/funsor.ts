/**
 * The `funsor` backend: every generic layer over lazy terms with named
 * dimensions, evaluated by the float64 ndarray ops.
 *
 * Its tensors are {@link LazyTensor}s, so every distribution, handler and
 * algorithm runs unchanged (eagerly, by default). What the terms add:
 * - `TraceEnumELBO` builds its sum-product contraction as a term under the
 *   lazy interpretation and evaluates the whole term at once (shared
 *   subterms once);
 * - `JitTraceELBO` and `JitTraceEnumELBO` trace the loss into a term graph
 *   and compile it, with its gradient, to a JavaScript function
 *   (`src/infer/jit`).
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import { makeLazyOps, type LazyOps } from "../tensor/lazy/ops.js";
import { lazy } from "../tensor/lazy/env.js";
import { evaluateAll } from "../tensor/lazy/evaluate.js";
import type { LazyTensor } from "../tensor/lazy/tensor.js";
import type { Tensor } from "../tensor/types.js";
import type { ElboContext, ParticleTraces } from "../infer/elbo/elbo.js";
import { TraceEnumELBO } from "../infer/elbo/trace-enum-elbo.js";
import { lazyEnvOf } from "../tensor/lazy/ops.js";
import { makeStandardBackend, type StandardBackend } from "./standard.js";

/**
 * `TraceEnumELBO` whose particle — the plated sum-product contraction, the
 * guide expectations and the surrogate — is built as one lazy term and then
 * evaluated (on other ops it computes exactly as `TraceEnumELBO`).
 *
 * @example
 * ```ts
 * pyroBackend("funsor", () => new infer.TraceEnumELBO({ maxPlateNesting: 1 })); // this class
 * ```
 */
export class FunsorTraceEnumELBO extends TraceEnumELBO {
  /** The particle built lazily, then evaluated in one pass. */
  protected override particle(ctx: ElboContext, traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const env = lazyEnvOf(ctx.ops);
    if (env === undefined || env.interpretation.kind !== "eager") return super.particle(ctx, traces);
    const built = env.run(lazy, () => super.particle(ctx, traces));
    const [elbo, surrogate] = evaluateAll(env, [built.elbo as unknown as LazyTensor, built.surrogate as unknown as LazyTensor]);
    return { elbo: elbo as unknown as Tensor, surrogate: surrogate as unknown as Tensor };
  }
}

/** The lazy ops of the `funsor` backend (terms evaluated by `base`). */
export function makeFunsorOps(base: Ops): LazyOps {
  return makeLazyOps(base);
}

/**
 * The `funsor` backend bundle over lazy ops evaluated by `base` (float64
 * ndarray in the registered backend).
 *
 * @example
 * ```ts
 * registerBackend("funsor64", modulesOf(makeFunsorBackend("funsor64", ndarrayOps)));
 * ```
 */
export function makeFunsorBackend(name: string, base: Ops): StandardBackend {
  const { ops } = makeFunsorOps(base);
  const backend = makeStandardBackend(name, ops as unknown as Ops);
  return { ...backend, infer: { ...backend.infer, TraceEnumELBO: FunsorTraceEnumELBO } };
}
