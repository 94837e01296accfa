/**
 * `seed`: draws random values from an explicit key, split per site (NumPyro's
 * `seed`).
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import { PRNGKey, isRandomKey, split, type RandomKey } from "../tensor/random/key.js";
import type { Handler, Message } from "./message.js";
import { wrap } from "./wrap.js";

/** Options of {@link seed}: an integer seed or a key. */
export interface SeedOptions {
  /** The seed (Pyro's `rng_seed`) or a random key. */
  readonly rngSeed: number | RandomKey;
}

/** The key of a seed given as a number, a key or {@link SeedOptions}. */
export function seedKey(seed: number | RandomKey | SeedOptions): RandomKey {
  const s = typeof seed === "object" && !isRandomKey(seed) ? seed.rngSeed : seed;
  return isRandomKey(s) ? s : PRNGKey(s);
}

/** Gives each unvalued, unobserved sample site its own key split off its key. */
export class SeedHandler implements Handler {
  /** Makes the handler starting from `key`. */
  constructor(private key: RandomKey) {}

  /** Assigns a fresh key to a site that will be drawn. */
  process(msg: Message): void {
    if (msg.type !== "sample" || msg.isObserved || msg.value !== null || msg.key !== null) return;
    const [next, sub] = split(this.key);
    this.key = next!;
    msg.key = sub!;
  }
}

/**
 * `model` run with randomness from `seed`: every run draws the same values.
 *
 * @example
 * ```ts
 * const seeded = handlers.seed(model, { rngSeed: 2 });
 * ```
 */
export function seedModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  seed: number | RandomKey | SeedOptions,
): Model<Args, R, S> {
  const key = seedKey(seed);
  return wrap("handlers.seed", model, () => new SeedHandler(key));
}

/** The three forms of a backend's `handlers.seed`. */
export interface SeedCombinator {
  /** `model` drawing from `seed` on every run. */
  <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, seed: number | RandomKey | SeedOptions): Model<
    Args,
    R,
    S
  >;
  /** Runs `body` with the backend's random state seeded by `seed`, then restores it (Pyro's `with seed(...)`). */
  <A>(seed: number | SeedOptions, body: () => A): A;
  /** Data-last form, for `pipe(model, handlers.seed({ rngSeed }))`. */
  (seed: number | RandomKey | SeedOptions): <Args extends readonly unknown[], R, S>(
    model: Model<Args, R, S>,
  ) => Model<Args, R, S>;
}

/** The error thrown when `handlers.seed` gets something other than an integer seed (or a key, or `{ rngSeed }`). */
export class SeedArgumentError extends Error {
  /** Makes the error for `seed`. */
  constructor(seed: unknown) {
    super(`handlers.seed(seed, body): the seed must be an integer, got ${String(seed)}`);
    this.name = "SeedArgumentError";
  }
}

/** The `seed` combinator of a backend whose body form runs `withSeed`. */
export function seedWith(withSeed: <A>(seed: number, body: () => A) => A): SeedCombinator {
  return ((first: unknown, second?: unknown): unknown => {
    if (typeof first === "function") return seedModel(first as AnyModel, second as SeedOptions);
    if (typeof second === "function") {
      const s = typeof first === "number" ? first : (first as SeedOptions).rngSeed;
      if (typeof s !== "number") throw new SeedArgumentError(s);
      return withSeed(s, second as () => unknown);
    }
    return (model: AnyModel) => seedModel(model, first as SeedOptions);
  }) as SeedCombinator;
}
