/**
 * The `HMC` and `NUTS` kernels: a model plus validated options, and the
 * transition they run. They hold no sampler state (that lives in each
 * chain), so one kernel can drive several MCMC runs.
 *
 * @module
 */
import type * as t from "io-ts/lib/index.js";
import { HMCOptionsC, NUTSOptionsC } from "../../codecs/inference-options.js";
import { OptionsError, optionProblems, type OptionProblem } from "../../codecs/options.js";
import type { AnyModel } from "../../program/gen.js";
import { initToUniform } from "../init.js";
import type { HMCOptions, KernelSpec, MCMCKernel } from "./api.js";
import { hmcTransition, type HMCSteps } from "./hmc.js";
import { nutsTransition } from "./nuts.js";
import type { Transition } from "./transition.js";

/**
 * The error thrown when a kernel or MCMC option is invalid: an
 * {@link OptionsError} naming the option's path, e.g.
 * `infer.MCMC: option 'numSamples' must be an integer ≥ 1, got number 1.5`.
 */
export class MCMCOptionError extends OptionsError {
  /** Makes the error for `option` of `owner` (or for several decode problems). */
  constructor(owner: string, option: string | readonly OptionProblem[], expected = "", got?: unknown) {
    super(owner, typeof option === "string" ? [{ path: option, expected, got }] : option);
    this.name = "MCMCOptionError";
  }
}

/** Decodes `options` with `codec`, throwing {@link MCMCOptionError} with every problem. */
export function decodeMCMCOptions<A>(owner: string, codec: t.Decoder<unknown, A>, options: unknown): A {
  const problems = optionProblems(codec, options);
  if (problems.length > 0) throw new MCMCOptionError(owner, problems);
  return options as A;
}

/** Options that belong to the other kernel, with the message saying so. */
function rejectForeign(owner: string, options: HMCOptions, keys: readonly (keyof HMCOptions)[], other: string): void {
  for (const key of keys) {
    if (options[key] !== undefined) throw new MCMCOptionError(owner, key, `left out (it is ${other} option)`, options[key]);
  }
}

/** The options shared by HMC and NUTS, validated and with Pyro's defaults. */
function resolveCommon(options: HMCOptions): MCMCKernel["options"] {
  return {
    stepSize: options.stepSize ?? 1,
    adaptStepSize: options.adaptStepSize ?? true,
    adaptMassMatrix: options.adaptMassMatrix ?? true,
    fullMass: options.fullMass ?? false,
    targetAcceptProb: options.targetAcceptProb ?? 0.8,
    initStrategy: options.initStrategy ?? initToUniform(),
    jitCompile: options.jitCompile ?? false,
  };
}

/** The plain-data options of a kernel (what a worker thread needs to rebuild it), without `initStrategy`. */
function dataOptions(options: HMCOptions): HMCOptions {
  const { initStrategy: _, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as HMCOptions;
}

/** Throws unless `model` is a model function. */
function checkModel(owner: string, model: unknown): void {
  if (typeof model !== "function") throw new MCMCOptionError(owner, "model", "a model function", model);
}

/**
 * Hamiltonian Monte Carlo with a fixed number of leapfrog steps (`numSteps`)
 * or a fixed integration time (`trajectoryLength`, default 2π, as Pyro).
 *
 * @example
 * ```ts
 * const mcmc = new infer.MCMC(new infer.HMC(model, { stepSize: 0.1, numSteps: 10 }), { numSamples: 500 });
 * ```
 */
export class HMC<Args extends readonly unknown[]> implements MCMCKernel<Args> {
  /** "HMC". */
  readonly name: string = "HMC";
  /** The resolved options. */
  readonly options: MCMCKernel["options"];
  private readonly steps: HMCSteps;
  private readonly given: HMCOptions;
  private readonly customInit: boolean;

  /** Makes the kernel for `model`. */
  constructor(
    /** The model. */
    readonly model: AnyModel<Args>,
    options: HMCOptions = {},
  ) {
    checkModel("infer.HMC", model);
    if (options !== null && typeof options === "object") rejectForeign("infer.HMC", options, ["maxTreeDepth"], "a NUTS");
    decodeMCMCOptions("infer.HMC", HMCOptionsC, options);
    this.options = resolveCommon(options);
    this.given = dataOptions(options);
    this.customInit = options.initStrategy !== undefined;
    this.steps =
      options.numSteps !== undefined ? { numSteps: options.numSteps } : { trajectoryLength: options.trajectoryLength ?? 2 * Math.PI };
  }

  /** The HMC transition. */
  transition(): Transition {
    return hmcTransition(this.steps);
  }

  /** The kernel as plain data, for worker threads. */
  spec(): KernelSpec {
    return { kind: "HMC", options: this.given, customInitStrategy: this.customInit };
  }
}

/**
 * The No-U-Turn Sampler: HMC whose trajectory length is chosen per
 * iteration (multinomial sampling, generalized no-U-turn criterion, maximum
 * tree depth `maxTreeDepth`, default 10).
 *
 * @example
 * ```ts
 * const mcmc = new infer.MCMC(new infer.NUTS(model), { numSamples: 1000, warmupSteps: 1000, numChains: 4 });
 * mcmc.run(data);
 * mcmc.summary();
 * ```
 */
export class NUTS<Args extends readonly unknown[]> implements MCMCKernel<Args> {
  /** "NUTS". */
  readonly name: string = "NUTS";
  /** The resolved options. */
  readonly options: MCMCKernel["options"];
  /** The maximum tree depth. */
  readonly maxTreeDepth: number;
  private readonly given: HMCOptions;
  private readonly customInit: boolean;

  /** Makes the kernel for `model`. */
  constructor(
    /** The model. */
    readonly model: AnyModel<Args>,
    options: HMCOptions = {},
  ) {
    checkModel("infer.NUTS", model);
    if (options !== null && typeof options === "object") rejectForeign("infer.NUTS", options, ["numSteps", "trajectoryLength"], "an HMC");
    decodeMCMCOptions("infer.NUTS", NUTSOptionsC, options);
    this.options = resolveCommon(options);
    this.given = dataOptions(options);
    this.customInit = options.initStrategy !== undefined;
    this.maxTreeDepth = options.maxTreeDepth ?? 10;
  }

  /** The NUTS transition. */
  transition(): Transition {
    return nutsTransition(this.maxTreeDepth);
  }

  /** The kernel as plain data, for worker threads. */
  spec(): KernelSpec {
    return { kind: "NUTS", options: this.given, customInitStrategy: this.customInit };
  }
}

/**
 * The kernel `spec` describes, for `model` (what a worker thread runs when
 * it is sent a model reference instead of a kernel).
 */
export function kernelFromSpec<Args extends readonly unknown[]>(model: AnyModel<Args>, spec: KernelSpec): MCMCKernel<Args> {
  return spec.kind === "HMC" ? new HMC(model, spec.options) : new NUTS(model, spec.options);
}
