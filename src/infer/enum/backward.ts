/**
 * The backward pass of `inferDiscrete`: turning the backpointers a
 * {@link MapRing} or {@link SampleRing} recorded during the forward
 * contraction into values of the enumerated sites.
 *
 * Variables are resolved in the reverse of their elimination order: a
 * variable's table is indexed by the values of the variables that were still
 * in its factor (all eliminated later, hence already resolved), batched over
 * plates. For max-product this is Viterbi's traceback; for the sample ring it
 * is backward sampling.
 *
 * @module
 */
import type { TraceNode } from "../../handlers/trace-record.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { alignTo, type NamedTensor } from "./named.js";
import type { Backpointer } from "./ring.js";

/** `table` indexed by the values of the variables among its dims (the others are plates, kept). */
function gather(ops: Ops, table: NamedTensor, vars: ReadonlySet<string>, values: ReadonlyMap<string, NamedTensor>): NamedTensor {
  const rest = table.dims.filter((d) => vars.has(d));
  if (rest.length === 0) return table;
  const plates = table.dims.filter((d) => !vars.has(d));
  const shape = table.value.shape;
  const restAxes = rest.map((d) => table.dims.indexOf(d));
  const plateAxes = plates.map((d) => table.dims.indexOf(d));
  const plateSizes = plateAxes.map((a) => shape[a]!);
  const flat = ops.reshape(ops.transpose(table.value, [...restAxes, ...plateAxes]), [-1, ...plateSizes]);
  let stride = 1;
  let index: Tensor = ops.zeros(plates.map(() => 1));
  for (let k = rest.length - 1; k >= 0; k--) {
    const v = values.get(rest[k]!);
    if (v === undefined) throw new Error(`inferDiscrete: variable '${rest[k]}' was needed before it was resolved`);
    index = ops.add(index, ops.mul(alignTo(ops, v, plates), stride));
    stride *= shape[restAxes[k]!]!;
  }
  const picked = ops.takeAlongAxis(flat, ops.reshape(index, [1, ...index.shape]), 0);
  return { value: ops.reshape(picked, picked.shape.slice(1)), dims: plates };
}

/**
 * The value index of each eliminated variable, from the backpointers
 * `records` (in elimination order); `vars` are the enumerated variables.
 *
 * @example
 * ```ts
 * const ring = new MapRing();
 * contractPlated(ops, ring, factors, vars);
 * const indices = resolveBackpointers(ops, ring.records, vars); // Map: site → index over its plates
 * ```
 */
export function resolveBackpointers(ops: Ops, records: readonly Backpointer[], vars: ReadonlySet<string>): Map<string, NamedTensor> {
  const values = new Map<string, NamedTensor>();
  for (let i = records.length - 1; i >= 0; i--) {
    const { dim, table } = records[i]!;
    values.set(dim, gather(ops, table, vars, values));
  }
  return values;
}

/**
 * The value of enumerated site `site` for the support index `index` (named
 * over plates): the support value at that index, laid out with each plate at
 * its dim and expanded to the plates' sizes (as a draw inside the plates would be).
 */
export function siteValueAt(ops: Ops, site: TraceNode, index: NamedTensor): Tensor {
  const fn = site.fn!;
  const frames = site.condIndepStack.filter((f) => f.dim !== null);
  const rank = frames.reduce((r, f) => Math.max(r, -f.dim!), 0);
  const names: string[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < rank; i++) {
    const frame = frames.find((f) => f.dim === i - rank);
    names.push(frame?.name ?? `\u0000position ${i}`);
    sizes.push(frame?.subsampleSize ?? 1);
  }
  const aligned = ops.expand(alignTo(ops, index, names), sizes);
  const support = fn.enumerateSupport(false);
  const rows = ops.reshape(support, [support.shape[0]!, ...fn.eventShape]);
  return ops.index(rows, aligned);
}
