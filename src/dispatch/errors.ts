/**
 * Errors of backend dispatch.
 *
 * @module
 */

export { NotImplementedError } from "../backends/not-implemented.js";

/** Thrown for a backend alias that is not registered; lists the registered ones. */
export class UnknownBackendError extends Error {
  /** Makes the error for `alias`, listing `known`. */
  constructor(
    /** The unknown alias. */
    readonly alias: string,
    /** The registered aliases. */
    readonly known: readonly string[],
  ) {
    super(`unknown Pyro backend "${alias}"; registered backends: ${known.join(", ")}`);
    this.name = "UnknownBackendError";
  }
}
