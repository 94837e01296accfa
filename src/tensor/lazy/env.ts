/**
 * Interpretations of lazy terms, and the environment that chooses one.
 *
 * The same op call means different things under different interpretations
 * (funsor's `interpretation`):
 * - **eager**: evaluate as soon as the arguments are known, with the base
 *   ops; the result is a constant and keeps no history. A term with a free
 *   variable cannot be evaluated and stays lazy.
 * - **lazy**: build the term; nothing is evaluated until `evaluate`.
 * - **trace**: evaluate eagerly AND keep the term graph, reporting every node
 *   and every read of a value to a {@link TraceRecorder} (what `jit` needs).
 * - **monteCarlo**: eager, except that integrals against a measure are
 *   estimated by sampling the measure (`integrate`), with keys split off the
 *   interpretation's key.
 *
 * The interpretation in force is a property of a {@link LazyEnv} — the
 * environment one set of lazy ops belongs to — changed only for the extent
 * of a call (`env.run(lazy, () => ...)`), restored on return and on throw.
 * There is no module-global interpretation: two lazy ops built on the same
 * base are independent.
 *
 * @module
 */
import type { Ops } from "../ops.js";
import { split, type RandomKey } from "../random/key.js";
import type { LazyTensor } from "./tensor.js";

/** Receives the graph a traced computation builds (implemented by `jit`). */
export interface TraceRecorder {
  /** A term was made (a constant or an op node), in creation order. */
  onNode(t: LazyTensor): void;
  /** The value of `t` was read into JavaScript (`item`, `toFlat`, `toArray`); `data` is its flat data. */
  onRead(t: LazyTensor, data: Float64Array | Float32Array): void;
  /** Something happened that a compiled graph cannot reproduce (e.g. a nested `valueAndGrad`). */
  onUntraceable(reason: string): void;
}

/** Evaluate as soon as the arguments are known. */
export interface EagerInterpretation {
  /** Discriminant. */
  readonly kind: "eager";
}

/** Build terms without evaluating. */
export interface LazyInterpretation {
  /** Discriminant. */
  readonly kind: "lazy";
}

/** Evaluate eagerly and record the term graph. */
export interface TraceInterpretation {
  /** Discriminant. */
  readonly kind: "trace";
  /** Where nodes and reads are reported. */
  readonly recorder: TraceRecorder;
}

/** Evaluate eagerly; estimate integrals by sampling. */
export interface MonteCarloInterpretation {
  /** Discriminant. */
  readonly kind: "monteCarlo";
  /** The number of draws per integral. */
  readonly samples: number;
  /** A fresh key for the next integral. */
  nextKey(): RandomKey;
}

/** How op calls on lazy terms are interpreted. */
export type Interpretation = EagerInterpretation | LazyInterpretation | TraceInterpretation | MonteCarloInterpretation;

/** The eager interpretation. */
export const eager: EagerInterpretation = Object.freeze({ kind: "eager" as const });

/** The lazy interpretation. */
export const lazy: LazyInterpretation = Object.freeze({ kind: "lazy" as const });

/** The tracing interpretation reporting to `recorder`. */
export function tracing(recorder: TraceRecorder): TraceInterpretation {
  return { kind: "trace", recorder };
}

/** The error thrown for an invalid interpretation option. */
export class InterpretationError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "InterpretationError";
  }
}

/**
 * The Monte Carlo interpretation: integrals are estimated with `samples`
 * draws each, from keys split off `key` one integral after another.
 *
 * @example
 * ```ts
 * const mean = env.run(monteCarlo(PRNGKey(0), 1000), () => integrate(env, logq, f, ["z"]));
 * ```
 */
export function monteCarlo(key: RandomKey, samples: number): MonteCarloInterpretation {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InterpretationError(`monteCarlo: samples must be an integer ≥ 1, got ${String(samples)}`);
  }
  let k = key;
  return {
    kind: "monteCarlo",
    samples,
    nextKey() {
      const [next, sub] = split(k);
      k = next!;
      return sub!;
    },
  };
}

/**
 * The environment of one set of lazy ops: the base ops that evaluate terms
 * and the interpretation in force.
 *
 * @example
 * ```ts
 * const { ops, env } = makeLazyOps(ndarrayOps);
 * const term = env.run(lazy, () => ops.add(ops.tensor(1), 2)); // not evaluated
 * ops.item(term); // 3 (reading evaluates)
 * ```
 */
export class LazyEnv {
  private readonly stack: Interpretation[] = [eager];
  private bound: Ops | undefined;

  /** Makes the environment evaluating with `base`. */
  constructor(
    /** The ops that evaluate terms (they own the data). */
    readonly base: Ops,
  ) {}

  /** The lazy ops of this environment (set once by `makeLazyOps`). */
  get ops(): Ops {
    if (this.bound === undefined) throw new InterpretationError("this lazy environment has no ops yet");
    return this.bound;
  }

  /** @internal Binds the lazy ops of this environment (once). */
  bindOps(ops: Ops): void {
    if (this.bound !== undefined) throw new InterpretationError("a lazy environment's ops are bound once");
    this.bound = ops;
  }

  /** The interpretation in force. */
  get interpretation(): Interpretation {
    return this.stack[this.stack.length - 1]!;
  }

  /** Runs `body` under `interpretation`, then restores the previous one (also on throw). */
  run<A>(interpretation: Interpretation, body: () => A): A {
    this.stack.push(interpretation);
    try {
      return body();
    } finally {
      this.stack.pop();
    }
  }

  /** The recorder of the innermost tracing interpretation, if one is in force. */
  get recorder(): TraceRecorder | undefined {
    const i = this.interpretation;
    return i.kind === "trace" ? i.recorder : undefined;
  }
}
