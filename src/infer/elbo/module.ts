/**
 * The ELBO members of the `infer` module.
 *
 * @module
 */
import { JitTraceELBO } from "./jit.js";
import { TraceMeanFieldELBO } from "./mean-field.js";
import { TraceELBO } from "./trace-elbo.js";

/** The ELBOs of the `infer` module. */
export interface ElboModule {
  /** The Monte Carlo ELBO (Pyro's `Trace_ELBO`). */
  readonly TraceELBO: typeof TraceELBO;
  /** `TraceELBO` for models of static structure (Pyro's `JitTrace_ELBO`). */
  readonly JitTraceELBO: typeof JitTraceELBO;
  /** The ELBO with analytic KL terms (Pyro's `TraceMeanField_ELBO`). */
  readonly TraceMeanFieldELBO: typeof TraceMeanFieldELBO;
}

/** The ELBOs the standard backends provide. */
export function makeElboModule(): Partial<ElboModule> {
  return { TraceELBO, JitTraceELBO, TraceMeanFieldELBO };
}
