/**
 * The `handlers` module of a standard backend (Pyro's `poutine`).
 *
 * @module
 */
import { block } from "./block.js";
import { condition } from "./condition.js";
import { intervene } from "./do.js";
import { enumerate } from "./enumerate.js";
import { escape } from "./escape.js";
import { inferConfig } from "./infer-config.js";
import { lift } from "./lift.js";
import type { Runtime } from "./runtime.js";
import { mask, scale } from "./scale.js";
import { seedWith, type SeedCombinator } from "./seed.js";
import { replay } from "./replay.js";
import { scope } from "./scope.js";
import { substitute } from "./substitute.js";
import { traceWith } from "./trace.js";
import { uncondition } from "./uncondition.js";

/**
 * Effect handlers: combinators from models to models.
 *
 * @example
 * ```ts
 * const tr = handlers.trace(handlers.condition(model, { obs: y })).getTrace();
 * ```
 */
export interface HandlersModule {
  /** Records every site of a run: `handlers.trace(model).getTrace(...args)`. */
  readonly trace: ReturnType<typeof traceWith>;
  /** Reuses a trace's values at its sample sites. */
  readonly replay: typeof replay;
  /** Hides sites from outer handlers. */
  readonly block: typeof block;
  /** Observes sites at given values. */
  readonly condition: typeof condition;
  /** Fixes param or sample sites to given values. */
  readonly substitute: typeof substitute;
  /** Multiplies sites' log-densities. */
  readonly scale: typeof scale;
  /** Masks sites' log-densities. */
  readonly mask: typeof mask;
  /** Seeds randomness: of a model, or of the backend for a body. */
  readonly seed: SeedCombinator;
  /** Intervenes on sites (Pyro's `poutine.do`): fixed values downstream, fresh draws in the trace. */
  readonly do: typeof intervene;
  /** Enumerates sites marked `infer: { enumerate: "parallel" }` (Pyro's `poutine.enum`). */
  readonly enum: typeof enumerate;
  /** Turns params into sample sites drawn from a prior. */
  readonly lift: typeof lift;
  /** Samples observed sites instead of observing them. */
  readonly uncondition: typeof uncondition;
  /** Merges a function of each site into its `infer` configuration. */
  readonly inferConfig: typeof inferConfig;
  /** Prefixes sample site names: `prefix/name`. */
  readonly scope: typeof scope;
  /** Leaves a run at a chosen site by throwing `NonlocalExit`. */
  readonly escape: typeof escape;
}

/** The handlers module of `runtime`. */
export function makeHandlersModule(runtime: Runtime): HandlersModule {
  return {
    trace: traceWith((program) => runtime.run(program)),
    replay,
    block,
    condition,
    substitute,
    scale,
    mask,
    seed: seedWith((s, body) => runtime.withSeed(s, body)),
    do: intervene,
    enum: enumerate,
    lift,
    uncondition,
    inferConfig,
    scope,
    escape,
  };
}
