/**
 * `Runtime`: the state one backend instance owns — its ops, param store,
 * settings and random key — and the way to run programs with it.
 *
 * A runtime is what the `pyro`, `handlers`, `infer` and `optim` modules of a
 * standard backend close over. Two backends built on the same ops (say, two
 * registrations of `tfjs`) still have separate param stores and keys.
 *
 * @module
 */
import type { DistContext } from "../distributions/context.js";
import { ParamStore } from "../params/param-store.js";
import type { Program } from "../program/program.js";
import type { Sites } from "../program/sites.js";
import type { Ops } from "../tensor/ops.js";
import { PRNGKey, split, type RandomKey } from "../tensor/random/key.js";
import { interpret } from "./interpreter.js";

/** Mutable settings of a runtime. */
export interface RuntimeSettings {
  /** Validate distribution arguments and observations (Pyro's `enable_validation`). */
  validateArgs: boolean;
}

/**
 * The state of one backend instance and its interpreter.
 *
 * @example
 * ```ts
 * const rt = new Runtime("tfjs", tfjsOps);
 * const x = rt.run(pyro.sample("x", dist.Normal(0, 1)));
 * ```
 */
export class Runtime {
  /** Settings; change them with {@link Runtime.withValidation} or directly. */
  readonly settings: RuntimeSettings = { validateArgs: true };
  /** The context distributions are made in (reads the live validation setting). */
  readonly distCtx: DistContext;
  /** The param store. */
  readonly paramStore: ParamStore;
  private key: RandomKey = PRNGKey(0);
  private envScope: (<A>(body: () => A) => A) | undefined;

  /** Makes a runtime named `name` computing with `ops`. */
  constructor(
    /** The backend name, for messages. */
    readonly name: string,
    /** The tensor ops. */
    readonly ops: Ops,
  ) {
    const settings = this.settings;
    this.distCtx = {
      ops,
      get validateArgs() {
        return settings.validateArgs;
      },
    };
    this.paramStore = new ParamStore(this.distCtx);
  }

  /** Resets the random key from an integer seed (Pyro's `set_rng_seed`). */
  setSeed(seed: number): void {
    this.key = PRNGKey(seed);
  }

  /** A fresh key split off the runtime's key. */
  nextKey(): RandomKey {
    const [next, sub] = split(this.key);
    this.key = next!;
    return sub!;
  }

  /** Runs `body` with the random key seeded by `seed`, then restores the previous key. */
  withSeed<A>(seed: number, body: () => A): A {
    const saved = this.key;
    this.key = PRNGKey(seed);
    try {
      return body();
    } finally {
      this.key = saved;
    }
  }

  /** Runs `body` drawing its keys from `key`, then restores the previous key. */
  withKey<A>(key: RandomKey, body: () => A): A {
    const saved = this.key;
    this.key = key;
    try {
      return body();
    } finally {
      this.key = saved;
    }
  }

  /** Runs `body` with validation switched on or off, then restores the setting. */
  withValidation<A>(on: boolean, body: () => A): A {
    const saved = this.settings.validateArgs;
    this.settings.validateArgs = on;
    try {
      return body();
    } finally {
      this.settings.validateArgs = saved;
    }
  }

  /**
   * Sets how to enter this backend's environment. A model's body calls the
   * generic modules (`dist.Normal`, `ops.add`), which resolve through the
   * ambient environment; the dispatch layer registers a scope here so that
   * every program this runtime interprets sees this backend, even when
   * `svi.step` is called outside `pyroBackend`.
   */
  setEnvironment(scope: <A>(body: () => A) => A): void {
    this.envScope = scope;
  }

  /** Runs `program`, drawing randomness from `key` (default: a fresh key of the runtime). */
  run<A>(program: Program<A, Sites>, key: RandomKey = this.nextKey()): A {
    const scope = this.envScope;
    return scope === undefined ? interpret(this, program, key) : scope(() => interpret(this, program, key));
  }
}
