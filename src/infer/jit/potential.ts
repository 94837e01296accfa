/**
 * The compiled potential energy of HMC and NUTS (`jitCompile: true`, Pyro's
 * `jit_compile`): `U(q)` and `∇U(q)` traced once into a term graph and
 * generated as one JavaScript function over `Float64Array`s (forward and
 * reverse pass), then called for every leapfrog step.
 *
 * The graph takes the flat unconstrained vector `q` as its one input and
 * slices each site out of it, so a call reads `q` and returns the gradient
 * as one flat array. The model's arguments, observed data and any params the
 * model reads are constants of the graph (a potential is made per run).
 * Values the trace read into JavaScript are guards: a point where one reads
 * differently (a branch taken the other way) is traced again into another
 * variant, up to {@link MAX_POTENTIAL_VARIANTS}; past that, such points are
 * evaluated uncompiled (same values, uncompiled speed; counted in
 * {@link PotentialJitInfo}).
 *
 * Only lazy ops (the `funsor` backend) can be traced: on other backends
 * {@link compiledPotential} throws `NotImplementedError`. A model whose
 * potential cannot be traced (it calls `valueAndGrad` itself, say) is
 * refused at the first call with an `MCMCOptionError` on `jitCompile`.
 *
 * @module
 */
import { NotImplementedError } from "../../backends/not-implemented.js";
import type { Runtime } from "../../handlers/runtime.js";
import type { AnyModel } from "../../program/gen.js";
import { jitFunction } from "../../tensor/lazy/compile/trace.js";
import type { CompiledGraph } from "../../tensor/lazy/compile/compile.js";
import { lazyEnvOf } from "../../tensor/lazy/ops.js";
import type { LazyTensor } from "../../tensor/lazy/tensor.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { makePotential, potentialEnergy, type LatentLayout, type Potential, type PotentialAndGrad } from "../latents.js";
import { MCMCOptionError } from "../mcmc/kernels.js";

/** At most this many compiled variants (one per set of guard values) per potential. */
export const MAX_POTENTIAL_VARIANTS = 8;

/**
 * The error thrown when `jitCompile` is asked for and the potential cannot be
 * traced: an {@link MCMCOptionError} on the option, e.g. `infer.NUTS: option
 * 'jitCompile' must be false for this model (its potential energy cannot be
 * traced: ...), got boolean true`.
 */
function untraceable(owner: string, reason: string): MCMCOptionError {
  return new MCMCOptionError(owner, "jitCompile", `false for this model (its potential energy cannot be traced: ${reason})`, true);
}

/** What a compiled potential has done so far. */
export interface PotentialJitInfo {
  /** Traces (each made a compiled variant). */
  readonly traces: number;
  /** Calls computed by a compiled variant. */
  readonly compiledCalls: number;
  /** Calls computed uncompiled (every variant's guards failed and no more variants are made). */
  readonly uncompiledCalls: number;
}

/** A potential whose calls run compiled code, with counters. */
export interface CompiledPotential extends Potential {
  /** What the JIT has done so far. */
  readonly jitInfo: PotentialJitInfo;
}

/** Throws `NotImplementedError` unless `runtime` has lazy ops (what `jitCompile` traces). */
export function checkJitBackend(runtime: Runtime, owner: string): void {
  if (lazyEnvOf(runtime.ops) === undefined) {
    throw new NotImplementedError(runtime.name, "infer", `${owner.replace(/^infer\./, "")} with jitCompile (it needs lazy ops: use the funsor backend)`);
  }
}

/**
 * The potential of `model(...args)` over `layout`, compiled (see the module
 * doc); `owner` names the kernel in errors. Tracing waits for the first call.
 */
export function compiledPotential(runtime: Runtime, model: AnyModel, args: readonly unknown[], layout: LatentLayout, owner: string): CompiledPotential {
  checkJitBackend(runtime, owner);
  const ops = runtime.ops as unknown as Ops<LazyTensor>;
  const energy = potentialEnergy(runtime, model, args, layout);
  const uncompiled = makePotential(runtime, model, args, layout);
  const variants: CompiledGraph[] = [];
  const info = { traces: 0, compiledCalls: 0, uncompiledCalls: 0 };
  const sites = (q: LazyTensor): Tensor[] =>
    layout.sites.map((s) => {
      const flat = s.size === layout.size ? q : ops.slice(q, [s.offset], [s.size]);
      return ops.reshape(flat, s.unconstrainedShape) as unknown as Tensor;
    });
  const trace = (q: Float64Array): CompiledGraph => {
    info.traces++;
    try {
      const f = runtime.withValidation(false, () =>
        jitFunction(ops, ([x]) => [energy(sites(x!)) as unknown as LazyTensor], [ops.fromFlat(q, [layout.size])]),
      );
      return f.graph;
    } catch (e) {
      throw untraceable(owner, e instanceof Error ? e.message : String(e));
    }
  };
  const inputs: Float64Array[] = [new Float64Array(0)];
  /** The variant that applies at `q`, its forward pass run; `undefined` when none does and none more is made. */
  const forward = (q: Float64Array): CompiledGraph | undefined => {
    inputs[0] = q;
    for (let i = 0; i < variants.length; i++) {
      const g = variants[i]!;
      if (g.forward(inputs)) {
        if (i > 0) variants.splice(0, 0, ...variants.splice(i, 1)); // most recently used first
        info.compiledCalls++;
        return g;
      }
    }
    if (variants.length >= MAX_POTENTIAL_VARIANTS) {
      info.uncompiledCalls++;
      return undefined;
    }
    const g = trace(q);
    variants.unshift(g);
    if (!g.forward(inputs)) throw untraceable(owner, "the compiled potential failed its own guards at the traced point");
    info.compiledCalls++;
    return g;
  };
  return {
    layout,
    get jitInfo(): PotentialJitInfo {
      return { ...info };
    },
    value: (q) => {
      const g = forward(q);
      return g === undefined ? uncompiled.value(q) : g.outputs()[0]![0]!;
    },
    valueAndGrad: (q, gradOut): PotentialAndGrad => {
      const g = forward(q);
      if (g === undefined) return uncompiled.valueAndGrad(q);
      const value = g.outputs()[0]![0]!;
      const grad = g.backward(1)[0]!;
      if (gradOut === undefined) return { value, grad: grad.slice() };
      gradOut.set(grad);
      return { value, grad: gradOut };
    },
  };
}
