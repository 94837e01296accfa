/**
 * `pyro.markov`: Markov dependency declarations, so that enumeration can
 * recycle tensor dims along a chain (Pyro's `pyro.markov`).
 *
 * Two forms:
 * - `pyro.markov(steps, body)` runs `body(t)` for each step `t` (a count or
 *   an array of values) as successive positions of ONE markov context — the
 *   TypeScript form of Python's `for t in pyro.markov(range(T)):`. A site at
 *   step `t` sees the sites of steps `t - history, ..., t`; older steps are
 *   out of its scope, so their enumeration dims can be reused. Returns the
 *   array of the bodies' results.
 * - `pyro.markov(body)` runs `body` in a single markov context (Python's
 *   `with pyro.markov():`). Separate calls are separate contexts: a site in
 *   one does not see the sites of an earlier, separate context. For a chain
 *   use the `steps` form.
 *
 * The primitive builds scope requests (data); `src/handlers/markov.ts` gives
 * them meaning and registers the scope kinds with the interpreter.
 *
 * @module
 */
import "../handlers/markov.js";
import { bodyProgram, gen, type Body, type BodySites } from "../program/gen.js";
import { scoped, type Program, type Scope } from "../program/program.js";
import { PrimitiveArgumentError } from "./validate.js";

/** Options of {@link markov}. */
export interface MarkovOptions {
  /** How many previous steps a step's sites depend on (default 1; 0 makes the steps independent). */
  readonly history?: number;
}

/** The scope of one markov context (the whole loop of the `steps` form). */
export interface MarkovScope extends Scope {
  /** Discriminant. */
  readonly type: "markov";
  /** How many previous positions are visible from a position. */
  readonly history: number;
}

/** The scope of one step of a markov context; `context` is what entering the {@link MarkovScope} returned. */
export interface MarkovStepScope extends Scope {
  /** Discriminant. */
  readonly type: "markov-step";
  /** The per-run state of the enclosing markov context. */
  readonly context: unknown;
}

/** The steps of the `steps` form: a count (`0, ..., n - 1`) or the values themselves. */
export type MarkovSteps<V> = number | readonly V[];

const PRIMITIVE = "pyro.markov";

function checkHistory(options: MarkovOptions): number {
  const history = options.history ?? 1;
  if (!Number.isInteger(history) || history < 0) {
    throw new PrimitiveArgumentError(PRIMITIVE, "markov", "options.history", "an integer ≥ 0", history);
  }
  return history;
}

function stepValues<V>(steps: MarkovSteps<V>): readonly (V | number)[] {
  if (typeof steps === "number") {
    if (!Number.isInteger(steps) || steps < 0) {
      throw new PrimitiveArgumentError(PRIMITIVE, "markov", "steps", "an integer ≥ 0 or an array", steps);
    }
    return Array.from({ length: steps }, (_, i) => i);
  }
  if (!Array.isArray(steps)) throw new PrimitiveArgumentError(PRIMITIVE, "markov", "steps", "an integer ≥ 0 or an array", steps);
  return steps;
}

/**
 * Runs `body(t)` for `t = 0, ..., steps - 1` as a Markov chain of history 1.
 *
 * @example
 * ```ts
 * let x: Tensor = ops.tensor(0);
 * yield* pyro.markov(100, function* (t) {
 *   x = yield* pyro.sample(`x_${t}`, dist.Categorical(ops.index(trans, x)), { infer: { enumerate: "parallel" } });
 *   yield* pyro.sample(`y_${t}`, dist.Normal(ops.index(locs, x), 1), { obs: data[t] });
 * });
 * ```
 */
export function markov<Y, R>(steps: number, body: Body<number, Y, R>): Program<R[], BodySites<Y>>;
/** Runs `body(t)` for `t = 0, ..., steps - 1` as a Markov chain with options. */
export function markov<Y, R>(steps: number, options: MarkovOptions, body: Body<number, Y, R>): Program<R[], BodySites<Y>>;
/** Runs `body(v)` for each value of `steps`, in order, as a Markov chain. */
export function markov<V, Y, R>(steps: readonly V[], body: Body<V, Y, R>): Program<R[], BodySites<Y>>;
/** Runs `body(v)` for each value of `steps` as a Markov chain with options. */
export function markov<V, Y, R>(steps: readonly V[], options: MarkovOptions, body: Body<V, Y, R>): Program<R[], BodySites<Y>>;
/** Runs `body` in one markov context. */
export function markov<Y, R>(body: Body<void, Y, R>): Program<R, BodySites<Y>>;
/** Runs `body` in one markov context with options. */
export function markov<Y, R>(options: MarkovOptions, body: Body<void, Y, R>): Program<R, BodySites<Y>>;
export function markov(first: unknown, second?: unknown, third?: unknown): Program<unknown, unknown> {
  if (typeof first === "function") return single({}, first as Body<void, unknown, unknown>);
  if (typeof first === "number" || Array.isArray(first)) {
    const options = (typeof second === "function" ? {} : second) as MarkovOptions | undefined;
    const body = typeof second === "function" ? second : third;
    if (typeof body !== "function") throw new PrimitiveArgumentError(PRIMITIVE, "markov", "body", "a generator function", body);
    if (typeof options !== "object" || options === null) {
      throw new PrimitiveArgumentError(PRIMITIVE, "markov", "options", "an object", options);
    }
    return chain(first as MarkovSteps<unknown>, options, body as Body<unknown, unknown, unknown>);
  }
  if (typeof first === "object" && first !== null && typeof second === "function") {
    return single(first as MarkovOptions, second as Body<void, unknown, unknown>);
  }
  throw new PrimitiveArgumentError(PRIMITIVE, "markov", "arguments", "(body), (options, body), (steps, body) or (steps, options, body)", first);
}

function single(options: MarkovOptions, body: Body<void, unknown, unknown>): Program<unknown, unknown> {
  const scope: MarkovScope = { type: "markov", history: checkHistory(options) };
  return scoped(scope, (context) => {
    const step: MarkovStepScope = { type: "markov-step", context };
    return scoped<unknown, unknown>(step, () => bodyProgram(body, undefined));
  });
}

function chain(steps: MarkovSteps<unknown>, options: MarkovOptions, body: Body<unknown, unknown, unknown>): Program<unknown, unknown> {
  const scope: MarkovScope = { type: "markov", history: checkHistory(options) };
  const values = stepValues(steps);
  return scoped(scope, (context) => gen(() => chainSteps(values, context, body)));
}

/** The steps of a markov chain, each in its step scope (a shared generator function: see `gen`). */
function* chainSteps(values: readonly unknown[], context: unknown, body: Body<unknown, unknown, unknown>) {
  const results: unknown[] = [];
  for (const v of values) {
    const step: MarkovStepScope = { type: "markov-step", context };
    results.push(yield* scoped<unknown, unknown>(step, () => bodyProgram(body, v)));
  }
  return results;
}
