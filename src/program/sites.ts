/**
 * Type-level bookkeeping of sample sites.
 *
 * A program's second type parameter is a record from site names to value
 * types. Each `sample` contributes `{ [name]: Tensor }`; do-notation
 * intersects the records of everything a model yields. A site whose name is a
 * template string has name type `string`, which widens the record to
 * `Record<string, Tensor>`: then any site name is accepted.
 *
 * @module
 */
import type { Program } from "./program.js";

/** The site parameter of "a program with any sites": `Program<A, Sites>` accepts every program with result `A`. */
export type Sites = unknown;

/** The site parameter of a program without sample sites (the bottom type: it disappears from unions). */
export type NoSites = never;

/** Turns a union `A | B` into an intersection `A & B`. */
export type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** Flattens an intersection of records into one record (for readable types). */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The site record of a program type (distributes over unions). */
export type SitesOf<P> = P extends Program<unknown, infer S> ? S : never;

/** The site record of everything a generator yields: the intersection of their records. */
export type YieldedSites<Y> = [Y] extends [never] ? {} : Simplify<UnionToIntersection<SitesOf<Y>>>;

/** The sites of two programs run one after the other (`never`, no sites, is the identity). */
export type JoinSites<S1, S2> = [S1] extends [never] ? S2 : [S2] extends [never] ? S1 : S1 & S2;

/** The record of one site. */
export type Site<N extends string, V> = { readonly [K in N]: V };

/**
 * `unknown` when every key of `D` is a site of `S`; otherwise an object type
 * whose property names the offending keys, so the compile error says what is
 * wrong.
 */
export type OnlyKnownSites<D, S> = string extends keyof S
  ? unknown
  : Exclude<keyof D, keyof S> extends never
    ? unknown
    : {
        /** Names the keys that are not sites of the model (a compile error). */
        readonly "unknown site names": Exclude<keyof D, keyof S>;
      };
