/**
 * One compiled ELBO graph and how to run it for a step: read the params
 * (through the caller's runner, so SVI's param tracking differentiates
 * them), regenerate the random inputs from the step's key, run the compiled
 * forward pass, and wrap the surrogate as a base-ops custom op whose
 * gradient is the compiled reverse pass.
 *
 * @module
 */
import type { Runner } from "../../handlers/trace.js";
import { gen } from "../../program/gen.js";
import { param } from "../../primitives/param.js";
import type { CompiledGraph } from "../../tensor/lazy/compile/compile.js";
import type { LazyEnv } from "../../tensor/lazy/env.js";
import { constTerm, LazyTensor } from "../../tensor/lazy/tensor.js";
import type { Ops } from "../../tensor/ops.js";
import type { RandomKey } from "../../tensor/random/key.js";
import type { Tensor } from "../../tensor/types.js";
import type { LossAndSurrogate } from "../elbo/elbo.js";
import { KeyChain } from "./runner.js";
import { randomData, type RandomInput } from "./sources.js";

/** The error thrown when a compiled gradient is requested after its buffers were reused. */
export class StaleJitGradientError extends Error {
  /** Makes the error. */
  constructor() {
    super("JIT ELBO: the gradient of a compiled loss was requested after the compiled function ran again; take each step's gradient before the next loss");
    this.name = "StaleJitGradientError";
  }
}

/** The inputs a compiled variant reads. */
export interface VariantPlan {
  /** The compiled graph (inputs: param slots, then random inputs). */
  readonly graph: CompiledGraph;
  /** The param name of each param slot. */
  readonly paramNames: readonly string[];
  /** The data size of each param slot. */
  readonly paramSizes: readonly number[];
  /** The random inputs. */
  readonly random: readonly RandomInput[];
}

/** The inputs in slot order: param data per slot, then random data. */
export function slotInputs(plan: VariantPlan, params: ReadonlyMap<string, Float64Array | Float32Array>, random: readonly Float64Array[]): Float64Array[] {
  return [...plan.paramNames.map((n) => params.get(n) as Float64Array), ...random];
}

/** Whether two losses agree to float64 rounding (summation order aside). */
export function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));
}

/** A compiled graph bound to the runtime pieces it needs on each step. */
export class Variant {
  private generation = 0;
  private readonly names: string[];

  /** For each param slot, the index of its name in `names`. */
  private readonly slotName: number[];

  /** Wraps `plan`, evaluated with `env`'s base ops. */
  constructor(
    private readonly env: LazyEnv,
    /** The plan. */
    readonly plan: VariantPlan,
  ) {
    this.names = [...new Set(plan.paramNames)];
    this.slotName = plan.paramNames.map((n) => this.names.indexOf(n));
  }

  /**
   * The loss and surrogate of the step with key `key`, or `undefined` when
   * this variant does not apply (a guard failed, a param changed shape or
   * disappeared, or the loss is not finite — the caller re-traces).
   */
  step(ops: Ops, run: Runner, key: RandomKey): LossAndSurrogate | undefined {
    const { base } = this.env;
    let values: Tensor[];
    try {
      values = run(gen(() => readParams(this.names)));
    } catch {
      return undefined;
    }
    const data = new Map<string, Float64Array | Float32Array>();
    for (let i = 0; i < this.names.length; i++) {
      const v = values[i] as unknown as LazyTensor;
      if (!(v instanceof LazyTensor) || v.value === undefined) return undefined;
      data.set(this.names[i]!, base.toFlat(v.value));
    }
    const { plan } = this;
    if (plan.paramNames.some((n, i) => data.get(n)!.length !== plan.paramSizes[i])) return undefined;
    const random = randomData(ops, plan.random, new KeyChain(key), 0, (k) => new KeyChain(k));
    if (!plan.graph.forward(slotInputs(plan, data, random))) return undefined;
    const [lossArr, surrArr] = plan.graph.outputs();
    const loss = lossArr![0]!;
    if (!Number.isFinite(loss)) return undefined;
    const gen0 = ++this.generation;
    const leaves = values.map((v) => (v as unknown as LazyTensor).value!);
    const surrogate = base.custom(
      leaves,
      () => ({ data: [surrArr![0]!], shape: [] }),
      (dy) => {
        if (this.generation !== gen0) throw new StaleJitGradientError();
        const grads = plan.graph.backward(base.item(dy));
        const sums = leaves.map((_, i) => new Float64Array(data.get(this.names[i]!)!.length));
        for (let slot = 0; slot < grads.length && slot < this.slotName.length; slot++) {
          const g = grads[slot]!;
          const s = sums[this.slotName[slot]!]!;
          for (let k = 0; k < s.length; k++) s[k]! += g[k]!;
        }
        return sums.map((s, i) => base.fromFlat(s, leaves[i]!.shape));
      },
    );
    return { loss, surrogate: constTerm(surrogate) as unknown as Tensor };
  }
}

/** The current values of params `names` (a shared generator function, not one made per step: see `gen`). */
function* readParams(names: readonly string[]) {
  const out: Tensor[] = [];
  for (const n of names) out.push(yield* param(n));
  return out;
}
