/**
 * The errors autoguides throw.
 *
 * @module
 */
import { describeValue } from "../../primitives/validate.js";

/**
 * An autoguide cannot be built for this model (no latent sites, a sequential
 * plate, subsampling where the guide does not support it, ...).
 */
export class AutoGuideError extends Error {
  /** Makes the error for guide `guide` with `message`. */
  constructor(
    /** The guide's kind ("AutoNormal"). */
    readonly guide: string,
    message: string,
  ) {
    super(`${guide}: ${message}`);
    this.name = "AutoGuideError";
  }
}

/** An autoguide option has a value of the wrong kind. */
export class AutoGuideOptionError extends Error {
  /** Makes the error for option `option` of guide `guide`. */
  constructor(
    /** The guide's kind ("AutoNormal"). */
    readonly guide: string,
    /** The option's name. */
    readonly option: string,
    expected: string,
    got: unknown,
  ) {
    super(`infer.autoguide.${guide}: option ${option} must be ${expected}, got ${describeValue(got)}`);
    this.name = "AutoGuideOptionError";
  }
}

/** The Hessian at the MAP point of a Laplace approximation is not positive definite. */
export class LaplaceHessianError extends Error {
  /** Makes the error with `detail`. */
  constructor(detail: string) {
    super(
      `AutoLaplaceApproximation.laplaceApproximation: the Hessian of the loss at the MAP point is not positive ` +
        `definite (${detail}); train the guide to convergence first, or the posterior has no Laplace approximation there`,
    );
    this.name = "LaplaceHessianError";
  }
}
