/**
 * The markov handler: Pyro's `MarkovMessenger`, the bookkeeping behind
 * `pyro.markov`.
 *
 * A markov context is a sequence of positions (the steps of a chain; one
 * position for the single-body form). Each sample site inside records, in
 * its `infer`, which earlier sites it can see: `_markovScope` maps a site
 * name to the number of enclosing markov contexts in which that site is
 * visible (it sits at one of the last `history + 1` positions), and
 * `_markovDepth` counts the markov contexts around the site itself. A site
 * `x` is in the scope of a later site `y` when `y` sees it in every markov
 * context `x` belongs to (count = depth of `x`). The enumeration handler
 * (`enumerate.ts`) reads these fields to decide which enumeration dims a
 * site must avoid and which it may reuse. The markov handler changes no
 * values, so a model with `pyro.markov` and no enumeration runs as before.
 *
 * Registers the scope kinds `"markov"` and `"markov-step"` with the full
 * interpreter when loaded.
 *
 * @module
 */
import type { MarkovScope, MarkovStepScope } from "../primitives/markov.js";
import { registerScopeKind } from "./interpreter.js";
import type { Handler, Message } from "./message.js";
import { isSubsampleSite } from "./subsample-dist.js";

/** The `infer` key of a site's visible markov scope (site name → number of contexts it is visible in). */
export const MARKOV_SCOPE_KEY = "_markovScope";
/** The `infer` key of a site's markov depth (the number of markov contexts around it). */
export const MARKOV_DEPTH_KEY = "_markovDepth";

/** The error thrown when a markov step scope is used without its markov context. */
export class MarkovScopeError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "MarkovScopeError";
  }
}

/** The sites a site sees through markov contexts, or `undefined` outside every markov context. */
export function markovScopeOf(msg: Message): ReadonlyMap<string, number> | undefined {
  return msg.infer[MARKOV_SCOPE_KEY] as ReadonlyMap<string, number> | undefined;
}

/** The number of markov contexts around a site (0 outside every markov context). */
export function markovDepthOf(msg: Message): number {
  return (msg.infer[MARKOV_DEPTH_KEY] as number | undefined) ?? 0;
}

/** The state of one markov context during one run: the sites at each position. */
export class MarkovContext {
  private readonly frames: Set<string>[] = [];
  private pos = -1;

  /** Makes a context in which a position sees `history` previous positions. */
  constructor(
    /** How many previous positions are visible. */
    readonly history: number,
  ) {}

  /** Moves to the next position (a new step of the chain). */
  advance(): void {
    this.pos += 1;
    this.frames.push(new Set());
    // Positions older than the window are never read again: free their names.
    const stale = this.pos - this.history - 1;
    if (stale >= 0) this.frames[stale]!.clear();
  }

  /** Adds this context's visibility counts and depth to a sample site's `infer`, and records the site. */
  annotate(msg: Message): void {
    if (this.pos < 0) throw new MarkovScopeError(`pyro.markov: site '${msg.name}' is in a markov context before its first step`);
    const scope = new Map(markovScopeOf(msg) ?? []);
    for (let p = Math.max(0, this.pos - this.history); p <= this.pos; p++) {
      for (const name of this.frames[p]!) scope.set(name, (scope.get(name) ?? 0) + 1);
    }
    msg.infer = { ...msg.infer, [MARKOV_SCOPE_KEY]: scope, [MARKOV_DEPTH_KEY]: markovDepthOf(msg) + 1 };
    this.frames[this.pos]!.add(msg.name);
  }
}

/**
 * The handler of one markov context: annotates every sample site inside it.
 *
 * @example
 * ```ts
 * // Pushed by the interpreter for `pyro.markov(...)`; sites inside get
 * // infer._markovScope and infer._markovDepth.
 * const h = new MarkovHandler(1);
 * ```
 */
export class MarkovHandler implements Handler {
  /** The context's per-run state. */
  readonly context: MarkovContext;

  /** Makes the handler of a context with `history`. */
  constructor(history: number) {
    this.context = new MarkovContext(history);
  }

  /** Hands the context to the body (its steps advance it). */
  enter(): MarkovContext {
    return this.context;
  }

  /** Annotates sample sites that are not yet done (plates' index sites excepted). */
  process(msg: Message): void {
    if (msg.type !== "sample" || msg.done || isSubsampleSite(msg)) return;
    this.context.annotate(msg);
  }
}

/** The handler of one step: entering it advances its markov context. */
export class MarkovStepHandler implements Handler {
  /** Makes the handler of a step of `context`. */
  constructor(private readonly context: MarkovContext) {}

  /** Moves the context to the next position. */
  enter(): undefined {
    this.context.advance();
    return undefined;
  }
}

registerScopeKind("markov", (_ctx, scope) => new MarkovHandler((scope as MarkovScope).history));
registerScopeKind("markov-step", (_ctx, scope) => {
  const context = (scope as MarkovStepScope).context;
  if (!(context instanceof MarkovContext)) {
    throw new MarkovScopeError("pyro.markov: a markov step scope must be inside the markov context that made it");
  }
  return new MarkovStepHandler(context);
});
