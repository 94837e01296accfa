/**
 * The param store: named learnable tensors, kept unconstrained.
 *
 * Like Pyro's `ParamStoreDict`, each param is stored as an unconstrained
 * tensor plus its constraint; reading a param returns the constrained value
 * `transformTo(constraint)(unconstrained)`, and optimizers update the
 * unconstrained tensor. Every backend instance owns one store.
 *
 * The store saves and loads itself as JSON (Pyro's `get_state`, `set_state`,
 * `save`, `load`): see `codecs/param-store.ts` for the format. Loading
 * validates the whole file and builds every param before it changes anything.
 *
 * @module
 */
import { decodeParamStoreState, ParamStoreDecodeError, type ParamStoreState } from "../codecs/param-store.js";
import { constraints } from "../distributions/constraints.js";
import type { Constraint } from "../distributions/constraint.js";
import type { DistContext } from "../distributions/context.js";
import { transformTo } from "../distributions/transforms/index.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import { readTextFile, writeFileAtomic } from "./param-store-file.js";
import { buildParamEntries, encodeParamStore, type ParamEntry } from "./param-store-state.js";

/** Options of {@link ParamStore.setState} and {@link ParamStore.load}. */
export interface LoadOptions {
  /**
   * Keep params the state does not mention (Pyro's `set_state` behaviour);
   * by default the store is replaced by the state's params.
   */
  readonly merge?: boolean;
}

/** The error thrown when a param is read before it exists. */
export class ParamNotFoundError extends Error {
  /** Makes the error for param `param`. */
  constructor(
    /** The missing param's name. */
    readonly param: string,
    known: readonly string[],
  ) {
    super(
      `pyro.param("${param}") was read before it exists: give an initial value on first use` +
        (known.length > 0 ? ` (the param store has: ${known.join(", ")})` : " (the param store is empty)"),
    );
    this.name = "ParamNotFoundError";
  }
}

/** The error thrown when a param's initial value violates its constraint. */
export class ParamConstraintError extends Error {
  /** Makes the error for param `param` and constraint `constraint`. */
  constructor(
    /** The param's name. */
    readonly param: string,
    /** The violated constraint's name. */
    readonly constraint: string,
    description: string,
  ) {
    super(`pyro.param("${param}"): initial value must satisfy constraint ${constraint} (${description})`);
    this.name = "ParamConstraintError";
  }
}

type Entry = ParamEntry;

/**
 * Named params of one backend.
 *
 * @example
 * ```ts
 * const store = pyro.getParamStore();
 * store.names();           // ["loc", "scale"]
 * ops.item(store.get("scale"));
 * store.save("params.json");
 * store.clear();
 * store.load("params.json"); // the same params again
 * ```
 */
export class ParamStore {
  private readonly entries = new Map<string, Entry>();

  /** Makes an empty store computing in `ctx`. */
  constructor(private readonly ctx: DistContext) {}

  /** The number of params. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether param `name` exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The names of all params, in creation order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (e === undefined) throw new ParamNotFoundError(name, this.names());
    return e;
  }

  /** The constrained value of param `name`. */
  get(name: string): Tensor {
    const e = this.entry(name);
    return this.constrain(e, e.unconstrained);
  }

  /** The constrained value for an unconstrained tensor `u` of param `name` (differentiable in `u`). */
  constrainedFrom(name: string, u: Tensor): Tensor {
    return this.constrain(this.entry(name), u);
  }

  private constrain(e: Entry, u: Tensor): Tensor {
    return e.constraint === constraints.real ? u : transformTo(this.ctx, e.constraint).forward(u);
  }

  /** The unconstrained tensor of param `name`. */
  getUnconstrained(name: string): Tensor {
    return this.entry(name).unconstrained;
  }

  /** The constraint of param `name`. */
  constraintOf(name: string): Constraint {
    return this.entry(name).constraint;
  }

  /** The event dims of param `name` (`undefined` when not given). */
  eventDimOf(name: string): number | undefined {
    return this.entry(name).eventDim;
  }

  /**
   * Stores `value` (a constrained value) as param `name`, replacing any
   * previous value.
   */
  set(name: string, value: TensorLike, options: { constraint?: Constraint; eventDim?: number } = {}): void {
    const { ops } = this.ctx;
    const constraint = options.constraint ?? constraints.real;
    const v = ops.tensor(value);
    const u =
      constraint === constraints.real ? v : ops.tidy(() => transformTo(this.ctx, constraint).inverse(v));
    // Like Pyro, an init outside the constraint's set is projected into it
    // when the inverse transform is finite (e.g. an unnormalized vector for
    // `simplex`); an init the transform cannot map (a negative value for
    // `positive`) would become NaN, so it is an error instead.
    const finite = ops.tidy(() => ops.item(ops.all(ops.isFinite(u))));
    if (!finite) {
      if (u !== v) ops.dispose(u);
      throw new ParamConstraintError(name, constraint.name, constraint.description);
    }
    this.replace(name, { unconstrained: ops.keep(u), constraint, eventDim: options.eventDim });
  }

  /** The value of param `name`, stored from `init` first when missing. */
  getOrInit(
    name: string,
    init: TensorLike | (() => TensorLike) | undefined,
    constraint: Constraint | undefined,
    eventDim: number | undefined,
  ): Tensor {
    if (!this.entries.has(name)) {
      if (init === undefined) throw new ParamNotFoundError(name, this.names());
      const value = typeof init === "function" ? init() : init;
      this.set(name, value, { constraint: constraint ?? constraints.real, eventDim });
    }
    return this.get(name);
  }

  /**
   * Replaces the unconstrained tensors of several params at once: either all
   * names exist and all are replaced, or nothing changes.
   */
  setUnconstrained(updates: ReadonlyMap<string, Tensor>): void {
    for (const name of updates.keys()) this.entry(name);
    for (const [name, u] of updates) {
      const e = this.entry(name);
      this.replace(name, { ...e, unconstrained: this.ctx.ops.keep(u) });
    }
  }

  private replace(name: string, entry: Entry): void {
    const old = this.entries.get(name);
    this.entries.set(name, entry);
    if (old !== undefined && old.unconstrained !== entry.unconstrained) this.ctx.ops.dispose(old.unconstrained);
  }

  /**
   * The store as a JSON-ready value (Pyro's `get_state`): names in creation
   * order, each param's constraint, event dims and unconstrained values.
   * `JSON.stringify(store)` uses it.
   *
   * @throws ParamStoreEncodeError when a value is not finite or a constraint has no codec.
   */
  toJSON(): ParamStoreState {
    return encodeParamStore(this.ctx, this.entries);
  }

  /** {@link toJSON} under Pyro's name. */
  getState(): ParamStoreState {
    return this.toJSON();
  }

  /**
   * Replaces the store's params by those of `state` (a value {@link toJSON}
   * made, or parsed from a file). The state is decoded and every param built
   * first; if anything is wrong, a `ParamStoreDecodeError` names the
   * path of each problem and the store is left exactly as it was.
   */
  setState(state: unknown, options: LoadOptions = {}, source = "ParamStore.setState"): void {
    const decoded = decodeParamStoreState(state, source);
    const built = buildParamEntries(this.ctx, decoded, source);
    const old = options.merge ? [...built.keys()].flatMap((n) => this.entries.get(n) ?? []) : [...this.entries.values()];
    if (!options.merge) this.entries.clear();
    for (const [name, entry] of built) this.entries.set(name, entry);
    this.ctx.ops.dispose(old.map((e) => e.unconstrained));
  }

  /** {@link setState} from JSON text; text that is not JSON is a `ParamStoreDecodeError`. */
  fromJSON(text: string, options: LoadOptions = {}, source = "ParamStore.fromJSON"): void {
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch (err) {
      throw new ParamStoreDecodeError(source, [{ path: "", message: `invalid JSON: ${(err as Error).message}` }], { cause: err });
    }
    this.setState(state, options, source);
  }

  /**
   * Writes the store to file `path` as JSON, atomically (a temporary file
   * renamed over `path`).
   *
   * @example
   * ```ts
   * pyro.getParamStore().save("params.json");
   * ```
   */
  save(path: string): void {
    writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  /**
   * Replaces the store's params by those saved in file `path` (with
   * `{ merge: true }`, keeps the others). A missing, corrupt or mismatched
   * file throws (`ParamStoreIOError`, `ParamStoreDecodeError`)
   * and leaves the store exactly as it was.
   *
   * @example
   * ```ts
   * pyro.getParamStore().load("params.json");
   * ```
   */
  load(path: string, options: LoadOptions = {}): void {
    this.fromJSON(readTextFile(path), options, `ParamStore.load(${JSON.stringify(path)})`);
  }

  /** Removes param `name`. */
  delete(name: string): void {
    const old = this.entries.get(name);
    if (old === undefined) return;
    this.entries.delete(name);
    this.ctx.ops.dispose(old.unconstrained);
  }

  /** Removes every param. */
  clear(): void {
    for (const name of this.names()) this.delete(name);
  }
}
