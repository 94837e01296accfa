/**
 * What a distribution or transform is made in: the backend's ops and the
 * validation setting.
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";

/** The backend context distributions, constraints' transforms and the param store compute in. */
export interface DistContext {
  /** The tensor ops of the backend. */
  readonly ops: Ops;
  /** Whether distribution parameters are validated at construction (Pyro's `validate_args`). */
  readonly validateArgs: boolean;
}
