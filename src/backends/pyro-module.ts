/**
 * The `pyro` module of a standard backend: the primitives, do-notation, and
 * access to the backend's runtime (running programs, the param store, seeds).
 *
 * @module
 */
import type { Runtime } from "../handlers/runtime.js";
import type { ParamStore } from "../params/param-store.js";
import { model } from "../program/gen.js";
import type { Program } from "../program/program.js";
import type { Sites } from "../program/sites.js";
import { deterministic, factor, subsample } from "../primitives/deterministic.js";
import { markov } from "../primitives/markov.js";
import { decodeData, type DataOptions, type WithTensors } from "../primitives/data.js";
import type { Decoder } from "io-ts/lib/index.js";
import { param } from "../primitives/param.js";
import { plate } from "../primitives/plate.js";
import { sample } from "../primitives/sample.js";
import type { Tensor } from "../tensor/types.js";

/**
 * The `pyro` module: primitives and the backend's state.
 *
 * @example
 * ```ts
 * const m = pyro.model(function* () {
 *   const x = yield* pyro.sample("x", dist.Normal(0, 1));
 *   return x;
 * });
 * const x = pyro.run(m());
 * ```
 */
export interface PyroModule {
  /** A random choice or observation. */
  readonly sample: typeof sample;
  /** A learnable parameter. */
  readonly param: typeof param;
  /** Conditional independence along a batch dim. */
  readonly plate: typeof plate;
  /** A recorded deterministic value. */
  readonly deterministic: typeof deterministic;
  /** A term added to the log joint. */
  readonly factor: typeof factor;
  /** Mini-batch of data inside subsampling plates. */
  readonly subsample: typeof subsample;
  /** Markov dependency along a chain, so enumeration recycles dims: `pyro.markov(T, function* (t) { ... })`. */
  readonly markov: typeof markov;
  /**
   * Decodes external data with an io-ts codec (tensor fields declared with
   * `codecs.tensor(shape)`), with path-precise errors; tensors come back as
   * this backend's tensors: `const { x, y } = pyro.data(Data, JSON.parse(text))`.
   */
  data<A>(codec: Decoder<unknown, A>, value: unknown, options?: DataOptions): WithTensors<A>;
  /** Generator do-notation: a model from a generator function. */
  readonly model: typeof model;
  /** Runs a program with this backend and returns its result. */
  run<A>(program: Program<A, Sites>): A;
  /** The backend's param store. */
  getParamStore(): ParamStore;
  /** Removes every param. */
  clearParamStore(): void;
  /** The current (constrained) value of param `name`, e.g. after training. */
  getParam(name: string): Tensor;
  /** Resets the backend's random state from `seed`. */
  setRngSeed(seed: number): void;
  /** Switches argument and observation validation on or off (default on). */
  enableValidation(on?: boolean): void;
}

/** The pyro module bound to `runtime`. */
export function makePyroModule(runtime: Runtime): PyroModule {
  return {
    sample,
    param,
    plate,
    deterministic,
    factor,
    subsample,
    markov,
    data: (codec, value, options) => decodeData(runtime.ops, codec, value, options),
    model,
    run: (program) => runtime.run(program),
    getParamStore: () => runtime.paramStore,
    clearParamStore: () => runtime.paramStore.clear(),
    getParam: (name) => runtime.paramStore.get(name),
    setRngSeed: (seed) => runtime.setSeed(seed),
    enableValidation: (on = true) => {
      runtime.settings.validateArgs = on;
    },
  };
}
