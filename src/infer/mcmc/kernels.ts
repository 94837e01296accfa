/**
 * The `HMC` and `NUTS` kernels: a model plus validated options, and the
 * transition they run. They hold no sampler state (that lives in each
 * chain), so one kernel can drive several MCMC runs.
 *
 * @module
 */
import type { AnyModel } from "../../program/gen.js";
import { describeValue } from "../../primitives/validate.js";
import { initToUniform } from "../init.js";
import type { HMCOptions, MCMCKernel } from "./api.js";
import { hmcTransition, type HMCSteps } from "./hmc.js";
import { nutsTransition } from "./nuts.js";
import type { Transition } from "./transition.js";

/** The error thrown when a kernel or MCMC option is invalid. */
export class MCMCOptionError extends Error {
  /** Makes the error for `option` of `owner`. */
  constructor(owner: string, option: string, expected: string, got: unknown) {
    super(`${owner}: option '${option}' must be ${expected}, got ${describeValue(got)}`);
    this.name = "MCMCOptionError";
  }
}

/** Checks that `options[key]` is undefined or passes `ok`. */
function check<K extends keyof HMCOptions>(
  owner: string,
  options: HMCOptions,
  key: K,
  ok: (v: NonNullable<HMCOptions[K]>) => boolean,
  expected: string,
): void {
  const v = options[key];
  if (v !== undefined && !ok(v as NonNullable<HMCOptions[K]>)) throw new MCMCOptionError(owner, key, expected, v);
}

const positive = (v: number) => typeof v === "number" && Number.isFinite(v) && v > 0;
const isBool = (v: boolean) => typeof v === "boolean";

/** The options shared by HMC and NUTS, validated and with Pyro's defaults. */
function resolveCommon(owner: string, options: HMCOptions): MCMCKernel["options"] {
  if (options === null || typeof options !== "object") throw new MCMCOptionError(owner, "options", "an object", options);
  check(owner, options, "stepSize", positive, "a positive finite number");
  check(owner, options, "adaptStepSize", isBool, "a boolean");
  check(owner, options, "adaptMassMatrix", isBool, "a boolean");
  check(owner, options, "fullMass", isBool, "a boolean (site groups are not supported)");
  check(owner, options, "targetAcceptProb", (v) => typeof v === "number" && v > 0 && v < 1, "a number in (0, 1)");
  check(owner, options, "initStrategy", (v) => typeof v === "function", "an init strategy such as initToMedian()");
  return {
    stepSize: options.stepSize ?? 1,
    adaptStepSize: options.adaptStepSize ?? true,
    adaptMassMatrix: options.adaptMassMatrix ?? true,
    fullMass: options.fullMass ?? false,
    targetAcceptProb: options.targetAcceptProb ?? 0.8,
    initStrategy: options.initStrategy ?? initToUniform(),
  };
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

  /** Makes the kernel for `model`. */
  constructor(
    /** The model. */
    readonly model: AnyModel<Args>,
    options: HMCOptions = {},
  ) {
    checkModel("infer.HMC", model);
    this.options = resolveCommon("infer.HMC", options);
    check("infer.HMC", options, "numSteps", (v) => Number.isInteger(v) && v > 0, "a positive integer");
    check("infer.HMC", options, "trajectoryLength", positive, "a positive finite number");
    if (options.maxTreeDepth !== undefined) {
      throw new MCMCOptionError("infer.HMC", "maxTreeDepth", "left out (it is a NUTS option)", options.maxTreeDepth);
    }
    this.steps =
      options.numSteps !== undefined ? { numSteps: options.numSteps } : { trajectoryLength: options.trajectoryLength ?? 2 * Math.PI };
  }

  /** The HMC transition. */
  transition(): Transition {
    return hmcTransition(this.steps);
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

  /** Makes the kernel for `model`. */
  constructor(
    /** The model. */
    readonly model: AnyModel<Args>,
    options: HMCOptions = {},
  ) {
    checkModel("infer.NUTS", model);
    this.options = resolveCommon("infer.NUTS", options);
    check("infer.NUTS", options, "maxTreeDepth", (v) => Number.isInteger(v) && v > 0 && v <= 30, "an integer in [1, 30]");
    for (const key of ["numSteps", "trajectoryLength"] as const) {
      if (options[key] !== undefined) throw new MCMCOptionError("infer.NUTS", key, "left out (it is an HMC option)", options[key]);
    }
    this.maxTreeDepth = options.maxTreeDepth ?? 10;
  }

  /** The NUTS transition. */
  transition(): Transition {
    return nutsTransition(this.maxTreeDepth);
  }
}
