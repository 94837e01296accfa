/**
 * The plate handler: Pyro's `PlateMessenger` (subsampling + broadcasting).
 *
 * On entry a plate draws its subsample indices as a sample site named after
 * the plate (so `trace` records and `replay` repeats them) and claims a batch
 * dim. Inside, every sample site gets the plate's frame in its
 * `condIndepStack`, its scale multiplied by `size / subsampleSize`, and its
 * distribution broadcast so the plate's dim has the plate's size. Params and
 * `pyro.subsample` data with a declared `eventDim` are indexed by the
 * subsample indices.
 *
 * @module
 */
import type { PlateScope } from "../primitives/effects.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/types.js";
import type { RunContext } from "./interpreter.js";
import { makeMessage, type CondIndepFrame, type Handler, type Message } from "./message.js";
import { mulScale } from "./scale.js";
import { Subsample } from "./subsample-dist.js";

/** The error thrown when a site's shape contradicts an enclosing plate. */
export class PlateShapeError extends Error {
  /** Makes the error for site `site` inside plate `plate`. */
  constructor(
    /** The site name. */
    readonly site: string,
    /** The plate name. */
    readonly plate: string,
    message: string,
  ) {
    super(message);
    this.name = "PlateShapeError";
  }
}

/** Broadcasts a sample site's distribution to the sizes of its plates (Pyro's `BroadcastMessenger`). */
export function broadcastToPlates(msg: Message): void {
  if (msg.done || msg.type !== "sample" || msg.fn === null) return;
  const fn = msg.fn;
  const actual = fn.batchShape;
  let target: (number | null)[] = actual.map((d) => (d === 1 ? null : d));
  for (const f of msg.condIndepStack) {
    if (f.dim === null) continue;
    if (target.length < -f.dim) target = [...new Array<null>(-f.dim - target.length).fill(null), ...target];
    const i = target.length + f.dim;
    const have = target[i];
    if (have !== null && have !== undefined && have !== f.subsampleSize) {
      throw new PlateShapeError(
        msg.name,
        f.name,
        `Shape mismatch inside plate('${f.name}') at site ${msg.name} dim ${f.dim}, ${f.subsampleSize} vs ${have}`,
      );
    }
    target[i] = f.subsampleSize;
  }
  const n = target.length;
  const shape = target.map((d, i) => d ?? (actual.length >= n - i ? actual[actual.length - (n - i)]! : 1));
  if (shape.length === actual.length && shape.every((d, i) => d === actual[i])) return;
  msg.fn = fn.expand(shape);
}

/** Pyro's plate semantics for one plate scope. */
export class PlateHandler implements Handler {
  private readonly subsampleSize: number;
  private readonly indices: Tensor;
  private dim: number | null = null;

  /** Draws the plate's indices through the current stack. */
  constructor(
    private readonly ctx: RunContext,
    private readonly scope: PlateScope,
  ) {
    const { ops, distCtx } = ctx.runtime;
    const given = scope.subsample === undefined ? undefined : ops.tensor(scope.subsample);
    this.subsampleSize = given !== undefined ? given.shape[0] ?? 1 : scope.subsampleSize ?? scope.size;
    const msg = makeMessage("sample", scope.name, {
      fn: new Subsample(distCtx, scope.size, this.subsampleSize),
      value: given ?? null,
      isObserved: given !== undefined,
    });
    ctx.perform(msg);
    this.indices = msg.value!;
  }

  /** Claims the plate's dim; the body receives the indices. */
  enter(): Tensor {
    this.dim = this.ctx.dims.allocate(this.scope.name, this.scope.dim);
    return this.indices;
  }

  /** Frees the plate's dim. */
  exit(): void {
    if (this.dim !== null) this.ctx.dims.free(this.scope.name, this.dim);
  }

  private frame(): CondIndepFrame {
    return { name: this.scope.name, dim: this.dim, size: this.scope.size, subsampleSize: this.subsampleSize, counter: 0 };
  }

  /** Adds the plate's frame, scales for subsampling and broadcasts the distribution. */
  process(msg: Message): void {
    msg.condIndepStack = [this.frame(), ...msg.condIndepStack];
    if (msg.type !== "sample") return;
    if (this.subsampleSize < this.scope.size) {
      msg.scale = mulScale(this.ctx.runtime.ops, msg.scale, this.scope.size / this.subsampleSize);
    }
    broadcastToPlates(msg);
  }

  /** Indexes params and subsample data with a declared event dim by the subsample indices. */
  postprocess(msg: Message): void {
    if ((msg.type !== "param" && msg.type !== "subsample") || msg.eventDim === undefined || this.dim === null) return;
    const value = msg.value!;
    const dim = this.dim - msg.eventDim;
    const rank = value.shape.length;
    if (rank < -dim || value.shape[rank + dim] === 1) return;
    const have = value.shape[rank + dim]!;
    if (have !== this.scope.size) {
      const statement = msg.type === "param" ? `pyro.param("${msg.name}", ..., eventDim=${msg.eventDim})` : `pyro.subsample(..., eventDim=${msg.eventDim})`;
      throw new PlateShapeError(
        msg.name,
        this.scope.name,
        `Inside pyro.plate("${this.scope.name}", ${this.scope.size}, dim=${this.dim}) invalid shape of ${statement}: ${formatShape(value.shape)}`,
      );
    }
    if (this.subsampleSize < this.scope.size) msg.value = this.ctx.runtime.ops.take(value, this.indices, rank + dim);
  }
}
