/**
 * The plated sum-product: eliminating enumerated variables from factors
 * that live in (nested) plates (Pyro's `contract_tensor_tree`).
 *
 * A factor's *ordinal* is the set of plates it is batched over; a variable's
 * ordinal is the intersection of the ordinals of the factors that mention it
 * (a variable in plate `data` has one copy per element of `data`). The
 * factors first split into connected components (factors sharing a summed
 * variable). Each component is contracted leaf-first: take the ordinal with
 * the most plates, split its factors into components through the variables
 * that live exactly there, eliminate those variables ({@link sumProduct},
 * greedy order), then product-reduce (sum the log values over) the plates
 * that the remaining variables do not live in, and hand the result to that
 * smaller ordinal. The component ends as ONE tensor at its smallest ordinal,
 * batched over that ordinal's plates. Plates must nest like a tree for this
 * to be exact; otherwise {@link NonTreePlatesError} is thrown, as in Pyro.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import { logProduct, type NamedTensor } from "./named.js";
import { productOverPlates, type Ring } from "./ring.js";
import { sumProduct } from "./sum-product.js";

/** A factor and the plates it is batched over. */
export interface PlatedTensor {
  /** The log-space factor. */
  readonly tensor: NamedTensor;
  /** The names of its plates (vectorized `pyro.plate`s around its site). */
  readonly ordinal: ReadonlySet<string>;
}

/** The error thrown when enumerated variables depend on each other across non-nested plates. */
export class NonTreePlatesError extends Error {
  /** Makes the error for a factor in `leaf` whose remaining variables live in `parent`. */
  constructor(leaf: ReadonlySet<string>, parent: ReadonlySet<string>) {
    super(
      `Expected tree-structured plate nesting, but found dependencies on independent plates [${[...leaf].join(", ")}]` +
        (parent.size === leaf.size ? "" : ` (remaining variables live in [${[...parent].join(", ")}])`) +
        "; try converting one of the vectorized plates to a sequential plate (but beware exponential cost in its size)",
    );
    this.name = "NonTreePlatesError";
  }
}

const keyOf = (ordinal: ReadonlySet<string>): string => [...ordinal].sort().join("\u0000");

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** Groups `items` into connected components through the dims in `through` (union-find). */
function components<T>(items: readonly T[], dimsOf: (t: T) => readonly string[], through: ReadonlySet<string>): T[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  items.forEach((t, i) => {
    for (const d of dimsOf(t)) {
      if (!through.has(d)) continue;
      const j = owner.get(d);
      if (j === undefined) owner.set(d, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, T[]>();
  items.forEach((t, i) => {
    const r = find(i);
    let g = groups.get(r);
    if (g === undefined) groups.set(r, (g = []));
    g.push(t);
  });
  return [...groups.values()];
}

/**
 * Eliminates the variables `sumVars` from `factors` by `ring`, respecting
 * plates (see the module doc). Returns one tensor per connected component,
 * at the component's smallest ordinal, batched over its plates and over any
 * dims that are neither plates nor in `sumVars` (e.g. guide-enumerated
 * variables).
 *
 * @example
 * ```ts
 * // Σ_i log Σ_z p(z) p(x_i | z) for z local to plate "data":
 * const [t] = contractPlated(ops, logRing, [
 *   { tensor: { value: logPz, dims: ["z", "data"] }, ordinal: new Set(["data"]) },
 *   { tensor: { value: logPx, dims: ["z", "data"] }, ordinal: new Set(["data"]) },
 * ], new Set(["z"]));
 * ```
 */
export function contractPlated(ops: Ops, ring: Ring, factors: readonly PlatedTensor[], sumVars: ReadonlySet<string>): PlatedTensor[] {
  return components(factors, (f) => f.tensor.dims, sumVars).map((c) => contractComponent(ops, ring, c, sumVars));
}

function contractComponent(ops: Ops, ring: Ring, factors: readonly PlatedTensor[], sumVars: ReadonlySet<string>): PlatedTensor {
  const varOrdinal = new Map<string, Set<string>>();
  let minOrdinal: Set<string> | undefined;
  const tree = new Map<string, { ordinal: ReadonlySet<string>; terms: NamedTensor[] }>();
  const push = (ordinal: ReadonlySet<string>, term: NamedTensor): void => {
    const k = keyOf(ordinal);
    const entry = tree.get(k);
    if (entry === undefined) tree.set(k, { ordinal, terms: [term] });
    else entry.terms.push(term);
  };
  for (const f of factors) {
    minOrdinal = minOrdinal === undefined ? new Set(f.ordinal) : intersect(minOrdinal, f.ordinal);
    for (const d of f.tensor.dims) {
      if (!sumVars.has(d)) continue;
      const o = varOrdinal.get(d);
      varOrdinal.set(d, o === undefined ? new Set(f.ordinal) : intersect(o, f.ordinal));
    }
    push(f.ordinal, f.tensor);
  }
  const min = minOrdinal ?? new Set<string>();
  const minKey = keyOf(min);
  const pendingVars = new Map<string, Set<string>>(); // ordinal key -> variables living there
  for (const [d, o] of varOrdinal) {
    const k = keyOf(o);
    let s = pendingVars.get(k);
    if (s === undefined) pendingVars.set(k, (s = new Set()));
    s.add(d);
  }

  while (pendingVars.size > 0) {
    let leafKey: string | undefined;
    for (const [k, e] of tree) {
      const best = leafKey === undefined ? undefined : tree.get(leafKey)!;
      if (best === undefined || e.ordinal.size > best.ordinal.size || (e.ordinal.size === best.ordinal.size && k < leafKey!)) leafKey = k;
    }
    const leafVars = leafKey === undefined ? undefined : pendingVars.get(leafKey);
    if (leafKey === undefined || (leafKey === minKey && leafVars === undefined)) {
      throw new Error(`contractPlated: variables [${[...pendingVars.values()].flatMap((s) => [...s]).join(", ")}] cannot be reached`);
    }
    const { ordinal: leaf, terms } = tree.get(leafKey)!;
    tree.delete(leafKey);
    pendingVars.delete(leafKey);
    const vars = leafVars ?? new Set<string>();
    for (const group of components(terms, (t) => t.dims, vars)) {
      let term = sumProduct(ops, ring, group, vars);
      if (leafKey === minKey) {
        push(leaf, term);
        continue;
      }
      const parent = new Set<string>();
      let remaining = false;
      for (const d of term.dims) {
        const o = varOrdinal.get(d);
        if (o === undefined) continue; // a plate, or a variable not summed here
        remaining = true;
        for (const p of o) parent.add(p);
      }
      if (!remaining) for (const p of min) parent.add(p);
      if (parent.size >= leaf.size || [...parent].some((p) => !leaf.has(p))) throw new NonTreePlatesError(leaf, parent);
      term = productOverPlates(ops, term, [...leaf].filter((p) => !parent.has(p)));
      push(parent, term);
    }
  }
  // Every term now sits at the smallest ordinal (reduce any straggler to it).
  const terms: NamedTensor[] = [];
  for (const { ordinal, terms: ts } of tree.values()) {
    for (const t of ts) terms.push(productOverPlates(ops, t, [...ordinal].filter((p) => !min.has(p))));
  }
  return { tensor: logProduct(ops, terms), ordinal: min };
}
