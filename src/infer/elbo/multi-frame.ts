/**
 * Log-density terms keyed by the plates they are batched over (Pyro's
 * `MultiFrameTensor`), for Rao–Blackwellized score-function gradients.
 *
 * @module
 */
import type { CondIndepFrame } from "../../handlers/message.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";

interface Term {
  readonly frames: readonly CondIndepFrame[];
  value: Tensor;
}

/** Sums of tensors grouped by their set of vectorized plates. */
export class MultiFrameTensor {
  private readonly terms = new Map<string, Term>();

  /** Makes an empty collection computing with `ops`. */
  constructor(private readonly ops: Ops) {}

  /** Adds `value`, batched over the vectorized plates in `stack`. */
  add(stack: readonly CondIndepFrame[], value: Tensor): void {
    const frames = stack.filter((f) => f.dim !== null);
    const key = frames
      .map((f) => f.name)
      .sort()
      .join("\u0000");
    const term = this.terms.get(key);
    if (term === undefined) this.terms.set(key, { frames, value });
    else term.value = this.ops.add(term.value, value);
  }

  /**
   * The sum of all terms, each summed over the plates not in `target` (so the
   * result is batched over `target`'s plates only).
   */
  sumTo(target: readonly CondIndepFrame[]): Tensor {
    const { ops } = this;
    const keep = new Set(target.map((f) => f.name));
    let total: Tensor | undefined;
    for (const { frames, value } of this.terms.values()) {
      let v = value;
      for (const f of frames) {
        const axis = v.shape.length + f.dim!;
        if (!keep.has(f.name) && axis >= 0 && v.shape[axis] !== 1) v = ops.sum(v, { axis, keepdims: true });
      }
      while (v.shape.length > 0 && v.shape[0] === 1) v = ops.squeeze(v, 0);
      total = total === undefined ? v : ops.add(total, v);
    }
    return total ?? ops.tensor(0);
  }
}
