/**
 * `JitTraceELBO`: `TraceELBO` compiled (Pyro's `JitTrace_ELBO`).
 *
 * On a backend with lazy ops (`funsor`), the first step with given model
 * arguments traces the loss into a term graph and compiles it, with its
 * gradient, to a JavaScript function (`src/infer/jit`); later steps run the
 * compiled function on the current params and on random draws regenerated
 * from the step's key — the same values and gradients `TraceELBO` computes
 * with that key. A change of structure (other arguments, or a value the
 * trace read that now differs) re-traces. Models the compiler cannot replay
 * (a random draw outside any sample site, a non-reparameterized site whose
 * distribution depends on params) run uncompiled; `jitInfo.reason` says why.
 * On other backends every step runs as `TraceELBO`.
 *
 * @module
 */
import type { AnyModel } from "../../program/gen.js";
import { JitController, type JitInfo } from "../jit/controller.js";
import { tensorEstimate } from "../jit/estimate.js";
import type { ElboContext, LossAndSurrogate } from "./elbo.js";
import { TraceELBO } from "./trace-elbo.js";

/**
 * Formerly thrown when a `JitTraceELBO`'s trace structure changed between
 * steps; a structure change now re-traces, so this error is no longer
 * thrown (kept for compatibility).
 */
export class JitStructureError extends Error {
  /** Makes the error with a description of the change. */
  constructor(change: string) {
    super(`JitTraceELBO: the trace structure changed between steps (${change}); use TraceELBO for models with dynamic structure`);
    this.name = "JitStructureError";
  }
}

/**
 * `TraceELBO`, compiled on backends with lazy ops.
 *
 * @example
 * ```ts
 * pyroBackend("funsor", () => {
 *   const elbo = new infer.JitTraceELBO({ ignoreJitWarnings: true });
 *   const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), elbo);
 *   for (let i = 0; i < 1000; i++) svi.step(data);
 *   elbo.jitInfo; // { traces: 1, variants: 1, compiledSteps: 1000, ... }
 * });
 * ```
 */
export class JitTraceELBO extends TraceELBO {
  private readonly jit = new JitController();

  /** What the JIT has done so far (traces, compiled variants, compiled and uncompiled steps, why not compiled). */
  get jitInfo(): JitInfo {
    return this.jit.jitInfo;
  }

  /** −ELBO and its surrogate: compiled when possible, else as `TraceELBO`. */
  override lossAndSurrogate<Args extends readonly unknown[]>(
    ctx: ElboContext,
    model: AnyModel<Args>,
    guide: AnyModel<Args>,
    args: Args,
  ): LossAndSurrogate {
    return this.jit.lossAndSurrogate(ctx, args, {
      estimate: (c) => tensorEstimate(c.ops, this.estimateParts(c, model, guide, args)),
      uncompiled: (c) => super.lossAndSurrogate(c, model, guide, args),
    });
  }
}
