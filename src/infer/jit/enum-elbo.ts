/**
 * `JitTraceEnumELBO`: `TraceEnumELBO` compiled (Pyro's `JitTraceEnum_ELBO`).
 *
 * The enumerated sum-product contraction, the guide expectations and the
 * surrogate are traced and compiled together with the rest of the loss, as
 * for `JitTraceELBO`; the enumerated values and observed data are constants
 * of the compiled graph. On backends without lazy ops every step runs as
 * `TraceEnumELBO`.
 *
 * @module
 */
import type { AnyModel } from "../../program/gen.js";
import type { ElboContext, LossAndSurrogate } from "../elbo/elbo.js";
import { TraceEnumELBO } from "../elbo/trace-enum-elbo.js";
import { JitController, type JitInfo } from "./controller.js";
import { tensorEstimate } from "./estimate.js";

/**
 * `TraceEnumELBO`, compiled on backends with lazy ops.
 *
 * @example
 * ```ts
 * pyroBackend("funsor", () => {
 *   const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.JitTraceEnumELBO({ maxPlateNesting: 1 }));
 *   svi.step(data);
 * });
 * ```
 */
export class JitTraceEnumELBO extends TraceEnumELBO {
  private readonly jit = new JitController();

  /** What the JIT has done so far (traces, compiled variants, compiled and uncompiled steps, why not compiled). */
  get jitInfo(): JitInfo {
    return this.jit.jitInfo;
  }

  /** −ELBO and its surrogate: compiled when possible, else as `TraceEnumELBO`. */
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
