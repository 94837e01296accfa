/**
 * Tensors with named dims: the currency of the sum-product contraction.
 *
 * Positional dims are ambiguous under `pyro.markov` (one enumeration dim
 * stands for different variables at different sites), so before contracting,
 * every axis of every log-density gets a name: a plate's name or an
 * enumerated variable's (site) name. Size-1 axes are dropped. Two named
 * tensors combine by aligning their axes to the union of their names (a
 * transpose and a reshape, then broadcasting) — the same elementwise ops on
 * every backend, so a lazy `Ops` can run the contraction unchanged.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";

/**
 * A tensor whose every axis has a name (`dims[i]` names axis `i`).
 *
 * @example
 * ```ts
 * const f: NamedTensor = { value: ops.zeros([3, 10]), dims: ["z", "data"] };
 * ```
 */
export interface NamedTensor {
  /** The values. */
  readonly value: Tensor;
  /** One distinct name per axis. */
  readonly dims: readonly string[];
}

/** The error thrown when named tensors disagree on a dim's size or a name is missing. */
export class NamedDimError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "NamedDimError";
  }
}

/** The names of `xs`, each once, in order of first appearance. */
export function unionDims(xs: readonly NamedTensor[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const x of xs) for (const d of x.dims) if (!seen.has(d)) { seen.add(d); out.push(d); }
  return out;
}

/**
 * `x` laid out for broadcasting against the names `target` (a superset of
 * its names): its axes permuted into `target`'s order, size 1 where it lacks
 * a name.
 */
export function alignTo(ops: Ops, x: NamedTensor, target: readonly string[]): Tensor {
  const present: number[] = [];
  for (const d of target) {
    const i = x.dims.indexOf(d);
    if (i >= 0) present.push(i);
  }
  if (present.length !== x.dims.length) {
    throw new NamedDimError(`cannot align dims [${x.dims.join(", ")}] to [${target.join(", ")}]`);
  }
  let v = x.value;
  if (present.some((p, k) => p !== k)) v = ops.transpose(v, present);
  if (present.length === target.length) return v;
  const shape = target.map((d) => {
    const i = x.dims.indexOf(d);
    return i < 0 ? 1 : x.value.shape[i]!;
  });
  return ops.reshape(v, shape);
}

/** Elementwise `combine` of named tensors, broadcast over the union of their names. */
export function namedBinary(ops: Ops, a: NamedTensor, b: NamedTensor, combine: (x: Tensor, y: Tensor) => Tensor): NamedTensor {
  const dims = unionDims([a, b]);
  return { value: combine(alignTo(ops, a, dims), alignTo(ops, b, dims)), dims };
}

/** The log-space product (elementwise sum) of named tensors, over the union of their names. */
export function logProduct(ops: Ops, xs: readonly NamedTensor[]): NamedTensor {
  if (xs.length === 0) return { value: ops.tensor(0), dims: [] };
  if (xs.length === 1) return xs[0]!;
  const dims = unionDims(xs);
  let acc = alignTo(ops, xs[0]!, dims);
  for (let i = 1; i < xs.length; i++) acc = ops.add(acc, alignTo(ops, xs[i]!, dims));
  return { value: acc, dims };
}

/** `x` reduced over the axes named in `names` (those it has) with `reduce`. */
export function reduceDims(
  x: NamedTensor,
  names: Iterable<string>,
  reduce: (value: Tensor, axes: number[]) => Tensor,
): NamedTensor {
  const drop = new Set(names);
  const axes: number[] = [];
  x.dims.forEach((d, i) => { if (drop.has(d)) axes.push(i); });
  if (axes.length === 0) return x;
  return { value: reduce(x.value, axes), dims: x.dims.filter((d) => !drop.has(d)) };
}

/** `x` summed (in linear space) over the named axes it has. */
export function sumDims(ops: Ops, x: NamedTensor, names: Iterable<string>): NamedTensor {
  return reduceDims(x, names, (v, axes) => ops.sum(v, axes));
}

/** `x` summed over every axis not named in `keep`. */
export function sumTo(ops: Ops, x: NamedTensor, keep: ReadonlySet<string>): NamedTensor {
  return sumDims(ops, x, x.dims.filter((d) => !keep.has(d)));
}

/** The size of each named dim of `xs`; throws if two tensors disagree. */
export function dimSizes(xs: readonly NamedTensor[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const x of xs) {
    x.dims.forEach((d, i) => {
      const n = x.value.shape[i]!;
      const had = sizes.get(d);
      if (had !== undefined && had !== n) throw new NamedDimError(`dim "${d}" has size ${had} in one tensor and ${n} in another`);
      sizes.set(d, n);
    });
  }
  return sizes;
}
