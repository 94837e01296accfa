/**
 * Static index maps for compiled code: shapes are fixed for a compiled
 * graph, so broadcasting, reductions and data movement become lookups in
 * precomputed `Int32Array`s.
 *
 * @module
 */
import type { Tensor } from "../../types.js";
import type { LazyEnv } from "../env.js";
import { callBase } from "../node.js";

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** `map[j]`: the flat index in an array of shape `arg` of output element `j` when `arg` broadcasts to `out`. */
export function broadcastMap(arg: readonly number[], out: readonly number[]): Int32Array {
  const n = out.reduce((a, b) => a * b, 1);
  const lead = out.length - arg.length;
  const as = stridesOf(arg);
  const st = out.map((d, i) => (i < lead || arg[i - lead] === 1 ? 0 : as[i - lead]!));
  const map = new Int32Array(n);
  const idx = new Array<number>(out.length).fill(0);
  let p = 0;
  for (let j = 0; j < n; j++) {
    map[j] = p;
    for (let d = out.length - 1; d >= 0; d--) {
      p += st[d]!;
      if (++idx[d]! < out[d]!) break;
      p -= st[d]! * out[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

/** Whether `arg` broadcast to `out` is the identity on flat indices (same elements, same order). */
export function sameLayout(arg: readonly number[], out: readonly number[]): boolean {
  const a = arg.filter((d) => d !== 1);
  const o = out.filter((d) => d !== 1);
  return a.length === o.length && a.every((d, i) => d === o[i]) && arg.reduce((x, y) => x * y, 1) === out.reduce((x, y) => x * y, 1);
}

/** The index maps of a reduction: element `r` of output group `o` is at `base[o] + offs[r]`. */
export interface ReductionMaps {
  /** The first input index of each output element. */
  readonly base: Int32Array;
  /** The offset of each reduced element within a group. */
  readonly offs: Int32Array;
}

/** The index maps of reducing an array of `shape` over `axes`. */
export function reductionMaps(shape: readonly number[], axes: readonly number[]): ReductionMaps {
  const st = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const walk = (dims: readonly number[]): Int32Array => {
    const n = dims.reduce((a, d) => a * shape[d]!, 1);
    const out = new Int32Array(n);
    const idx = new Array<number>(dims.length).fill(0);
    let p = 0;
    for (let j = 0; j < n; j++) {
      out[j] = p;
      for (let k = dims.length - 1; k >= 0; k--) {
        const d = dims[k]!;
        p += st[d]!;
        if (++idx[k]! < shape[d]!) break;
        p -= st[d]! * shape[d]!;
        idx[k] = 0;
      }
    }
    return out;
  };
  return { base: walk(kept), offs: walk(axes) };
}

/**
 * The gather map of a data-movement op (`expand`, `transpose`, `slice`,
 * `take`, ...) on an array of shape `xShape` with the other arguments fixed:
 * found by running the op on the element indices themselves. For `pad`,
 * padded positions map to -1.
 */
export function gatherMap(env: LazyEnv, op: string, xShape: readonly number[], others: readonly Tensor[], attrs: readonly unknown[]): Int32Array {
  const n = xShape.reduce((a, b) => a * b, 1);
  const shift = op === "pad" ? 1 : 0;
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = i + shift;
  const x = env.base.fromFlat(ids, xShape);
  const a = op === "pad" ? [attrs[0], 0] : attrs;
  const out = env.base.toFlat(callBase(env, op, [x, ...others], a));
  const map = new Int32Array(out.length);
  for (let i = 0; i < out.length; i++) map[i] = out[i]! - shift;
  return map;
}

/** The plan of a batched matrix product: `out[t] = a[offA[t]] · b[offB[t]]`, each `n × k` by `k × m`. */
export interface MatmulPlan {
  /** Rows of each product. */
  readonly n: number;
  /** Inner dimension. */
  readonly k: number;
  /** Columns of each product. */
  readonly m: number;
  /** Start of each batch's matrix in `a`. */
  readonly offA: Int32Array;
  /** Start of each batch's matrix in `b`. */
  readonly offB: Int32Array;
}

/** The plan of `matmul(a, b)` for shapes `as` and `bs` (numpy rules, vectors promoted). */
export function matmulPlan(as: readonly number[], bs: readonly number[]): MatmulPlan {
  const a2 = as.length === 1 ? [1, as[0]!] : as;
  const b2 = bs.length === 1 ? [bs[0]!, 1] : bs;
  const n = a2[a2.length - 2]!;
  const k = a2[a2.length - 1]!;
  const m = b2[b2.length - 1]!;
  const ab = a2.slice(0, -2);
  const bb = b2.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const batch = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const x = ab[i - (rank - ab.length)] ?? 1;
    const y = bb[i - (rank - bb.length)] ?? 1;
    batch[i] = x === 1 ? y : x;
  }
  const mapA = broadcastMap(ab, batch);
  const mapB = broadcastMap(bb, batch);
  return {
    n, k, m,
    offA: Int32Array.from(mapA, (v) => v * n * k),
    offB: Int32Array.from(mapB, (v) => v * k * m),
  };
}
