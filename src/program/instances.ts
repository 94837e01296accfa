/**
 * fp-ts instances and pipeable combinators for {@link Program}.
 *
 * ```ts
 * import { pipe } from "fp-ts/lib/function.js";
 * const doubled = pipe(pyro.sample("x", dist.Normal(0, 1)), P.map((x) => ops.mul(x, 2)));
 * const both = pipe(
 *   P.Do,
 *   P.bind("x", () => pyro.sample("x", dist.Normal(0, 1))),
 *   P.bind("y", ({ x }) => pyro.sample("y", dist.Normal(x, 1))),
 * );
 * ```
 * The pipeable forms keep the site records (`map` keeps them, `flatMap` and
 * `bind` intersect them); the instances, whose types cannot carry them, treat
 * every program as `Program<A>`.
 *
 * @module
 */
import type { Applicative1 } from "fp-ts/lib/Applicative.js";
import type { Apply1 } from "fp-ts/lib/Apply.js";
import type { Chain1 } from "fp-ts/lib/Chain.js";
import type { Functor1 } from "fp-ts/lib/Functor.js";
import type { Monad1 } from "fp-ts/lib/Monad.js";
import type { Pointed1 } from "fp-ts/lib/Pointed.js";
import { flatMapProgram, pure, type Program } from "./program.js";
import type { JoinSites, Sites } from "./sites.js";

/** The fp-ts URI of {@link Program}. */
export const URI = "pyroapi/Program";
/** The fp-ts URI type of {@link Program}. */
export type URI = typeof URI;

declare module "fp-ts/lib/HKT" {
  interface URItoKind<A> {
    readonly "pyroapi/Program": Program<A, Sites>;
  }
}

/** Applies `f` to the result of a program (pipeable). */
export const map =
  <A, B>(f: (a: A) => B) =>
  <S>(fa: Program<A, S>): Program<B, S> =>
    flatMapProgram(fa, (a) => pure(f(a))) as Program<B, S>;

/** Sequences a program after another, feeding it the first result (pipeable). */
export const flatMap =
  <A, B, S2>(f: (a: A) => Program<B, S2>) =>
  <S1>(fa: Program<A, S1>): Program<B, JoinSites<S1, S2>> =>
    flatMapProgram(fa, f);

/** Alias of {@link flatMap} (fp-ts `chain`). */
export const chain = flatMap;

/** Applies a program's function result to another program's result (pipeable). */
export const ap =
  <A, S2>(fa: Program<A, S2>) =>
  <B, S1>(fab: Program<(a: A) => B, S1>): Program<B, JoinSites<S1, S2>> =>
    flatMapProgram(fab, (f) => flatMapProgram(fa, (a) => pure(f(a)))) as unknown as Program<B, JoinSites<S1, S2>>;

/** A program that finishes at once with `a`. */
export const of = <A>(a: A): Program<A, never> => pure(a);

/** The starting point of `bind` chains: a program with result `{}`. */
export const Do: Program<{}, never> = pure({});

/** Names the result of a program, starting a `bind` chain. */
export const bindTo =
  <N extends string>(name: N) =>
  <A, S>(fa: Program<A, S>): Program<{ readonly [K in N]: A }, S> =>
    map((a: A) => ({ [name]: a }) as { readonly [K in N]: A })(fa);

/** Adds the result of a dependent program to the record under `name`. */
export const bind =
  <N extends string, A, B, S2>(name: Exclude<N, keyof A>, f: (a: A) => Program<B, S2>) =>
  <S1>(fa: Program<A, S1>): Program<A & { readonly [K in N]: B }, JoinSites<S1, S2>> =>
    flatMapProgram(fa, (a) =>
      flatMapProgram(f(a), (b) => pure({ ...a, [name]: b } as A & { readonly [K in N]: B })),
    ) as unknown as Program<A & { readonly [K in N]: B }, JoinSites<S1, S2>>;

/** Adds a pure value computed from the record under `name`. */
const let_ =
  <N extends string, A, B>(name: Exclude<N, keyof A>, f: (a: A) => B) =>
  <S>(fa: Program<A, S>): Program<A & { readonly [K in N]: B }, S> =>
    map((a: A) => ({ ...a, [name]: f(a) }) as A & { readonly [K in N]: B })(fa);
export {
  /** Adds a pure value computed from the record under `name`. */
  let_ as let,
};

const _map: Functor1<URI>["map"] = (fa, f) => map(f)(fa);
const _ap: Apply1<URI>["ap"] = (fab, fa) => ap(fa)(fab);
const _chain: Chain1<URI>["chain"] = (fa, f) => flatMapProgram(fa, f);

/** The fp-ts `Functor` instance. */
export const Functor: Functor1<URI> = { URI, map: _map };
/** The fp-ts `Pointed` instance. */
export const Pointed: Pointed1<URI> = { URI, of };
/** The fp-ts `Apply` instance. */
export const Apply: Apply1<URI> = { URI, map: _map, ap: _ap };
/** The fp-ts `Applicative` instance. */
export const Applicative: Applicative1<URI> = { URI, map: _map, ap: _ap, of };
/** The fp-ts `Chain` instance. */
export const Chain: Chain1<URI> = { URI, map: _map, ap: _ap, chain: _chain };
/** The fp-ts `Monad` instance. */
export const Monad: Monad1<URI> = { URI, map: _map, ap: _ap, of, chain: _chain };
