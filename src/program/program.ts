/**
 * `Program<A, S>`: a model as a value.
 *
 * A program is a freer monad over effects: it describes the `sample`,
 * `param`, `plate`, ... requests a model makes and what it does with their
 * answers, and runs nothing until an interpreter (a backend) runs it. The node
 * types are data only; {@link runProgram} gives them meaning.
 *
 * - `Pure(a)` — a finished program with result `a`.
 * - `Suspend(effect)` — one effect request; its answer is the result.
 * - `FlatMap(source, k)` — run `source`, feed its result to `k`.
 * - `Gen(start)` — a generator (do-notation body); each value it yields is a
 *   program whose result is sent back in.
 * - `Scoped(scope, body)` — run `body` inside a scope (a plate, or an effect
 *   handler) that the interpreter enters before and exits after.
 *
 * Every program is iterable so that `yield* program` inside a generator model
 * yields it and receives its result (the `Effect.gen` technique), which also
 * carries the program's site types into the model's type.
 *
 * @module
 */
import type { JoinSites, Sites } from "./sites.js";

/** An effect request: what a model asks its interpreter for. Backends define the kinds. */
export interface Effect {
  /** The effect kind: "sample", "param", ... */
  readonly type: string;
  /** The site name. */
  readonly name: string;
}

/** A scope a program body runs in (a plate, an effect handler); backends define the kinds. */
export interface Scope {
  /** The scope kind: "plate", "handler", ... */
  readonly type: string;
}

/** Shared behaviour of all program nodes: iteration for `yield*`. */
abstract class ProgramNode<A, S> {
  /** @internal phantom: the result type. */
  declare readonly _A: () => A;
  /**
   * @internal phantom: the record of sample sites (covariant). A program
   * without sample sites has `never` here, the bottom type, so that when
   * TypeScript reduces the union of everything a generator yields it drops
   * the site-less programs rather than the ones with sites.
   */
  declare readonly _S: () => S;

  /** Yields this program and returns its result: the do-notation bridge. */
  *[Symbol.iterator](): Generator<Program<A, S>, A, unknown> {
    return (yield this as unknown as Program<A, S>) as A;
  }
}

/** A finished program. */
export class Pure<A, S = never> extends ProgramNode<A, S> {
  /** Discriminant. */
  readonly tag = "Pure" as const;
  /** Makes a finished program with result `value`. */
  constructor(
    /** The result. */
    readonly value: A,
  ) {
    super();
  }
}

/** One effect request. */
export class Suspend<A, S = never> extends ProgramNode<A, S> {
  /** Discriminant. */
  readonly tag = "Suspend" as const;
  /** Makes a program that performs `effect`. */
  constructor(
    /** The request. */
    readonly effect: Effect,
  ) {
    super();
  }
}

/** Sequencing: `source` then `k(result)`. */
export class FlatMap<A, S = never> extends ProgramNode<A, S> {
  /** Discriminant. */
  readonly tag = "FlatMap" as const;
  /** Makes a program that runs `source` and continues with `k`. */
  constructor(
    /** The first program. */
    readonly source: Program<unknown, Sites>,
    /** The continuation. */
    readonly k: (a: unknown) => Program<A, Sites>,
  ) {
    super();
  }
}

/** A generator body (do-notation); started afresh on each run. */
export class Gen<A, S = never> extends ProgramNode<A, S> {
  /** Discriminant. */
  readonly tag = "Gen" as const;
  /** Makes a program from a generator factory. */
  constructor(
    /** Starts a fresh generator; called once per run. */
    readonly start: () => Iterator<unknown, A, unknown>,
  ) {
    super();
  }
}

/** A body run inside a scope. */
export class Scoped<A, S = never> extends ProgramNode<A, S> {
  /** Discriminant. */
  readonly tag = "Scoped" as const;
  /** Makes a program that runs `body` inside `scope`. */
  constructor(
    /** The scope description. */
    readonly scope: Scope,
    /** The body, given what entering the scope produced (a plate's indices). */
    readonly body: (entered: unknown) => Program<A, Sites>,
  ) {
    super();
  }
}

/**
 * A model as a value: a program with result `A` whose sample sites are
 * described by the record type `S` (site name → value type).
 */
export type Program<A, S = never> = Pure<A, S> | Suspend<A, S> | FlatMap<A, S> | Gen<A, S> | Scoped<A, S>;

/** The result type of a program. */
export type ResultOf<P> = P extends Program<infer A, Sites> ? A : never;

/** Whether `x` is a program. */
export function isProgram(x: unknown): x is Program<unknown, Sites> {
  return x instanceof ProgramNode;
}

/** A program that finishes at once with `a`. */
export function pure<A>(a: A): Program<A, never> {
  return new Pure(a);
}

/** A program that performs one effect and finishes with its answer. */
export function suspend<A, S = never>(effect: Effect): Program<A, S> {
  return new Suspend<A, S>(effect);
}

/** A program that runs `fa`, then the program `f` makes from its result. */
export function flatMapProgram<A, B, S1, S2>(fa: Program<A, S1>, f: (a: A) => Program<B, S2>): Program<B, JoinSites<S1, S2>> {
  return new FlatMap<B, JoinSites<S1, S2>>(fa as Program<unknown, Sites>, f as (a: unknown) => Program<B, Sites>);
}

/** A program that runs `body` inside `scope`. */
export function scoped<A, S>(scope: Scope, body: (entered: unknown) => Program<A, S>): Program<A, S> {
  return new Scoped<A, S>(scope, body as (entered: unknown) => Program<A, Sites>);
}
