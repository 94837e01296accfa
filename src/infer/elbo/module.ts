/**
 * The ELBO members of the `infer` module.
 *
 * @module
 */
import { JitTraceEnumELBO } from "../jit/enum-elbo.js";
import { JitTraceELBO } from "./jit.js";
import { TraceMeanFieldELBO } from "./mean-field.js";
import { RenyiELBO } from "./renyi-elbo.js";
import { TraceELBO } from "./trace-elbo.js";
import { TraceEnumELBO } from "./trace-enum-elbo.js";
import { TraceGraphELBO } from "./trace-graph-elbo.js";

/** The ELBOs of the `infer` module. */
export interface ElboModule {
  /** The Monte Carlo ELBO (Pyro's `Trace_ELBO`). */
  readonly TraceELBO: typeof TraceELBO;
  /** `TraceELBO` for models of static structure (Pyro's `JitTrace_ELBO`). */
  readonly JitTraceELBO: typeof JitTraceELBO;
  /** The ELBO with analytic KL terms (Pyro's `TraceMeanField_ELBO`). */
  readonly TraceMeanFieldELBO: typeof TraceMeanFieldELBO;
  /** Score-function terms weighted by downstream costs, with baselines (Pyro's `TraceGraph_ELBO`). */
  readonly TraceGraphELBO: typeof TraceGraphELBO;
  /** The Rényi divergence bound; α = 0 is the IWAE bound (Pyro's `RenyiELBO`). */
  readonly RenyiELBO: typeof RenyiELBO;
  /** Exact enumeration of discrete sites marked `enumerate: "parallel"` (Pyro's `TraceEnum_ELBO`). */
  readonly TraceEnumELBO: typeof TraceEnumELBO;
  /** `TraceEnumELBO`, compiled on backends with lazy ops (Pyro's `JitTraceEnum_ELBO`). */
  readonly JitTraceEnumELBO: typeof JitTraceEnumELBO;
}

/** The ELBOs the standard backends provide. */
export function makeElboModule(): Partial<ElboModule> {
  return { TraceELBO, JitTraceELBO, TraceMeanFieldELBO, TraceGraphELBO, RenyiELBO, TraceEnumELBO, JitTraceEnumELBO };
}
