/**
 * Variable elimination with a greedy order: the sum-product of a set of
 * factors (log-space tensors with named dims) over some of their variables.
 *
 * **Contraction order.** Eliminating variable `v` multiplies every factor
 * that mentions `v` into one intermediate tensor over the union of their
 * dims, then eliminates `v` from it (`ring.eliminate`: logsumexp, max, ...).
 * The cost of that step, in time and memory, is the intermediate's size (the
 * product of the sizes of its dims). The greedy rule eliminates next the
 * variable whose intermediate is smallest (ties: the variable that appeared
 * first), then updates the costs of only the variables the new factor
 * touches; costs live in a binary heap with lazy invalidation. On a chain
 * `x_0 – x_1 – ... – x_T` (an HMM) the cheapest variable is always an end of
 * the remaining chain (K² against K³ for an inner one), so elimination runs
 * along the chain and costs O(T·K²) time, O(K²) extra memory per step and
 * O(T log T) bookkeeping: linear in the length. On a tree it is optimal; in
 * general it is the standard min-size heuristic (opt_einsum's "greedy" in
 * spirit), not an optimal order.
 *
 * Everything here is written against {@link Ops}: a lazy `Ops` turns the same
 * calls into a term graph.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import { dimSizes, logProduct, type NamedTensor } from "./named.js";
import type { Ring } from "./ring.js";

interface HeapEntry {
  readonly dim: string;
  readonly cost: number;
  readonly order: number;
  readonly version: number;
}

/** A binary min-heap ordered by `(cost, order)`. */
class MinHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: HeapEntry, b: HeapEntry): boolean {
    return a.cost < b.cost || (a.cost === b.cost && a.order < b.order);
  }

  push(e: HeapEntry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): HeapEntry {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The product of `factors` with the variables in `eliminate` eliminated by
 * `ring`, greedily (see the module doc). Returns one named tensor over the
 * remaining dims (a scalar when none remain).
 *
 * @example
 * ```ts
 * // log Σ_a Σ_b exp(f(a) + g(a, b)):
 * const out = sumProduct(ops, logRing, [{ value: fa, dims: ["a"] }, { value: gab, dims: ["a", "b"] }], new Set(["a", "b"]));
 * ```
 */
export function sumProduct(ops: Ops, ring: Ring, factors: readonly NamedTensor[], eliminate: ReadonlySet<string>): NamedTensor {
  const sizes = dimSizes(factors);
  const live = new Map<number, NamedTensor>();
  const byDim = new Map<string, Set<number>>();
  const order = new Map<string, number>();
  let nextId = 0;
  const add = (f: NamedTensor): void => {
    const id = nextId++;
    live.set(id, f);
    for (const d of f.dims) {
      if (!eliminate.has(d)) continue;
      let ids = byDim.get(d);
      if (ids === undefined) byDim.set(d, (ids = new Set()));
      ids.add(id);
      if (!order.has(d)) order.set(d, order.size);
    }
  };
  for (const f of factors) add(f);

  const cost = (dim: string): number => {
    const dims = new Set<string>();
    for (const id of byDim.get(dim)!) for (const d of live.get(id)!.dims) dims.add(d);
    let c = 1;
    for (const d of dims) c *= sizes.get(d)!;
    return c;
  };
  const heap = new MinHeap();
  const version = new Map<string, number>();
  const schedule = (dim: string): void => {
    const v = (version.get(dim) ?? -1) + 1;
    version.set(dim, v);
    heap.push({ dim, cost: cost(dim), order: order.get(dim)!, version: v });
  };
  for (const dim of byDim.keys()) schedule(dim);

  while (heap.size > 0) {
    const e = heap.pop();
    if (version.get(e.dim) !== e.version) continue; // stale, or already eliminated
    version.delete(e.dim);
    const ids = byDim.get(e.dim)!;
    byDim.delete(e.dim);
    const group: NamedTensor[] = [];
    for (const id of ids) {
      const f = live.get(id)!;
      live.delete(id);
      group.push(f);
      for (const d of f.dims) byDim.get(d)?.delete(id);
    }
    const out = ring.eliminate(ops, logProduct(ops, group), e.dim);
    add(out);
    for (const d of out.dims) if (byDim.has(d)) schedule(d);
  }
  return logProduct(ops, [...live.values()]);
}
