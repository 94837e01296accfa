/**
 * The distribution of a plate's subsample indices (Pyro's `_Subsample`).
 *
 * Each plate records its indices as a sample site named after the plate, so
 * that `replay` can repeat a mini-batch and `trace` shows it; its log-density
 * is zero.
 *
 * @module
 */
import { constraints } from "../distributions/constraints.js";
import type { Constraint } from "../distributions/constraint.js";
import type { DistContext } from "../distributions/context.js";
import { Distribution } from "../distributions/distribution.js";
import { uniform } from "../tensor/random/index.js";
import type { RandomKey } from "../tensor/random/key.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { Message } from "./message.js";
import { DistributionCapabilityError } from "../distributions/distribution.js";

/**
 * The supports of plates' indices by plate size. A plate draws its indices
 * (and the interpreter records that they lie in this support) on every run;
 * one shared constraint per size keeps that record from growing when the
 * backend hands out the same index tensor each time.
 */
const supports = new Map<number, Constraint>();
const MAX_SUPPORTS = 64;

/** Uniformly random distinct indices: `subsampleSize` of `0 .. size-1`. */
export class Subsample extends Distribution {
  /** Makes the index distribution of a plate of `size` visiting `subsampleSize` indices. */
  constructor(
    ctx: DistContext,
    /** The plate's size. */
    readonly size: number,
    /** How many indices a draw has. */
    readonly subsampleSize: number,
  ) {
    super(ctx, [], []);
  }

  /** Whole numbers from 0 to size - 1 (one constraint object per size). */
  get support(): Constraint {
    let c = supports.get(this.size);
    if (c === undefined) {
      if (supports.size >= MAX_SUPPORTS) supports.clear();
      c = constraints.integerInterval(0, this.size - 1);
      supports.set(this.size, c);
    }
    return c;
  }

  /** Draws the indices: all of them in order without subsampling, else a random subset. */
  override sample(key: RandomKey, sampleShape: Shape = []): Tensor {
    if (sampleShape.length > 0) throw new DistributionCapabilityError("Subsample", "sample with a sampleShape");
    if (this.subsampleSize >= this.size) return this.ops.arange(this.size);
    // A random subset of fixed size: the indices of the k smallest of n uniforms.
    const u = uniform(key, this.size);
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => u[a]! - u[b]!);
    return this.ops.fromFlat(order.slice(0, this.subsampleSize), [this.subsampleSize]);
  }

  /** Zero: subsampling does not change the model's density. */
  logProb(_value: TensorLike): Tensor {
    return this.ops.tensor(0);
  }

  /** The same distribution (it has no batch shape). */
  expand(_batchShape: Shape): Distribution {
    return this;
  }
}

/** Whether a trace site is a plate's subsample site. */
export function isSubsampleSite(node: Message): boolean {
  return node.fn instanceof Subsample;
}
