/**
 * The error of a tensor op called with arguments it cannot use: shapes that
 * do not broadcast, a ragged nested array, an axis out of range, a key that
 * is not a key. The message starts with the op (`ops.add: ...`).
 *
 * @module
 */

/** The error thrown by a tensor op (on any backend) for invalid arguments. */
export class TensorOpError extends Error {
  /** Makes the error; `message` names the op and the argument. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TensorOpError";
  }
}
