/**
 * `binaryCrossEntropyWithLogits(l, t) = softplus(l) − t·l`, fused: the log
 * density of a Bernoulli observation from its logits (negated), in one pass
 * with one exponential and one `log1p` per element, where the composed ops
 * take three passes forward, three more backward and a second exponential
 * for `σ(l)`. Its derivative in `l`, `σ(l) − t`, comes from the same
 * `e = exp(−|l|)` and is kept for the backward pass when a gradient is
 * being taken.
 *
 * Operands of the same shape, both contiguous, take the fused loop (the
 * observed data and the logits of a plate); any other broadcast is the
 * composition of the same ops, which computes the same values.
 *
 * @module
 */
import { alloc } from "./alloc.js";
import { fresh, type NDArray } from "./array.js";
import { record, tracked } from "./autodiff.js";
import { mulK } from "./binary-kernels.js";
import { mul, sub } from "./binary.js";
import { nd, sameShape, type NDLike } from "./convert.js";
import { mapBinary } from "./iter.js";
import { neg, softplus } from "./unary.js";

/** Writes `softplus(l) − t·l` into `out` and, when `d` is given, `σ(l) − t` into `d`. */
function bceKernel(out: Float64Array, l: Float64Array, lo: number, t: Float64Array, to: number, n: number, d: Float64Array | undefined): void {
  for (let i = 0; i < n; i++) {
    const x = l[lo + i]!;
    const y = t[to + i]!;
    const e = Math.exp(-Math.abs(x));
    // softplus(x) as `softplus` computes it: x + log1p(e) for x > 0, log1p(e) otherwise.
    out[i] = (x > 0 ? x + Math.log1p(e) : Math.log1p(e)) - y * x;
    if (d !== undefined) d[i] = (x >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
  }
}

/** `softplus(logits) − target·logits` elementwise, with numpy broadcasting. */
export function binaryCrossEntropyWithLogits(l0: NDLike, t0: NDLike): NDArray {
  const l = nd(l0, "binaryCrossEntropyWithLogits", "logits");
  const t = nd(t0, "binaryCrossEntropyWithLogits", "target");
  if (!(l.contiguous && t.contiguous && sameShape(l.shape, t.shape))) return sub(softplus(l), mul(t, l));
  const n = l.size;
  const track = tracked(l, t);
  // The values and the derivative in one allocation: one backing store instead of two.
  const both = alloc(track ? 2 * n : n);
  const out = track ? both.subarray(0, n) : both;
  const d = track ? both.subarray(n) : undefined;
  bceKernel(out, l.data, l.offset, t.data, t.offset, n, d);
  const y = fresh(out, l.shape);
  if (!track) return y;
  const dl = fresh(d!, l.shape);
  return record(y, "binaryCrossEntropyWithLogits", [l, t], (g, need) => [
    need[0] ? mapBinary(mulK, g, dl, "binaryCrossEntropyWithLogits") : null,
    need[1] ? mapBinary(mulK, g, neg(l), "binaryCrossEntropyWithLogits") : null,
  ], true);
}
