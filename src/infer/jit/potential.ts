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
  const sites = (q: LazyTensor): Tensor[] =>
    layout.sites.map((s) => {
      const flat = s.size === layout.size ? q : ops.slice(q, [s.offset], [s.size]);
      return ops.reshape(flat, s.unconstrainedShape) as unknown as Tensor;
    });
  const trace = (q: Float64Array): CompiledGraph => {
    try {
      const f = runtime.withValidation(false, () =>
        jitFunction(ops, ([x]) => [energy(sites(x!)) as unknown as LazyTensor], [ops.fromFlat(q, [layout.size])]),
      );
      return f.graph;
    } catch (e) {
      throw untraceable(owner, e instanceof Error ? e.message : String(e));
    }
  };
  return new JitPotential(layout, makePotential(runtime, model, args, layout), trace, owner);
}

/**
 * A compiled potential. Its calls are prototype methods, not closures made
 * per potential, so the optimized code V8 makes for them in one MCMC run
 * serves the next run's potential too.
 */
class JitPotential implements CompiledPotential {
  /** The compiled variants, most recently used first. */
  private readonly variants: CompiledGraph[] = [];
  private readonly info = { traces: 0, compiledCalls: 0, uncompiledCalls: 0 };
  /** The inputs of a forward pass (`q`). */
  private readonly inputs: Float64Array[] = [new Float64Array(0)];

  constructor(
    readonly layout: LatentLayout,
    private readonly uncompiled: Potential,
    private readonly trace: (q: Float64Array) => CompiledGraph,
    private readonly owner: string,
  ) {}

  get jitInfo(): PotentialJitInfo {
    return { ...this.info };
  }

  value(q: Float64Array): number {
    const g = this.forward(q);
    return g === undefined ? this.uncompiled.value(q) : g.outputs()[0]![0]!;
  }

  valueAndGrad(q: Float64Array, gradOut?: Float64Array): PotentialAndGrad {
    const g = this.forward(q);
    if (g === undefined) return this.uncompiled.valueAndGrad(q);
    const value = g.outputs()[0]![0]!;
    const grad = g.backward(1)[0]!;
    if (gradOut === undefined) return { value, grad: grad.slice() };
    gradOut.set(grad);
    return { value, grad: gradOut };
  }

  /** The variant that applies at `q`, its forward pass run; `undefined` when none does and none more is made. */
  private forward(q: Float64Array): CompiledGraph | undefined {
    const { variants, inputs, info } = this;
    inputs[0] = q;
    // The usual case first: the most recently used variant applies.
    const first = variants[0];
    if (first !== undefined && first.forward(inputs)) {
      info.compiledCalls++;
      return first;
    }
    for (let i = 1; i < variants.length; i++) {
      const g = variants[i]!;
      if (g.forward(inputs)) {
        variants.splice(0, 0, ...variants.splice(i, 1)); // most recently used first
        info.compiledCalls++;
        return g;
      }
    }
    if (variants.length >= MAX_POTENTIAL_VARIANTS) {
      info.uncompiledCalls++;
      return undefined;
    }
    info.traces++;
    const g = this.trace(q);
    variants.unshift(g);
    if (!g.forward(inputs)) throw untraceable(this.owner, "the compiled potential failed its own guards at the traced point");
    info.compiledCalls++;
    return g;
  }
}
