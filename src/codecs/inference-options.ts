/**
 * The options codecs of inference and optimizers: `infer.MCMC`, the HMC and
 * NUTS kernels, `svi.run`/`svi.runAsync`, the ELBOs, and every optimizer's
 * hyperparameters. Each is strict (unknown keys are errors) and reports the
 * path of every bad value (see {@link decodeOptions}).
 *
 * @example
 * ```ts
 * decodeOptions("infer.MCMC", MCMCOptionsC, { numSamples: 1.5 });
 * // OptionsError: infer.MCMC: option 'numSamples' must be an integer ≥ 1, got number 1.5
 * ```
 *
 * @module
 */
import type * as t from "io-ts/lib/index.js";
import type { HMCOptions, MCMCOptions } from "../infer/mcmc/api.js";
import type { ELBOOptions } from "../infer/elbo/elbo.js";
import type { SVIRunOptions } from "../infer/svi.js";
import type { AdagradArgs } from "../optim/adagrad.js";
import type { AdamArgs, ClippedAdamArgs } from "../optim/adam.js";
import type { AdamWArgs } from "../optim/adamw.js";
import type { RMSPropArgs } from "../optim/rmsprop.js";
import type { SGDArgs } from "../optim/sgd.js";
import {
  AbortSignalOption,
  BooleanOption,
  finiteNumber,
  FunctionOption,
  integer,
  oneOf,
  optionsCodec,
  optionValue,
  type OptionCodec,
} from "./options.js";

/** A reference to an export of an ES module: `{ module: import.meta.url, export: "model" }`. */
export interface ModuleRef {
  /** The module's URL (`import.meta.url`) or absolute file path. */
  readonly module: string;
  /** The name of the export. */
  readonly export: string;
}

const nonEmptyString = optionValue("a non-empty string", (u): u is string => typeof u === "string" && u.length > 0);

/** The codec of {@link ModuleRef}. */
export const ModuleRefC: t.Type<ModuleRef, ModuleRef, unknown> = optionsCodec(
  "a module reference",
  { module: nonEmptyString, export: nonEmptyString },
  {},
);

/** An object of initial values per site (checked further against the model's sites when used). */
const InitParams = optionValue(
  "an object of unconstrained values per site",
  (u): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u),
);

/** A codec whose decoded type is a documented options interface. */
export type Codec<A> = t.Type<A, A, unknown>;

/** `c` typed as a codec of `A` (the options interfaces are looser than the checks, e.g. `initParams` values). */
function codec<A>(c: t.Mixed): Codec<A> {
  return c as Codec<A>;
}

const positive: OptionCodec<number> = finiteNumber({ min: 0, minExclusive: true });
const nonNegative: OptionCodec<number> = finiteNumber({ min: 0 });

/** `infer.MCMC`'s options. */
export const MCMCOptionsC: Codec<MCMCOptions> = codec(optionsCodec(
  "infer.MCMC",
  { numSamples: integer(1) },
  {
    warmupSteps: integer(0),
    numChains: integer(1),
    thinning: integer(1),
    progressBar: BooleanOption,
    initParams: InitParams,
    chainMethod: oneOf("sequential", "parallel"),
    workerModule: ModuleRefC,
    numWorkers: integer(1),
    signal: AbortSignalOption,
  },
));

/** A positive finite number (the kernels' wording). */
const positiveFinite: OptionCodec<number> = optionValue(
  "a positive finite number",
  (u): u is number => typeof u === "number" && Number.isFinite(u) && u > 0,
);

/** The options HMC and NUTS share. */
const kernelCommon = {
  stepSize: positiveFinite,
  adaptStepSize: BooleanOption,
  adaptMassMatrix: BooleanOption,
  fullMass: optionValue("a boolean (site groups are not supported)", (u): u is boolean => typeof u === "boolean"),
  targetAcceptProb: optionValue("a number in (0, 1)", (u): u is number => typeof u === "number" && u > 0 && u < 1),
  initStrategy: optionValue("an init strategy such as initToMedian()", (u): u is (...args: never[]) => unknown => typeof u === "function"),
  jitCompile: BooleanOption,
};

/** `infer.HMC`'s options. */
export const HMCOptionsC: Codec<HMCOptions> = codec(optionsCodec("infer.HMC", {}, {
  ...kernelCommon,
  trajectoryLength: positiveFinite,
  numSteps: optionValue("a positive integer", (u): u is number => typeof u === "number" && Number.isInteger(u) && u > 0),
}));

/** `infer.NUTS`'s options. */
export const NUTSOptionsC: Codec<HMCOptions> = codec(optionsCodec("infer.NUTS", {}, {
  ...kernelCommon,
  maxTreeDepth: optionValue("an integer in [1, 30]", (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 30),
}));

/** The options of `svi.run(options, ...args)` and `svi.runAsync(options, ...args)`. */
export const SVIRunOptionsC: Codec<SVIRunOptions> = codec(optionsCodec(
  "infer.SVI.run",
  { numSteps: integer(1) },
  { signal: AbortSignalOption, onStep: FunctionOption },
));

/** The options every ELBO takes (`new infer.TraceELBO({ numParticles })`). */
export const ELBOOptionsC: Codec<ELBOOptions> = codec(optionsCodec(
  "infer.ELBO",
  {},
  {
    numParticles: integer(1),
    maxPlateNesting: optionValue(
      "an integer ≥ 0 or Infinity",
      (u): u is number => u === Infinity || (typeof u === "number" && Number.isInteger(u) && u >= 0),
    ),
    vectorizeParticles: BooleanOption,
    ignoreJitWarnings: BooleanOption,
  },
));

/** Two numbers in [0, 1). */
const Betas = optionValue(
  "two numbers in [0, 1)",
  (u): u is readonly [number, number] =>
    Array.isArray(u) && u.length === 2 && u.every((b) => typeof b === "number" && b >= 0 && b < 1),
);

const adamBase = { lr: positive, betas: Betas, eps: nonNegative, weightDecay: nonNegative };

/** `optim.Adam`'s hyperparameters. */
export const AdamOptionsC: Codec<Partial<AdamArgs>> = codec(optionsCodec("optim.Adam", {}, { ...adamBase, amsgrad: BooleanOption }));
/** `optim.AdamW`'s hyperparameters. */
export const AdamWOptionsC: Codec<Partial<AdamWArgs>> = codec(optionsCodec("optim.AdamW", {}, { ...adamBase, amsgrad: BooleanOption }));
/** `optim.ClippedAdam`'s hyperparameters. */
export const ClippedAdamOptionsC: Codec<Partial<ClippedAdamArgs>> = codec(optionsCodec("optim.ClippedAdam", {}, { ...adamBase, clipNorm: positive, lrd: positive }));
/** `optim.SGD`'s hyperparameters. */
export const SGDOptionsC: Codec<Partial<SGDArgs>> = codec(optionsCodec(
  "optim.SGD",
  {},
  { lr: positive, momentum: nonNegative, dampening: nonNegative, weightDecay: nonNegative, nesterov: BooleanOption },
));
/** `optim.RMSProp`'s hyperparameters. */
export const RMSPropOptionsC: Codec<Partial<RMSPropArgs>> = codec(optionsCodec(
  "optim.RMSProp",
  {},
  {
    lr: positive,
    alpha: finiteNumber({ min: 0, max: 1 }),
    eps: nonNegative,
    weightDecay: nonNegative,
    momentum: nonNegative,
    centered: BooleanOption,
  },
));
/** `optim.Adagrad`'s hyperparameters. */
export const AdagradOptionsC: Codec<Partial<AdagradArgs>> = codec(optionsCodec(
  "optim.Adagrad",
  {},
  { lr: positive, lrDecay: nonNegative, weightDecay: nonNegative, initialAccumulatorValue: nonNegative, eps: nonNegative },
));

/** The hyperparameter codec of each optimizer, by name. */
export const optimizerOptionCodecs: Readonly<Record<string, t.Decoder<unknown, unknown>>> = {
  Adam: AdamOptionsC,
  AdamW: AdamWOptionsC,
  ClippedAdam: ClippedAdamOptionsC,
  SGD: SGDOptionsC,
  RMSProp: RMSPropOptionsC,
  Adagrad: AdagradOptionsC,
};
