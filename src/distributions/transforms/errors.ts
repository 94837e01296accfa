/**
 * The error of a transform asked for something it does not have (the sign of
 * a transform that is not monotone elementwise).
 *
 * @module
 */

/** The error thrown when a transform lacks the property or method asked for. */
export class TransformError extends Error {
  /** Makes the error for transform `transform`. */
  constructor(
    /** The transform's name. */
    readonly transform: string,
    message: string,
  ) {
    super(message);
    this.name = "TransformError";
  }
}
