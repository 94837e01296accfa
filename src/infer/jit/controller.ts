/**
 * The JIT of an ELBO: trace the loss once per distinct structure, compile
 * its graph and gradient, run the compiled function on later steps.
 *
 * A *structure* is keyed by the model's arguments (by identity: observed
 * data and plate sizes are constants of a compiled graph) and, within that,
 * by the guards of each compiled variant (values the trace read into
 * JavaScript — validation masks, branches — which must read the same again).
 * A step tries the compiled variants of its arguments; when none applies it
 * traces (returning the traced evaluation's own loss and gradient, exactly
 * the uncompiled ELBO's for that key), runs a probe trace, and compiles a
 * new variant. After {@link MAX_VARIANTS} variants, {@link MAX_ATTEMPTS}
 * traces that would not compile, or a reason never to compile (see
 * `analyze.ts`), the arguments run uncompiled for good — same results,
 * uncompiled speed. `jitInfo` says which happened and why.
 *
 * Compilation needs lazy ops (the `funsor` backend) and a step key
 * (`ElboContext.step`, as SVI passes it); otherwise every step runs
 * uncompiled.
 *
 * @module
 */
import { isRandomKey, type RandomKey } from "../../tensor/random/key.js";
import { compileRecorded } from "../../tensor/lazy/compile/trace.js";
import { tracing, type LazyEnv } from "../../tensor/lazy/env.js";
import { lazyEnvOf } from "../../tensor/lazy/ops.js";
import type { LazyTensor } from "../../tensor/lazy/tensor.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { checkFiniteParticle, type ElboContext, type LossAndSurrogate, type ParticleTraces } from "../elbo/elbo.js";
import { analyze } from "./analyze.js";
import { JitRecorder } from "./recorder.js";
import { jitRunner, KeyChain } from "./runner.js";
import { randomData } from "./sources.js";
import { close, slotInputs, Variant, type VariantPlan } from "./variant.js";

/** At most this many compiled variants per arguments. */
export const MAX_VARIANTS = 4;
/** At most this many traces per arguments that did not give a variant. */
export const MAX_ATTEMPTS = 4;

/** An estimate as tensors: what a JIT ELBO's traced evaluation returns. */
export interface TensorEstimate {
  /** −ELBO. */
  readonly loss: Tensor;
  /** The differentiable surrogate of −ELBO. */
  readonly surrogate: Tensor;
  /** Each particle's traces and ELBO (checked for finiteness after the trace). */
  readonly particles: readonly { readonly traces: ParticleTraces; readonly elbo: Tensor }[];
}

/** How a JIT ELBO evaluates: the traced estimate, and the uncompiled one. */
export interface JitHooks {
  /** One estimate with `ctx`, as tensors. */
  estimate(ctx: ElboContext): TensorEstimate;
  /** The uncompiled ELBO's `lossAndSurrogate` with `ctx`. */
  uncompiled(ctx: ElboContext): LossAndSurrogate;
}

/** What a JIT ELBO has done so far. */
export interface JitInfo {
  /** Traced evaluations (each compiles, or tries to). */
  readonly traces: number;
  /** Compiled variants made. */
  readonly variants: number;
  /** Steps computed by a compiled function. */
  readonly compiledSteps: number;
  /** Steps computed uncompiled (no lazy ops, no key, or compilation given up). */
  readonly uncompiledSteps: number;
  /** Why the last traced evaluation did not compile, if it did not. */
  readonly reason: string | undefined;
}

interface Entry {
  readonly args: readonly unknown[];
  readonly variants: Variant[];
  attempts: number;
  off: string | undefined;
}

/** The JIT state of one ELBO instance (see the module doc). */
export class JitController {
  private readonly entries: Entry[] = [];
  private info = { traces: 0, variants: 0, compiledSteps: 0, uncompiledSteps: 0, reason: undefined as string | undefined };

  /** A snapshot of what the JIT has done. */
  get jitInfo(): JitInfo {
    return { ...this.info };
  }

  private entryFor(args: readonly unknown[]): Entry {
    let e = this.entries.find((x) => x.args.length === args.length && x.args.every((a, i) => a === args[i]));
    if (e === undefined) {
      e = { args: [...args], variants: [], attempts: 0, off: undefined };
      this.entries.push(e);
      if (this.entries.length > 8) this.entries.shift();
    }
    return e;
  }

  private uncompiled(ctx: ElboContext, hooks: JitHooks): LossAndSurrogate {
    this.info.uncompiledSteps++;
    return hooks.uncompiled(ctx);
  }

  /** −ELBO and its surrogate for the step of `ctx` (compiled when possible). */
  lossAndSurrogate(ctx: ElboContext, args: readonly unknown[], hooks: JitHooks): LossAndSurrogate {
    const env = lazyEnvOf(ctx.ops);
    const key = ctx.step;
    if (env === undefined || !isRandomKey(key) || env.interpretation.kind !== "eager") return this.uncompiled(ctx, hooks);
    const entry = this.entryFor(args);
    if (entry.off !== undefined) return this.uncompiled(ctx, hooks);
    let consumed = 0;
    for (const v of entry.variants) {
      const r = v.step(ctx.ops, ctx.run, key);
      consumed += 1;
      if (r !== undefined) {
        this.info.compiledSteps++;
        return r;
      }
    }
    if (entry.variants.length >= MAX_VARIANTS || entry.attempts >= MAX_ATTEMPTS) {
      entry.off = `gave up after ${entry.variants.length} variants and ${entry.attempts} traces${this.info.reason === undefined ? "" : ` (${this.info.reason})`}`;
      this.info.reason = entry.off;
      return this.uncompiled(ctx, hooks);
    }
    return this.trace(ctx, env, key, entry, hooks, consumed > 0);
  }

  private trace(ctx: ElboContext, env: LazyEnv, key: RandomKey, entry: Entry, hooks: JitHooks, assign: boolean): LossAndSurrogate {
    const { ops } = ctx;
    this.info.traces++;
    const runKeys = new KeyChain(key);
    const t = new JitRecorder(0);
    const outT = env.run(tracing(t), () => hooks.estimate({ ...ctx, run: jitRunner(ctx.run, env, t, runKeys, assign) }));
    for (const p of outT.particles) if (!Number.isFinite(ops.item(p.elbo))) checkFiniteParticle(ops, p.traces);
    const loss = ops.item(outT.loss);
    const result = { loss, surrogate: outT.surrogate };
    if (!Number.isFinite(loss)) return result;
    entry.attempts++;
    const p = new JitRecorder(t.runs);
    let outP: TensorEstimate;
    try {
      outP = env.run(tracing(p), () => hooks.estimate({ ...ctx, run: jitRunner(ctx.run, env, p, runKeys, assign) }));
    } catch (e) {
      this.info.reason = `a second trace of the step failed: ${e instanceof Error ? e.message : String(e)}`;
      return result;
    }
    const outputsT = [outT.loss, outT.surrogate] as unknown as LazyTensor[];
    const outputsP = [outP.loss, outP.surrogate] as unknown as LazyTensor[];
    const a = analyze(ops, t, p, outputsT, outputsP);
    if (a.kind !== "ok") {
      this.info.reason = a.reason;
      if (a.kind === "off") entry.off = a.reason;
      return result;
    }
    const graph = compileRecorded(env, t, a.spec);
    const plan: VariantPlan = {
      graph,
      paramNames: a.paramNames,
      paramSizes: t.params.map((r) => r.node.shape.reduce((x, y) => x * y, 1) * r.node.inputs.reduce((x, d) => x * d.size, 1)),
      random: a.random,
    };
    const mismatch = validate(ops, env, plan, [t, p], [outputsT, outputsP], runKeys);
    if (mismatch !== undefined) {
      entry.off = this.info.reason = mismatch;
      return result;
    }
    entry.variants.push(new Variant(env, plan));
    this.info.variants++;
    this.info.reason = undefined;
    return result;
  }
}

/**
 * Runs the compiled plan on each trace's own params and keys: it must pass
 * its guards and reproduce the trace's loss and surrogate (a check that the
 * random inputs were recognized and regenerate exactly).
 */
function validate(
  ops: Ops, env: LazyEnv, plan: VariantPlan, recs: readonly JitRecorder[], outs: readonly (readonly LazyTensor[])[], runKeys: KeyChain,
): string | undefined {
  for (let k = 0; k < recs.length; k++) {
    const rec = recs[k]!;
    const params = new Map(rec.params.map((r) => [r.name, env.base.toFlat(r.node.value as Tensor)]));
    const random = randomData(ops, plan.random, runKeys, rec.firstRun, (key) => new KeyChain(key));
    if (!plan.graph.forward(slotInputs(plan, params, random))) return "the compiled loss failed its own guards on the traced values";
    const got = plan.graph.outputs().map((o) => o[0]!);
    const want = outs[k]!.map((o) => ops.item(o as unknown as Tensor));
    if (!got.every((g, i) => close(g, want[i]!))) {
      return `the compiled loss (${got.join(", ")}) differs from the traced one (${want.join(", ")}): a random input was not regenerated exactly`;
    }
  }
  return undefined;
}
