/**
 * Sum-product contraction of named terms (funsor's `Contraction`): the
 * product of factors with some named inputs eliminated.
 *
 * Under the lazy interpretation `contract` builds one `contract` node over
 * its factors; any other interpretation (or evaluating that node) runs
 * variable elimination with a greedy order: eliminate next the variable
 * whose factors' union of named inputs is smallest (ties: first seen),
 * multiplying just those factors — on a chain this runs along the chain, in
 * time linear in its length. Factors are combined by name
 * (`ops.add`/`ops.mul` broadcast named inputs), so no positional alignment
 * is needed.
 *
 * Rings: `"logsumexp"` (log-space sum-product: factors add, variables are
 * eliminated by `logsumexp`), `"max"` (log-space max-product), `"sum"`
 * (linear sum-product: factors multiply, variables are summed).
 *
 * @module
 */
import { broadcastOp } from "./align.js";
import type { LazyEnv } from "./env.js";
import { registerMacro } from "./evaluate.js";
import { constant, lift } from "./node.js";
import { reduceNamed } from "./named.js";
import { LazyTensorError, opTerm, type LazyTensor, type NamedDim } from "./tensor.js";
import { broadcastShapes } from "../shape.js";
import type { TensorLike } from "../types.js";

/** The semiring of a contraction. */
export type Ring = "logsumexp" | "max" | "sum";

const RINGS: readonly Ring[] = ["logsumexp", "max", "sum"];

/** The product of `factors` in `ring`, as one term. */
function product(env: LazyEnv, ring: Ring, factors: readonly LazyTensor[]): LazyTensor {
  if (factors.length === 0) return constant(env, env.base.tensor(ring === "sum" ? 1 : 0));
  let acc = factors[0]!;
  for (let i = 1; i < factors.length; i++) acc = broadcastOp(env, ring === "sum" ? "mul" : "add", [acc, factors[i]!]);
  return acc;
}

/** Greedy variable elimination (see the module doc). */
function eliminate(env: LazyEnv, ring: Ring, factors: readonly LazyTensor[], vars: readonly string[]): LazyTensor {
  let live = [...factors];
  const pending = new Set(vars.filter((v) => live.some((f) => f.inputs.some((d) => d.name === v))));
  const order = [...pending];
  while (pending.size > 0) {
    let best: string | undefined;
    let bestCost = Infinity;
    for (const v of order) {
      if (!pending.has(v)) continue;
      const dims = new Map<string, number>();
      for (const f of live) if (f.inputs.some((d) => d.name === v)) for (const d of f.inputs) dims.set(d.name, d.size);
      let cost = 1;
      for (const s of dims.values()) cost *= s;
      if (cost < bestCost) { best = v; bestCost = cost; }
    }
    const v = best!;
    pending.delete(v);
    const group = live.filter((f) => f.inputs.some((d) => d.name === v));
    live = live.filter((f) => !group.includes(f));
    live.push(reduceNamed(env, product(env, ring, group), ring === "sum" ? "sum" : ring, [v]));
  }
  return product(env, ring, live);
}

/** The named inputs a contraction of `factors` over `vars` keeps. */
function keptInputs(factors: readonly LazyTensor[], vars: readonly string[]): NamedDim[] {
  const out: NamedDim[] = [];
  for (const f of factors) for (const d of f.inputs) if (!vars.includes(d.name) && !out.some((o) => o.name === d.name)) out.push(d);
  return out;
}

/**
 * The product of `factors` in `ring` with the named inputs `vars`
 * eliminated; a term over the remaining named inputs.
 *
 * @example
 * ```ts
 * // log Σ_z Σ_x exp(f(z) + g(z, x)): a scalar
 * const logZ = contract(env, "logsumexp", [f, g], ["z", "x"]);
 * ```
 */
export function contract(env: LazyEnv, ring: Ring, factors: readonly TensorLike<LazyTensor>[], vars: readonly string[]): LazyTensor {
  if (!RINGS.includes(ring)) throw new LazyTensorError("contract", `ring must be one of ${RINGS.join(", ")}, got ${String(ring)}`);
  const ts = factors.map((f) => lift(env, f));
  if (env.interpretation.kind === "lazy" || ts.some((t) => t.value === undefined)) {
    const shape = broadcastShapes(...ts.map((t) => t.shape));
    return opTerm("contract", ts, [ring, [...vars]], shape, keptInputs(ts, vars), undefined);
  }
  return eliminate(env, ring, ts, vars);
}

registerMacro("contract", (env, node, args) => {
  const [ring, vars] = node.attrs as [Ring, string[]];
  if (args.some((a) => a.value === undefined)) return opTerm("contract", args, node.attrs, node.shape, node.inputs, undefined);
  return eliminate(env, ring, args, vars);
});
