/**
 * The typed errors of the distributions layer.
 *
 * Every message starts with the distribution's name, so a failing site in a
 * large model is easy to find: `Normal: parameter scale must be positive (> 0),
 * got -1 at index [2]`.
 *
 * @module
 */

/**
 * A distribution was made with a bad parameter: a value outside its
 * constraint, parameters whose shapes do not broadcast, or an impossible
 * shape argument.
 *
 * @example
 * ```ts
 * try { dist.Normal(0, -1); } catch (e) {
 *   if (e instanceof DistributionArgumentError) e.argument; // "scale"
 * }
 * ```
 */
export class DistributionArgumentError extends Error {
  /** Makes the error; `message` is the whole message. */
  constructor(
    /** The distribution's name ("Normal"). */
    readonly distribution: string,
    /** The argument or arguments at fault ("scale", "loc, scale"). */
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = "DistributionArgumentError";
  }
}

/**
 * `logProb` was given a value outside the distribution's support, or of a
 * shape that does not fit its batch and event shapes (only with
 * `validateArgs` on).
 *
 * @example
 * ```ts
 * dist.Bernoulli(0.5).logProb(2); // throws: Bernoulli: value must be in the support boolean ...
 * ```
 */
export class DistributionValueError extends Error {
  /** Makes the error; `message` is the whole message. */
  constructor(
    /** The distribution's name ("Bernoulli"). */
    readonly distribution: string,
    message: string,
  ) {
    super(message);
    this.name = "DistributionValueError";
  }
}
