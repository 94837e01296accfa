/**
 * The check that an ELBO without enumeration support meets no enumerated
 * guide site (Pyro's `check_if_enumerated`).
 *
 * @module
 */
import type { Trace } from "../../handlers/trace-record.js";

/** The error thrown when a guide site asks for enumeration from an ELBO that cannot enumerate. */
export class EnumerationNotSupportedError extends Error {
  /** Makes the error for `elbo` and guide site `site`. */
  constructor(
    elbo: string,
    /** The enumerated guide site. */
    readonly site: string,
  ) {
    super(`${elbo} does not support enumeration, but guide site '${site}' has infer.enumerate; use TraceEnumELBO`);
    this.name = "EnumerationNotSupportedError";
  }
}

/** Throws if a guide sample site is marked for enumeration. */
export function checkNotEnumerated(elbo: string, guideTrace: Trace): void {
  for (const site of guideTrace.sampleNodes()) {
    if (site.infer.enumerate !== undefined) throw new EnumerationNotSupportedError(elbo, site.name);
  }
}
