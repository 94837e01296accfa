/**
 * `NotImplementedError`: what a backend throws for a feature it lacks.
 *
 * @module
 */

/**
 * Thrown when a backend lacks a member or feature, with pyroapi's message:
 * "This Pyro backend does not implement infer.NUTS".
 *
 * @example
 * ```ts
 * try { infer.NUTS; } catch (e) { if (e instanceof NotImplementedError) console.log(e.member); }
 * ```
 */
export class NotImplementedError extends Error {
  /** Makes the error for `module.member` on backend `backend`. */
  constructor(
    /** The backend's alias. */
    readonly backend: string,
    /** The generic module ("infer"). */
    readonly module: string,
    /** The missing member ("NUTS"). */
    readonly member: string,
  ) {
    super(`This Pyro backend does not implement ${module}.${member} (backend: ${backend})`);
    this.name = "NotImplementedError";
  }
}
