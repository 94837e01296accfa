/**
 * The enumeration handler: Pyro's `EnumMessenger` (`poutine.enum`).
 *
 * A sample site marked `infer: { enumerate: "parallel" }` gets its whole
 * support as its value, laid out along a fresh enumeration dim to the LEFT of
 * every plate dim (dims `firstAvailableDim`, `firstAvailableDim - 1`, ...,
 * with `firstAvailableDim = -1 - maxPlateNesting`). Everything downstream
 * then broadcasts over that dim, so each log-density becomes a tensor over
 * the enumerated values of the variables it depends on.
 *
 * Dims are allocated as in Pyro: a site outside every `pyro.markov` context
 * gets a global dim that is never reused; a site inside one gets the first
 * dim (from the next free global dim leftwards) that no site in its markov
 * scope uses, so a chain recycles a bounded number of dims.
 *
 * For each site the handler records {@link EnumSiteInfo}: which enumerated
 * variable each enumeration dim of the site's tensors stands for. The
 * contraction code names tensor dims with it (`src/infer/enum/factors.ts`).
 *
 * @module
 */
import type { Distribution } from "../distributions/distribution.js";
import type { Model } from "../program/gen.js";
import type { Tensor } from "../tensor/types.js";
import { markovDepthOf, markovScopeOf } from "./markov.js";
import type { Handler, Message } from "./message.js";
import { isSubsampleSite } from "./subsample-dist.js";
import { wrap } from "./wrap.js";

/** The error thrown when a site marked for enumeration cannot be enumerated. */
export class NotEnumerableError extends Error {
  /** Makes the error for site `site` whose distribution is `distribution`; `reason` says why. */
  constructor(
    /** The site name. */
    readonly site: string,
    /** The distribution's name. */
    readonly distribution: string,
    reason: string,
  ) {
    super(`cannot enumerate site '${site}' (${distribution}): ${reason}`);
    this.name = "NotEnumerableError";
  }
}

/** The error thrown when an enumeration dim collides with a plate dim or another variable's dim. */
export class EnumDimCollisionError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "EnumDimCollisionError";
  }
}

/** The error thrown for an invalid `firstAvailableDim`. */
export class EnumOptionError extends Error {
  /** Makes the error for `option`, which should be `expected` but is `got`. */
  constructor(where: string, option: string, expected: string, got: unknown) {
    super(`${where}: ${option} must be ${expected}, got ${String(got)}`);
    this.name = "EnumOptionError";
  }
}

/**
 * The enumeration-dim allocator shared by a guide and its model in one
 * estimate (Pyro's `_ENUM_ALLOCATOR`): the model's dims continue left of the
 * guide's, and the model sees the guide's global dims.
 */
export class EnumAllocator {
  private next: number;
  /** Global enumeration dims (never reused) and the site holding each. */
  readonly globalDims = new Map<number, string>();
  /** The last site allocated at each dim (for error messages). */
  private readonly holders = new Map<number, string>();

  /** Makes an allocator whose first dim is `firstAvailableDim` (negative). */
  constructor(
    /** The rightmost enumeration dim, `-1 - maxPlateNesting`. */
    readonly firstAvailableDim: number,
  ) {
    if (!Number.isInteger(firstAvailableDim) || firstAvailableDim >= 0) {
      throw new EnumOptionError("enumerate", "firstAvailableDim", "a negative integer", firstAvailableDim);
    }
    this.next = firstAvailableDim;
  }

  /** A new global dim for site `name`. */
  allocateGlobal(name: string): number {
    const dim = this.next;
    this.next -= 1;
    this.globalDims.set(dim, name);
    this.holders.set(dim, name);
    return dim;
  }

  /** The first dim, from the next global dim leftwards, not in `avoid`. */
  nextLocal(avoid: ReadonlyMap<number, string>): number {
    let dim = this.next;
    while (avoid.has(dim)) dim -= 1;
    return dim;
  }

  /** A local (recyclable) dim for site `name`: {@link EnumAllocator.nextLocal}. */
  allocateLocal(name: string, avoid: ReadonlyMap<number, string>): number {
    const dim = this.nextLocal(avoid);
    this.holders.set(dim, name);
    return dim;
  }

  /** The site that was last given `dim`, if any. */
  holder(dim: number): string | undefined {
    return this.holders.get(dim);
  }
}

/** What the enumeration handler learned about one sample site. */
export interface EnumSiteInfo {
  /** The site name. */
  readonly name: string;
  /** The site's own enumeration dim, when this handler enumerated it. */
  readonly enumDim: number | undefined;
  /** The enumerated variable (site name) behind each enumeration dim of the site's tensors. */
  readonly dims: ReadonlyMap<number, string>;
}

/** Options of {@link EnumerateHandler}. */
export interface EnumerateHandlerOptions {
  /** Sites not to enumerate (e.g. the guide's sites, which a replay will set). */
  readonly skip?: ReadonlySet<string>;
  /** The handler that enumerated the guide: replayed sites keep the guide's dims. */
  readonly upstream?: EnumerateHandler;
}

interface Pending {
  readonly dims: Map<number, string>;
  readonly enumDim: number | undefined;
}

/** Enumerates sites marked `enumerate: "parallel"` and records every site's enumeration dims. */
export class EnumerateHandler implements Handler {
  /** Per-site records, by site name, filled as sites finish. */
  readonly sites = new Map<string, EnumSiteInfo>();
  private readonly depths = new Map<string, number>();
  private readonly valueDims = new Map<string, ReadonlyMap<number, string>>();
  private readonly pending = new Map<string, Pending>();

  /** Makes the handler allocating from `allocator`. */
  constructor(
    /** The dim allocator (shared with the guide's handler in an ELBO). */
    readonly allocator: EnumAllocator,
    private readonly options: EnumerateHandlerOptions = {},
  ) {}

  /** Computes the site's enumeration dims in scope; enumerates it if marked. */
  process(msg: Message): void {
    if (msg.type !== "sample" || msg.fn === null || isSubsampleSite(msg)) return;
    this.checkPlates(msg);
    const scope = markovScopeOf(msg);
    const dims = new Map(this.allocator.globalDims);
    if (scope !== undefined) {
      for (const [name, count] of scope) {
        if (this.depths.get(name) !== count) continue; // a markov context of `name` has moved on
        for (const [d, n] of this.valueDims.get(name) ?? []) addDim(dims, d, n, msg.name);
      }
      this.depths.set(msg.name, markovDepthOf(msg));
    }
    let enumDim: number | undefined;
    if (!msg.done && !msg.isObserved && msg.infer.enumerate !== undefined && !(this.options.skip?.has(msg.name) ?? false)) {
      enumDim = this.enumerate(msg, dims, scope !== undefined);
      dims.set(enumDim, msg.name);
    }
    this.pending.set(msg.name, { dims, enumDim });
  }

  /** Records the site's dims and which of them its value carries downstream. */
  postprocess(msg: Message): void {
    const p = this.pending.get(msg.name);
    if (p === undefined || msg.type !== "sample") return;
    this.pending.delete(msg.name);
    const dims = p.dims;
    const upstream = this.options.upstream?.sites.get(msg.name);
    if (upstream !== undefined) for (const [d, n] of upstream.dims) if (n === msg.name) addDim(dims, d, n, msg.name);
    const value = msg.value!;
    const batchRank = value.shape.length - msg.fn!.eventShape.length;
    const carried = new Map<number, string>();
    for (const [d, n] of dims) if (batchRank >= -d && value.shape[batchRank + d]! > 1) carried.set(d, n);
    this.valueDims.set(msg.name, carried);
    this.sites.set(msg.name, { name: msg.name, enumDim: p.enumDim, dims });
  }

  private checkPlates(msg: Message): void {
    const first = this.allocator.firstAvailableDim;
    for (const f of msg.condIndepStack) {
      if (f.dim === null || f.dim > first) continue;
      const holder = this.allocator.holder(f.dim);
      throw new EnumDimCollisionError(
        `at site '${msg.name}': plate "${f.name}" at dim ${f.dim} collides with the enumeration dims (dim ≤ ${first}` +
          `${holder === undefined ? "" : `; dim ${f.dim} is enumerated site '${holder}'`}); ` +
          `set maxPlateNesting (or firstAvailableDim) so that every plate dim is right of the enumeration dims, e.g. maxPlateNesting = ${-f.dim}`,
      );
    }
  }

  private enumerate(msg: Message, dims: ReadonlyMap<number, string>, local: boolean): number {
    const fn = msg.fn!;
    if (msg.infer.enumerate !== "parallel") {
      throw new NotEnumerableError(msg.name, fn.name, `only infer.enumerate = "parallel" is supported, got "${String(msg.infer.enumerate)}"`);
    }
    if (!fn.hasEnumerateSupport) {
      throw new NotEnumerableError(msg.name, fn.name, "its distribution has no enumerateSupport; only discrete distributions (Categorical, Bernoulli, ...) can be enumerated");
    }
    if (msg.sampleShape.length > 0) {
      throw new NotEnumerableError(msg.name, fn.name, "a site with a sampleShape cannot be enumerated; use a plate instead");
    }
    const previous = local ? this.allocator.holder(this.allocator.nextLocal(dims)) : undefined;
    const target = local ? this.allocator.allocateLocal(msg.name, dims) : this.allocator.allocateGlobal(msg.name);
    msg.value = placeEnumDim(fn, fn.enumerateSupport(msg.infer.expand === true), target, msg.name, previous);
    msg.done = true;
    return target;
  }
}

function addDim(dims: Map<number, string>, dim: number, name: string, site: string): void {
  const had = dims.get(dim);
  if (had !== undefined && had !== name) {
    throw new EnumDimCollisionError(
      `at site '${site}': enumeration dim ${dim} is used by both '${had}' and '${name}', which are both in scope; ` +
        "declare global enumerated sites before markov chains, or increase the markov history",
    );
  }
  dims.set(dim, name);
}

/**
 * Moves the support's enumeration axis (axis 0, Pyro's `actual_dim`) to the
 * batch dim `target` (Pyro's `target_dim`).
 */
export function placeEnumDim(fn: Distribution, support: Tensor, target: number, site: string, holder?: string): Tensor {
  const { ops } = fn;
  const actual = -1 - fn.batchShape.length;
  const shape = support.shape;
  if (target === actual) return support;
  if (target < actual) {
    return ops.reshape(support, [shape[0]!, ...new Array<number>(actual - target).fill(1), ...shape.slice(1)]);
  }
  const axis = shape.length + target - fn.eventShape.length;
  if (shape[axis] !== 1 || fn.batchShape[fn.batchShape.length + target] !== 1) {
    throw new EnumDimCollisionError(
      `at site '${site}': enumeration reuses dim ${target}${holder === undefined ? "" : ` (last held by '${holder}')`}, but the ` +
        `site's distribution depends on it (batch shape [${fn.batchShape.join(", ")}]): an enumerated variable out of the ` +
        "site's pyro.markov scope reached it; increase the markov history",
    );
  }
  const perm = shape.map((_, i) => (i === 0 ? axis : i === axis ? 0 : i));
  let value = ops.transpose(support, perm);
  let lead = 0;
  while (lead < axis && value.shape[lead] === 1) lead += 1;
  if (lead > 0) value = ops.reshape(value, value.shape.slice(lead));
  return value;
}

/** Options of {@link enumerate}. */
export interface EnumerateOptions {
  /** The rightmost dim enumeration may use, `-1 - maxPlateNesting`. */
  readonly firstAvailableDim: number;
}

/**
 * `model` with its sites marked `infer: { enumerate: "parallel" }` enumerated
 * in parallel (Pyro's `poutine.enum`): each such site's value is its whole
 * support along an enumeration dim left of `firstAvailableDim`.
 *
 * @example
 * ```ts
 * const enumerated = enumerate(configEnumerate(model), { firstAvailableDim: -2 });
 * handlers.trace(enumerated).getTrace(data).get("z")?.value; // shape [3, 1]
 * ```
 */
export function enumerate<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: EnumerateOptions): Model<Args, R, S> {
  const first = options?.firstAvailableDim;
  if (!Number.isInteger(first) || first >= 0) throw new EnumOptionError("enumerate", "firstAvailableDim", "a negative integer", first);
  return wrap("enumerate", model, () => new EnumerateHandler(new EnumAllocator(first)));
}
