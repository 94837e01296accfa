/**
 * `inferDiscrete`: the posterior of a model's enumerated discrete sites given
 * its observations (Pyro's `infer_discrete`).
 *
 * Each run of the returned model has two passes over the original model:
 * 1. The model runs under enumeration (hidden from every outer handler) and
 *    its log-densities are contracted over the enumerated variables
 *    (`contractPlated`) in the max-product ring (temperature 0: the joint MAP
 *    assignment, i.e. Viterbi on an HMM) or the sampling ring (temperature 1:
 *    forward filtering, then backward sampling gives an exact joint posterior
 *    sample). The backward pass resolves every enumerated site.
 * 2. The model runs again as usual, with the enumerated sites set to those
 *    values (and plates' subsample indices replayed); its other latent sites
 *    are drawn afresh. Outer handlers (`trace`, `condition`, ...) see this pass.
 *
 * Randomness of pass 1 (non-enumerated latent sites, the backward samples)
 * comes from the run's own key, as for any site hidden by `block`.
 *
 * @module
 */
import type { Constraint } from "../distributions/constraint.js";
import { constraints } from "../distributions/constraints.js";
import type { DistContext } from "../distributions/context.js";
import { Distribution } from "../distributions/distribution.js";
import { EnumAllocator, EnumerateHandler, EnumOptionError } from "../handlers/enumerate.js";
import { handlerScope, type RunContext } from "../handlers/interpreter.js";
import type { Handler, Message } from "../handlers/message.js";
import { isSubsampleSite } from "../handlers/subsample-dist.js";
import { TraceHandler } from "../handlers/trace.js";
import { scaleAndMask } from "../handlers/trace-record.js";
import { checkModel } from "../handlers/wrap.js";
import { gen, type Model } from "../program/gen.js";
import { scoped, type Program } from "../program/program.js";
import type { Sites } from "../program/sites.js";
import { sample } from "../primitives/sample.js";
import type { RandomKey } from "../tensor/random/key.js";
import type { Shape, Tensor } from "../tensor/types.js";
import { resolveBackpointers, siteValueAt } from "./enum/backward.js";
import { nameSiteTensor, plateOrdinal } from "./enum/factors.js";
import { contractPlated, type PlatedTensor } from "./enum/plated.js";
import { MapRing, SampleRing } from "./enum/ring.js";

/** Options of {@link inferDiscrete}. */
export interface InferDiscreteOptions {
  /** The rightmost dim enumeration may use, `-1 - maxPlateNesting` (required, as in Pyro). */
  readonly firstAvailableDim: number;
  /** 0: the MAP assignment (max-product); 1 (default): a joint posterior sample. */
  readonly temperature?: 0 | 1;
}

const KEY_SITE = "_inferDiscrete/key";

/** A distribution whose draw records the key it was drawn with (how pass 1 gets the run's key). */
class KeyCapture extends Distribution {
  /** The key of the last draw. */
  captured: RandomKey | undefined;

  constructor(ctx: DistContext) {
    super(ctx, [], []);
  }

  /** Any real (the draw is a placeholder 0). */
  get support(): Constraint {
    return constraints.real;
  }

  /** 0: the site is hidden from every trace, so its density never counts. */
  logProb(): Tensor {
    return this.ops.tensor(0);
  }

  /** Records `key` and returns 0. */
  override sample(key: RandomKey, _sampleShape: Shape = []): Tensor {
    this.captured = key;
    return this.ops.tensor(0);
  }

  /** Itself (it has no batch shape to expand). */
  expand(): KeyCapture {
    return this;
  }
}

/** Pass 1: enumerates, records and hides every site from outer handlers. */
class EnumeratedPass implements Handler {
  /** Records pass 1's sites. */
  readonly trace = new TraceHandler();

  constructor(readonly enumerate: EnumerateHandler) {}

  /** Enumerates the site and stops it from reaching outer handlers (Pyro's `block()`). */
  process(msg: Message): void {
    this.enumerate.process(msg);
    msg.stop = true;
  }

  /** Records the finished site. */
  postprocess(msg: Message): void {
    this.trace.postprocess(msg);
    this.enumerate.postprocess(msg);
  }
}

/** Pass 2: sets the enumerated sites (and plates' indices) to the values found. */
class PosteriorReplay implements Handler {
  constructor(private readonly values: ReadonlyMap<string, Tensor>) {}

  /** Sets a resolved site's value. */
  process(msg: Message): void {
    if (msg.type !== "sample" || msg.isObserved) return;
    const v = this.values.get(msg.name);
    if (v === undefined) return;
    msg.value = v;
    msg.done = true;
  }
}

/** The per-run state of one `inferDiscrete` run. */
class DiscretePosterior implements Handler {
  pass1: EnumeratedPass | undefined;
  keyCapture: KeyCapture | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly firstAvailableDim: number,
    private readonly temperature: 0 | 1,
  ) {}

  /** Hands itself to the scope's body, which drives the two passes. */
  enter(): DiscretePosterior {
    return this;
  }

  /** Keeps the key-capturing site of this run from every outer handler. */
  process(msg: Message): void {
    if (msg.name === KEY_SITE && msg.fn !== null && msg.fn === this.keyCapture) msg.stop = true;
  }

  /** The handler of pass 1 (a fresh allocator per run). */
  firstPass(): EnumeratedPass {
    this.pass1 = new EnumeratedPass(new EnumerateHandler(new EnumAllocator(this.firstAvailableDim)));
    return this.pass1;
  }

  /** A hidden site whose draw captures the run's key, for the backward samples. */
  keySite(): Program<Tensor, never> {
    this.keyCapture = new KeyCapture(this.ctx.runtime.distCtx);
    return sample(KEY_SITE, this.keyCapture) as Program<Tensor, never>;
  }

  /** Contracts pass 1's log-densities and resolves the enumerated sites. */
  solve(): PosteriorReplay {
    const { ops } = this.ctx.runtime;
    const { trace, enumerate } = this.pass1!;
    const tr = trace.trace;
    tr.computeLogProb();
    const vars = new Set<string>();
    for (const [name, info] of enumerate.sites) if (info.enumDim !== undefined) vars.add(name);
    const nesting = -1 - this.firstAvailableDim;
    const factors: PlatedTensor[] = [];
    const values = new Map<string, Tensor>();
    for (const site of tr.nodes.values()) {
      if (site.type === "sample" && isSubsampleSite(site)) values.set(site.name, site.value!);
    }
    for (const site of tr.sampleNodes()) {
      const masked = scaleAndMask(ops, site.unscaledLogProb!, 1, site.mask);
      const tensor = nameSiteTensor(ops, site, masked, enumerate.sites.get(site.name), nesting);
      if (tensor.dims.some((d) => vars.has(d))) factors.push({ tensor, ordinal: plateOrdinal(site) });
    }
    const ring = this.temperature === 0 ? new MapRing() : new SampleRing(this.keyCapture!.captured!);
    contractPlated(ops, ring, factors, vars);
    const indices = resolveBackpointers(ops, ring.records, vars);
    for (const name of vars) {
      const site = tr.nodes.get(name)!;
      values.set(name, siteValueAt(ops, site, indices.get(name) ?? { value: ops.tensor(0), dims: [] }));
    }
    return new PosteriorReplay(values);
  }
}

/**
 * `model` whose enumerated discrete sites (marked `infer: { enumerate:
 * "parallel" }`, e.g. by `configEnumerate`) take their joint MAP values
 * (`temperature: 0`) or a joint posterior sample (`temperature: 1`) given the
 * model's observations (Pyro's `infer_discrete`). Trace it to read the values.
 *
 * @example
 * ```ts
 * const map = infer.inferDiscrete(infer.configEnumerate(hmm), { firstAvailableDim: -1, temperature: 0 });
 * const states = handlers.trace(map).getTrace(data).get("x_3")?.value;
 * ```
 */
export function inferDiscrete<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: InferDiscreteOptions): Model<Args, R, S> {
  checkModel("inferDiscrete", model);
  const first = options?.firstAvailableDim;
  if (!Number.isInteger(first) || first >= 0) throw new EnumOptionError("inferDiscrete", "firstAvailableDim", "a negative integer (-1 - maxPlateNesting)", first);
  const temperature = options.temperature ?? 1;
  if (temperature !== 0 && temperature !== 1) throw new EnumOptionError("inferDiscrete", "temperature", "0 or 1", temperature);
  return (...args: Args) =>
    scoped(handlerScope((ctx) => new DiscretePosterior(ctx, first, temperature)), (entered) => {
      return gen(() => twoPasses(entered as DiscretePosterior, () => model(...args), temperature));
    }) as unknown as Program<R, S>;
}

/** The first pass, the key site, then the model replayed with the solved values (a shared generator function: see `gen`). */
function* twoPasses<R>(posterior: DiscretePosterior, run: () => Program<R, Sites>, temperature: number) {
  yield* scoped(handlerScope(() => posterior.firstPass()), run);
  if (temperature === 1) yield* posterior.keySite();
  const replay = posterior.solve();
  return (yield* scoped(handlerScope(() => replay), run)) as R;
}
