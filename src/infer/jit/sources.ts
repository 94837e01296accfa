/**
 * Random inputs of a compiled ELBO: the draws that must be regenerated from
 * each step's key.
 *
 * Two kinds:
 * - a **source**: raw noise a reparameterized sampler turned into a
 *   constant — standard normals (`standardNormalTensor`) or uniforms
 *   (`openUniformTensor`, or as drawn) from the site key or one of its two
 *   split halves. Recognized by regenerating it from the key and comparing every
 *   bit; regenerated on each step, the sampler's arithmetic (`loc + scale·ε`,
 *   transforms) stays in the compiled graph and keeps its gradient;
 * - a **site draw**: the whole value of a site whose sampler is opaque
 *   (rejection samplers, categorical draws, kernels) but whose distribution
 *   does not depend on params or other draws; regenerated on each step by
 *   calling the distribution's own sampler with the new site key.
 *
 * @module
 */
import { finfo } from "../../distributions/util.js";
import type { Ops } from "../../tensor/ops.js";
import { normal, split, uniform, type RandomKey } from "../../tensor/random/index.js";
import type { Distribution } from "../../distributions/distribution.js";
import type { DType, Shape } from "../../tensor/types.js";
import type { DrawRecord } from "./recorder.js";
import type { KeyChain } from "./runner.js";

/** Which generator made a source, and from which key. */
export interface SourceKind {
  /**
   * `"normal"`: standard normals; `"uniform"`: uniforms on the open
   * interval, clamped as `openUniformTensor` does; `"rawUniform"`: the
   * generator's uniforms as they are.
   */
  readonly dist: "normal" | "uniform" | "rawUniform";
  /** -1: the site key itself; 0 or 1: that half of its split. */
  readonly sub: -1 | 0 | 1;
}

/** A random input of a compiled graph and how to regenerate it. */
export type RandomInput =
  | { readonly type: "source"; readonly kind: SourceKind; readonly run: number; readonly draw: number; readonly n: number }
  | { readonly type: "site"; readonly run: number; readonly draw: number; readonly fn: Distribution; readonly sampleShape: Shape };

/** The regeneration of a whole site's draw (what {@link RandomInput} keeps of its draw record). */
export function siteInput(d: DrawRecord): RandomInput {
  return { type: "site", run: d.run, draw: d.draw, fn: d.fn, sampleShape: d.sampleShape };
}

function keyFor(key: RandomKey, sub: -1 | 0 | 1): RandomKey {
  return sub < 0 ? key : split(key)[sub]!;
}

/** The data of generator `kind` for site key `key`, `n` values. */
export function generate(kind: SourceKind, key: RandomKey, n: number, dtype: DType): Float64Array {
  const k = keyFor(key, kind.sub);
  if (kind.dist === "normal") return normal(k, n);
  const u = uniform(k, n);
  if (kind.dist === "rawUniform") return u;
  const { tiny, eps } = finfo(dtype);
  for (let i = 0; i < u.length; i++) u[i] = Math.min(Math.max(u[i]!, tiny), 1 - eps);
  return u;
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const KINDS: readonly SourceKind[] = (["normal", "uniform", "rawUniform"] as const).flatMap((dist) =>
  ([-1, 0, 1] as const).map((sub) => ({ dist, sub })));

/** The generator that made `data` from site key `key`, if it is one of the known ones. */
export function identify(data: ArrayLike<number>, key: RandomKey, dtype: DType): SourceKind | undefined {
  return KINDS.find((k) => same(generate(k, key, data.length, dtype), data));
}

/** The flat data of a site's value drawn anew with `key`, by the site's own sampler (as the interpreter draws it). */
export function redraw(ops: Ops, fn: Distribution, sampleShape: Shape, key: RandomKey): Float64Array {
  const v = fn.hasRsample ? fn.rsample(key, sampleShape) : fn.sample(key, sampleShape);
  return Float64Array.from(ops.toFlat(v));
}

/** The site key of draw `draw` of run `run`, from the chain of run keys `runs`. */
export function siteKey(runs: KeyChain, firstRun: number, run: number, draw: number, drawChains: Map<number, KeyChain>, makeChain: (k: RandomKey) => KeyChain): RandomKey {
  const abs = firstRun + run;
  let chain = drawChains.get(abs);
  if (chain === undefined) drawChains.set(abs, (chain = makeChain(runs.at(abs))));
  return chain.at(draw);
}

/** The data of every random input for the step whose run keys are `runs` (runs numbered from `firstRun`). */
export function randomData(ops: Ops, inputs: readonly RandomInput[], runs: KeyChain, firstRun: number, makeChain: (k: RandomKey) => KeyChain): Float64Array[] {
  const chains = new Map<number, KeyChain>();
  return inputs.map((r) => {
    if (r.type === "source") return generate(r.kind, siteKey(runs, firstRun, r.run, r.draw, chains, makeChain), r.n, ops.dtype);
    return redraw(ops, r.fn, r.sampleShape, siteKey(runs, firstRun, r.run, r.draw, chains, makeChain));
  });
}
