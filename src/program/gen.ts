/**
 * Generator do-notation for programs.
 *
 * ```ts
 * const model = pyro.model(function* (data: Tensor) {
 *   const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
 *   return yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
 * });
 * ```
 * `model(data)` is a {@link Program}; running it calls the generator function
 * afresh (generators are single-shot, programs are re-runnable). The site
 * record of the program is the intersection of the records of every program
 * the body yields, so the type of `model` knows its sites.
 *
 * @module
 */
import { Gen, isProgram, type Program } from "./program.js";
import type { Sites, YieldedSites } from "./sites.js";

/**
 * A model: a function from arguments to a program whose sample sites are `S`.
 *
 * @typeParam Args - the model's arguments.
 * @typeParam R - the model's return value.
 * @typeParam S - the record of its sample sites (site name → value type).
 */
export type Model<Args extends readonly unknown[] = never[], R = unknown, S = {}> = (...args: Args) => Program<R, S>;

/**
 * A model with any sites and result: what handlers and inference accept.
 * (`Args` defaults to `any` so that every model is assignable.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel<Args extends readonly unknown[] = any> = Model<Args, unknown, Sites>;

/** The argument types of a model. */
export type ArgsOf<M> = M extends (...args: infer Args) => Program<unknown, Sites> ? Args : never;
/** The return type of a model. */
export type ReturnOf<M> = M extends (...args: never[]) => Program<infer R, Sites> ? R : never;
/** The site record of a model. */
export type ModelSites<M> = M extends (...args: never[]) => Program<unknown, infer S> ? S : never;

/**
 * Turns a generator function into a {@link Model}.
 *
 * @example
 * ```ts
 * const coin = model(function* (flips: Tensor) {
 *   const p = yield* pyro.sample("p", dist.Beta(1, 1));
 *   yield* pyro.sample("flips", dist.Bernoulli(p), { obs: flips });
 *   return p;
 * });
 * ```
 */
export function model<Args extends readonly unknown[], Y, R>(
  body: (...args: Args) => Generator<Y, R, unknown>,
): Model<Args, R, YieldedSites<Y>> {
  return (...args: Args) => new Gen<R, YieldedSites<Y>>(() => body(...args));
}

/**
 * A program from a function that starts a generator.
 *
 * Performance: a `function*` expression evaluated on every run (say inside a
 * model) is a new generator function each time, and V8 gives each one its
 * own prototype object and hidden class when it is first called: about 2–3
 * µs, and garbage that outlives minor collections. Code that runs every
 * step is cheaper with a shared generator function: a module-level
 * `function*` or a generator method, started by an arrow
 * (`gen(() => this.sites(p))`). Plate and markov bodies are the same
 * ({@link Body}).
 *
 * @example
 * ```ts
 * const p = gen(function* () {
 *   const x = yield* pyro.sample("x", dist.Normal(0, 1));
 *   return ops.mul(x, 2);
 * });
 * ```
 */
export function gen<Y, R>(body: () => Generator<Y, R, unknown>): Program<R, YieldedSites<Y>> {
  return new Gen<R, YieldedSites<Y>>(body);
}

/** A body given to a scoped primitive (plate, markov, ...): a generator function or a program-valued function. */
export type Body<In, Y, R> = (input: In) => Generator<Y, R, unknown> | Program<R, Sites>;

/** The site record of a {@link Body}. */
export type BodySites<Y> = YieldedSites<Y>;

/** Runs a {@link Body} as a program: generators become `Gen` nodes, programs pass through. */
export function bodyProgram<In, Y, R>(body: Body<In, Y, R>, input: In): Program<R, Sites> {
  let started: Generator<Y, R, unknown> | Program<R, Sites> | undefined = body(input);
  if (isProgram(started)) return started as Program<R, Sites>;
  const it = started as Generator<Y, R, unknown>;
  // The generator was created eagerly to tell programs and generators apart;
  // hand it to the first run and re-create it for any later run.
  return new Gen<R>(() => {
    if (started !== undefined) {
      started = undefined;
      return it as Iterator<unknown, R, unknown>;
    }
    return body(input) as Iterator<unknown, R, unknown>;
  });
}
