/**
 * `ComposeTransform(parts)`: transforms applied in sequence.
 *
 * @module
 */
import type { Shape, Tensor, TensorLike } from "../../tensor/types.js";
import type { Constraint } from "../constraint.js";
import { constraints, IndependentConstraint } from "../constraints.js";
import type { DistContext } from "../context.js";
import { asTensor, sumRightmost } from "../util.js";
import { Transform, type TransformSign } from "./transform.js";

/** `c` widened to `eventDim` event dims with `independent`, when it has fewer. */
function widen(c: Constraint, eventDim: number): Constraint {
  return eventDim > c.eventDim ? new IndependentConstraint(c, eventDim - c.eventDim) : c;
}

/**
 * The composition `parts[n-1] ∘ ... ∘ parts[0]` (`parts[0]` applied first).
 * The empty composition is the identity on the reals. Event dims follow
 * torch: the log-det-Jacobian of each part is summed over the dims that are
 * event dims of the whole.
 *
 * @example
 * ```ts
 * // x ↦ 2 + eˣ, onto greaterThan(2):
 * new ComposeTransform(ctx, [new ExpTransform(ctx), new AffineTransform(ctx, 2, 1)]);
 * ```
 */
export class ComposeTransform extends Transform {
  /** The parts, in application order. */
  readonly parts: readonly Transform[];

  /** Makes the composition of `parts` (applied left to right). */
  constructor(ctx: DistContext, parts: readonly Transform[]) {
    super(ctx);
    this.parts = parts;
  }

  /** The first part's domain, widened to the composition's input event dims. */
  get domain(): Constraint {
    const parts = this.parts;
    if (parts.length === 0) return constraints.real;
    let eventDim = parts[parts.length - 1]!.codomain.eventDim;
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i]!;
      eventDim = Math.max(eventDim + p.domain.eventDim - p.codomain.eventDim, p.domain.eventDim);
    }
    return widen(parts[0]!.domain, eventDim);
  }

  /** The last part's codomain, widened to the composition's output event dims. */
  get codomain(): Constraint {
    const parts = this.parts;
    if (parts.length === 0) return constraints.real;
    let eventDim = parts[0]!.domain.eventDim;
    for (const p of parts) eventDim = Math.max(eventDim + p.codomain.eventDim - p.domain.eventDim, p.codomain.eventDim);
    return widen(parts[parts.length - 1]!.codomain, eventDim);
  }

  /** Each part's forward, in order. */
  forward(x: TensorLike): Tensor {
    return this.parts.reduce((v: Tensor, p) => p.forward(v), asTensor(this.ops, x));
  }

  /** Each part's inverse, in reverse order. */
  inverse(y: TensorLike): Tensor {
    return this.parts.reduceRight((v: Tensor, p) => p.inverse(v), asTensor(this.ops, y));
  }

  /** The sum of the parts' log-det-Jacobians at the intermediate values. */
  logAbsDetJacobian(x: TensorLike, y: TensorLike): Tensor {
    const { ops } = this;
    const xt = asTensor(ops, x);
    if (this.parts.length === 0) return ops.zerosLike(xt);
    const xs: Tensor[] = [xt];
    for (const p of this.parts.slice(0, -1)) xs.push(p.forward(xs[xs.length - 1]!));
    xs.push(asTensor(ops, y));
    let eventDim = this.domain.eventDim;
    let total: Tensor | undefined;
    this.parts.forEach((p, i) => {
      const term = sumRightmost(ops, p.logAbsDetJacobian(xs[i]!, xs[i + 1]!), eventDim - p.domain.eventDim);
      total = total === undefined ? term : ops.add(total, term);
      eventDim += p.codomain.eventDim - p.domain.eventDim;
    });
    return total!;
  }

  /** The product of the parts' signs. */
  override get sign(): TransformSign {
    return this.parts.reduce((s: TransformSign, p) => {
      const t = p.sign;
      return typeof s === "number" && typeof t === "number" ? s * t : this.ops.mul(s, t);
    }, 1);
  }

  /** Each part's forward shape, in order. */
  override forwardShape(shape: Shape): Shape {
    return this.parts.reduce((s, p) => p.forwardShape(s), shape);
  }

  /** Each part's inverse shape, in reverse order. */
  override inverseShape(shape: Shape): Shape {
    return this.parts.reduceRight((s, p) => p.inverseShape(s), shape);
  }

  /** `ComposeTransform(part, ...)`. */
  override get name(): string {
    return `ComposeTransform(${this.parts.map((p) => p.name).join(", ")})`;
  }
}
