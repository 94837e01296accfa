/**
 * Exact expectations over guide-enumerated variables (the enumerated part
 * of Pyro's `Dice` estimator).
 *
 * When the guide enumerates a site, its trace carries every value of the
 * site at once, and each ELBO cost term `c` (a log-density with named dims)
 * must be averaged over those values: `E[c] = Σ_g q(g) c(g)`, where `q(g)`
 * is the guide's marginal of the enumerated variables `g` that `c` depends
 * on. The marginal is a batched sum-product of the guide's enumerated
 * log-densities: only factors in plates the cost is also in are used (the
 * plates are batch dims, never product-reduced — the guide's conditionals
 * are normalized, so factors the cost does not depend on sum to one), and
 * every other enumerated variable is eliminated. Results are cached per
 * (variables, plates) pair. The weights are differentiable, so gradients
 * with respect to the guide's parameters are exact.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import { alignTo, sumDims, unionDims, type NamedTensor } from "./named.js";
import type { PlatedTensor } from "./plated.js";
import { logRing } from "./ring.js";
import { sumProduct } from "./sum-product.js";

/** Expectations of cost terms under the guide's enumerated variables. */
export class GuideExpectation {
  private readonly cache = new Map<string, NamedTensor>();
  /** The guide's enumerated variables. */
  readonly vars: ReadonlySet<string>;

  /** Makes the expectation over the guide's enumerated log-densities `factors` (one per enumerated site, named by site). */
  constructor(
    private readonly ops: Ops,
    private readonly factors: readonly (PlatedTensor & { readonly name: string })[],
  ) {
    this.vars = new Set(factors.map((f) => f.name));
  }

  /** `E[cost]` over the enumerated variables `cost` depends on; a tensor over the cost's remaining dims (plates). */
  of(cost: PlatedTensor): NamedTensor {
    const targets = cost.tensor.dims.filter((d) => this.vars.has(d));
    if (targets.length === 0) return cost.tensor;
    const { ops } = this;
    const marg = this.marginal(targets, cost.ordinal);
    const dims = unionDims([cost.tensor, marg]);
    const prob = ops.exp(alignTo(ops, marg, dims));
    const c = alignTo(ops, cost.tensor, dims);
    // Values the guide never takes (q = 0) may have cost ±∞: they get weight 0, not NaN.
    const weighted = ops.mul(prob, ops.where(ops.gt(prob, 0), c, 0));
    return sumDims(ops, { value: weighted, dims }, targets);
  }

  private marginal(targets: readonly string[], ordinal: ReadonlySet<string>): NamedTensor {
    const key = `${[...targets].sort().join(",")}|${[...ordinal].sort().join(",")}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const keep = new Set(targets);
    const relevant = this.factors.filter((f) => [...f.ordinal].every((p) => ordinal.has(p)));
    const eliminate = new Set([...this.vars].filter((v) => !keep.has(v)));
    const out = sumProduct(this.ops, logRing, relevant.map((f) => f.tensor), eliminate);
    this.cache.set(key, out);
    return out;
  }
}
