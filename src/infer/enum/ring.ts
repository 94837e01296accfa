/**
 * Semirings for the contraction, in log space.
 *
 * Variable elimination only needs two operations: the product of factors
 * (always an elementwise sum of log values here) and the elimination of one
 * variable from a factor. The ring decides the latter:
 * - {@link logRing}: `logsumexp` — sum-product, for marginal likelihoods
 *   (`TraceEnumELBO`);
 * - {@link MapRing}: `max`, recording `argmax` tables — max-product, for MAP
 *   assignments (`inferDiscrete` at temperature 0, i.e. Viterbi);
 * - {@link SampleRing}: `logsumexp` for the forward message, recording a
 *   Gumbel-max sample of the variable for every configuration of the other
 *   dims — forward-filter backward-sample (`inferDiscrete` at temperature 1).
 *
 * Plates are product dims: a factor's plate is reduced by summing its log
 * values ({@link productOverPlates}) in every ring.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import { split, type RandomKey } from "../../tensor/random/key.js";
import { uniform } from "../../tensor/random/streams.js";
import { reduceDims, type NamedTensor } from "./named.js";

/** How one variable is eliminated from a factor. */
export interface Ring {
  /** `x` with the variable `dim` eliminated. */
  eliminate(ops: Ops, x: NamedTensor, dim: string): NamedTensor;
}

/**
 * A table recorded when a variable was eliminated: its value (whole floats)
 * for each configuration of the table's dims (the other variables of the
 * eliminated factor, and plates).
 */
export interface Backpointer {
  /** The eliminated variable. */
  readonly dim: string;
  /** Its value as a function of the remaining dims. */
  readonly table: NamedTensor;
}

/** Sum-product in log space: eliminates a variable with `logsumexp`. */
export const logRing: Ring = {
  eliminate: (ops, x, dim) => reduceDims(x, [dim], (v, axes) => ops.logsumexp(v, axes)),
};

/** Max-product in log space, recording `argmax` backpointers (Viterbi). */
export class MapRing implements Ring {
  /** The backpointers, in elimination order. */
  readonly records: Backpointer[] = [];

  /** `max` over `dim`, recording its `argmax`. */
  eliminate(ops: Ops, x: NamedTensor, dim: string): NamedTensor {
    const axis = x.dims.indexOf(dim);
    this.records.push({ dim, table: { value: ops.argmax(x.value, axis), dims: x.dims.filter((d) => d !== dim) } });
    return reduceDims(x, [dim], (v, axes) => ops.max(v, axes));
  }
}

/**
 * Sum-product in log space that also draws the eliminated variable from its
 * conditional `∝ exp(x)` for every configuration of the other dims (the
 * Gumbel-max trick), so a backward pass yields an exact joint posterior sample.
 */
export class SampleRing implements Ring {
  /** The sampled backpointers, in elimination order. */
  readonly records: Backpointer[] = [];

  /** Makes the ring drawing its noise from `key`. */
  constructor(private key: RandomKey) {}

  /** `logsumexp` over `dim`, recording a Gumbel-max draw of `dim`. */
  eliminate(ops: Ops, x: NamedTensor, dim: string): NamedTensor {
    const axis = x.dims.indexOf(dim);
    const [next, sub] = split(this.key);
    this.key = next!;
    const u = uniform(sub!, x.value.shape.reduce((a, b) => a * b, 1));
    const gumbel = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) gumbel[i] = -Math.log(-Math.log(u[i]!));
    const perturbed = ops.add(ops.stopGradient(x.value), ops.fromFlat(gumbel, x.value.shape));
    this.records.push({ dim, table: { value: ops.argmax(perturbed, axis), dims: x.dims.filter((d) => d !== dim) } });
    return logRing.eliminate(ops, x, dim);
  }
}

/** `x` with the plates `plates` product-reduced (log values summed over those axes it has). */
export function productOverPlates(ops: Ops, x: NamedTensor, plates: Iterable<string>): NamedTensor {
  return reduceDims(x, plates, (v, axes) => ops.sum(v, axes));
}
