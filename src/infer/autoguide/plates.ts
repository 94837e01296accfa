/**
 * The plates of an autoguide run (Pyro's `AutoGuide._create_plates`).
 *
 * A guide samples each local latent site inside the same plates as the model,
 * with the model's dims and sizes, so that plate dims, subsampling scales and
 * param indexing agree. Pyro creates each plate once per guide call and
 * enters it around every site that needs it; here a plate scope draws its
 * subsample indices on entry, so the first entry of a plate in a run draws
 * them (recorded as the plate's subsample site, which the model then replays)
 * and later entries reuse them, with the repeated index site hidden from the
 * trace.
 *
 * @module
 */
import { handlerScope } from "../../handlers/interpreter.js";
import type { CondIndepFrame, Handler, Message } from "../../handlers/message.js";
import { isSubsampleSite } from "../../handlers/subsample-dist.js";
import { plate, type PlateOptions } from "../../primitives/plate.js";
import { scoped, type Program } from "../../program/program.js";
import type { Sites } from "../../program/sites.js";
import type { Tensor, TensorLike } from "../../tensor/types.js";

/**
 * A plate a guide should use instead of the one it would make from the
 * model's prototype (the result of the `createPlates` option): the arguments
 * of `pyro.plate`.
 *
 * @example
 * ```ts
 * const guide = infer.autoguide.AutoNormal(model, {
 *   createPlates: (data: Tensor, batch: Tensor) => [{ name: "data", size: 1000, subsample: batch }],
 * });
 * ```
 */
export interface AutoPlate {
  /** The plate's name (as in the model). */
  readonly name: string;
  /** The plate's full size. */
  readonly size: number;
  /** Visit a random subset of this many indices. */
  readonly subsampleSize?: number;
  /** Visit exactly these indices. */
  readonly subsample?: TensorLike;
  /** The plate's dim (default: the model's). */
  readonly dim?: number;
}

/** Hides a re-entered plate's subsample site (its indices were recorded on the first entry). */
class PlateReentry implements Handler {
  constructor(private readonly name: string) {}

  process(msg: Message): void {
    if (msg.type === "sample" && msg.name === this.name && isSubsampleSite(msg)) msg.stop = true;
  }
}

/** The plates of one guide run: which were entered, with which indices. */
export class GuidePlates {
  private readonly indices = new Map<string, Tensor>();
  private readonly user: ReadonlyMap<string, AutoPlate>;

  /** Makes the plates of one run; `user` overrides the prototype's plates by name. */
  constructor(user: readonly AutoPlate[] = []) {
    this.user = new Map(user.map((p) => [p.name, p]));
  }

  /** `body()` inside the plates `frames` (outermost first). */
  within<A>(frames: readonly CondIndepFrame[], body: () => Program<A, Sites>): Program<A, Sites> {
    if (frames.length === 0) return body();
    const [f, ...rest] = frames as [CondIndepFrame, ...CondIndepFrame[]];
    const inner = (): Program<A, Sites> => this.within(rest, body);
    const dim = f.dim ?? undefined;
    const seen = this.indices.get(f.name);
    if (seen !== undefined) {
      const size = this.user.get(f.name)?.size ?? f.size;
      const reenter = plate(f.name, size, { dim: this.user.get(f.name)?.dim ?? dim, subsample: seen }, inner);
      return scoped(handlerScope(() => new PlateReentry(f.name)), () => reenter as Program<A, Sites>);
    }
    const spec = this.user.get(f.name);
    let size = f.size;
    let options: PlateOptions = f.subsampleSize < f.size ? { dim, subsampleSize: f.subsampleSize } : { dim };
    if (spec !== undefined) {
      size = spec.size;
      options = { dim: spec.dim ?? dim, subsampleSize: spec.subsampleSize, subsample: spec.subsample };
    }
    const entered = plate(f.name, size, options, (idx: Tensor) => {
      this.indices.set(f.name, idx);
      return inner();
    });
    return entered as Program<A, Sites>;
  }
}
