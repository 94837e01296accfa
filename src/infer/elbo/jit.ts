/**
 * `JitTraceELBO`: `TraceELBO` for models of static structure.
 *
 * Pyro's `JitTrace_ELBO` compiles the loss with the PyTorch JIT, which is
 * only valid when every step has the same sites with the same shapes. On the
 * tfjs and numpy backends there is no graph compiler, so this ELBO computes
 * exactly what `TraceELBO` computes and enforces the JIT's precondition: it
 * records the structure of the first step and throws if a later step differs
 * (a model that would silently mis-compile under a JIT fails loudly here). The
 * funsor backend compiles the traced loss for real.
 *
 * @module
 */
import type { Trace } from "../../handlers/trace-record.js";
import { formatShape } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/types.js";
import type { ElboContext, ParticleTraces } from "./elbo.js";
import { TraceELBO } from "./trace-elbo.js";

/** The error thrown when a JIT ELBO's trace structure changes between steps. */
export class JitStructureError extends Error {
  /** Makes the error with a description of the change. */
  constructor(change: string) {
    super(`JitTraceELBO: the trace structure changed between steps (${change}); use TraceELBO for models with dynamic structure`);
    this.name = "JitStructureError";
  }
}

function structure(trace: Trace): string[] {
  return [...trace.nodes.values()].map(
    (n) => `${n.type}:${n.name}${n.isObserved ? ":obs" : ""}:${n.value === null ? "-" : formatShape(n.value.shape)}`,
  );
}

/**
 * `TraceELBO` that requires a static trace structure across steps.
 *
 * @example
 * ```ts
 * const elbo = new infer.JitTraceELBO({ ignoreJitWarnings: true });
 * ```
 */
export class JitTraceELBO extends TraceELBO {
  private signature: { model: string[]; guide: string[] } | undefined;

  /** Checks the structure, then computes as `TraceELBO`. */
  protected override particle(ctx: ElboContext, traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor } {
    const sig = { model: structure(traces.modelTrace), guide: structure(traces.guideTrace) };
    if (this.signature === undefined) this.signature = sig;
    else {
      for (const part of ["model", "guide"] as const) {
        const before = this.signature[part];
        const now = sig[part];
        const i = before.findIndex((s, k) => s !== now[k]);
        if (i >= 0 || before.length !== now.length) {
          const at = i >= 0 ? i : Math.min(before.length, now.length);
          throw new JitStructureError(`${part} site ${at}: ${before[at] ?? "none"} became ${now[at] ?? "none"}`);
        }
      }
    }
    return super.particle(ctx, traces);
  }
}
