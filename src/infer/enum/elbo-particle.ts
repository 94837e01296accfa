/**
 * One particle of `TraceEnumELBO`: the ELBO and its surrogate from an
 * enumerated pair of traces (Pyro's `_compute_model_factors` +
 * `_compute_dice_elbo`).
 *
 * 1. Model sites become named factors ({@link nameSiteTensor}). Sites that
 *    depend on a variable enumerated in the model are *log factors*: their
 *    masked, unscaled log-densities are contracted with {@link contractPlated}
 *    (sum-product in log space, greedy order), and the common scale of those
 *    sites multiplies the result. The other model sites are plain costs.
 * 2. Every guide site contributes the cost `-log q`.
 * 3. Each cost is averaged exactly over the guide's enumerated variables it
 *    depends on ({@link GuideExpectation}) and summed: the ELBO.
 * 4. Surrogate: the same sum, except that a non-reparameterized,
 *    non-enumerated guide site contributes the score-function term
 *    `Σ stopgrad(downstream cost) · log q` instead of its own `-log q`
 *    (Rao–Blackwellized along plates, as `TraceELBO`).
 *
 * @module
 */
import type { EnumerateHandler } from "../../handlers/enumerate.js";
import type { Scale } from "../../handlers/message.js";
import { scaleAndMask, type TraceNode } from "../../handlers/trace-record.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import type { ParticleTraces } from "../elbo/elbo.js";
import { GuideExpectation } from "./expectation.js";
import { nameSiteTensor, plateOrdinal } from "./factors.js";
import { alignTo, sumTo, unionDims, type NamedTensor } from "./named.js";
import { contractPlated, type PlatedTensor } from "./plated.js";
import { logRing } from "./ring.js";

/** The traces of one `TraceEnumELBO` particle, with what enumeration recorded. */
export interface EnumParticleTraces extends ParticleTraces {
  /** The handler that enumerated the model. */
  readonly modelEnum: EnumerateHandler;
  /** The handler that enumerated the guide. */
  readonly guideEnum: EnumerateHandler;
  /** The plate nesting the enumeration dims start left of. */
  readonly maxPlateNesting: number;
  /** Model latent sites the guide lacks and the model did not enumerate (drawn from the prior; cost 0). */
  readonly priorOnly: ReadonlySet<string>;
}

/** The error thrown when a model or guide's enumeration is not supported by `TraceEnumELBO`. */
export class EnumElboError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(`TraceEnumELBO: ${message}`);
    this.name = "EnumElboError";
  }
}

interface Cost extends PlatedTensor {
  /** Set for the `-log q` cost of a score-function guide site (left out of the surrogate). */
  readonly scoreSite?: TraceNode;
}

function commonScale(ops: Ops, scales: readonly { site: string; scale: Scale }[]): number {
  let common: number | undefined;
  for (const { site, scale } of scales) {
    let s: number;
    if (typeof scale === "number") s = scale;
    else if (scale.shape.every((d) => d === 1)) s = ops.item(scale);
    else throw new EnumElboError(`enumeration only supports scalar scales, but site '${site}' has a scale of shape [${scale.shape.join(", ")}]`);
    if (common === undefined) common = s;
    else if (s !== common) {
      throw new EnumElboError(`expected all sites that depend on enumerated variables to share one scale (subsampling or handlers.scale), found ${common} and ${s} (site '${site}')`);
    }
  }
  return common ?? 1;
}

function checkGuideMoreGlobal(modelFactors: readonly (PlatedTensor & { enumerated: boolean })[], guide: GuideExpectation, guideOrdinals: ReadonlyMap<string, ReadonlySet<string>>): void {
  let min: Set<string> | undefined;
  for (const f of modelFactors) if (f.enumerated) min = min === undefined ? new Set(f.ordinal) : new Set([...min].filter((p) => f.ordinal.has(p)));
  if (min === undefined) return;
  for (const name of guide.vars) {
    const outside = [...guideOrdinals.get(name)!].find((p) => !min.has(p));
    if (outside !== undefined) {
      throw new EnumElboError(
        `expected model enumeration to be no more global than guide enumeration, but found model enumeration sites upstream of guide site '${name}' in plate("${outside}"); try converting some model enumeration sites to guide enumeration sites`,
      );
    }
  }
}

/** The ELBO and surrogate (not negated) of one enumerated particle. */
export function enumElboParticle(ops: Ops, traces: EnumParticleTraces): { elbo: Tensor; surrogate: Tensor } {
  const { modelTrace, guideTrace, modelEnum, guideEnum, maxPlateNesting, priorOnly } = traces;
  const name = (site: TraceNode, t: Tensor, handler: EnumerateHandler): NamedTensor =>
    nameSiteTensor(ops, site, t, handler.sites.get(site.name), maxPlateNesting);

  const guideFactors: (PlatedTensor & { name: string })[] = [];
  const guideOrdinals = new Map<string, ReadonlySet<string>>();
  for (const site of guideTrace.sampleNodes()) {
    if (guideEnum.sites.get(site.name)?.enumDim === undefined) continue;
    const ordinal = plateOrdinal(site);
    guideOrdinals.set(site.name, ordinal);
    guideFactors.push({ name: site.name, ordinal, tensor: name(site, site.unscaledLogProb!, guideEnum) });
  }
  const expectation = new GuideExpectation(ops, guideFactors);

  const modelVars = new Set<string>();
  for (const [n, info] of modelEnum.sites) if (info.enumDim !== undefined) modelVars.add(n);
  const costs: Cost[] = [];
  const factors: (PlatedTensor & { enumerated: boolean })[] = [];
  const scales: { site: string; scale: Scale }[] = [];
  for (const site of modelTrace.sampleNodes()) {
    if (priorOnly.has(site.name)) continue;
    const ordinal = plateOrdinal(site);
    const enumerated = modelVars.has(site.name);
    const logProb = name(site, site.logProb!, modelEnum);
    if (enumerated || logProb.dims.some((d) => modelVars.has(d))) {
      const masked = scaleAndMask(ops, site.unscaledLogProb!, 1, site.mask);
      factors.push({ tensor: name(site, masked, modelEnum), ordinal, enumerated });
      scales.push({ site: site.name, scale: site.scale });
    } else {
      costs.push({ tensor: logProb, ordinal });
    }
  }
  if (factors.length > 0) {
    if (guideFactors.length > 0) checkGuideMoreGlobal(factors, expectation, guideOrdinals);
    const scale = commonScale(ops, scales);
    for (const t of contractPlated(ops, logRing, factors, modelVars)) {
      costs.push({ tensor: scale === 1 ? t.tensor : { value: ops.mul(t.tensor.value, scale), dims: t.tensor.dims }, ordinal: t.ordinal });
    }
  }
  const scoreSites: TraceNode[] = [];
  for (const site of guideTrace.sampleNodes()) {
    const neg = name(site, ops.neg(site.logProb!), guideEnum);
    const score = !site.fn!.hasRsample && !expectation.vars.has(site.name);
    if (score) {
      if (neg.dims.some((d) => expectation.vars.has(d))) {
        throw new EnumElboError(
          `guide site '${site.name}' is sampled without a reparameterized sampler downstream of guide-enumerated sites; ` +
            "score-function terms inside guide enumeration are not implemented: enumerate it too, or make it reparameterized",
        );
      }
      scoreSites.push(site);
    }
    costs.push(score ? { tensor: neg, ordinal: plateOrdinal(site), scoreSite: site } : { tensor: neg, ordinal: plateOrdinal(site) });
  }

  let elbo: Tensor = ops.tensor(0);
  let surrogate: Tensor = ops.tensor(0);
  const expected: NamedTensor[] = [];
  for (const c of costs) {
    const e = expectation.of(c);
    const total = ops.sum(e.value);
    elbo = ops.add(elbo, total);
    if (c.scoreSite === undefined) surrogate = ops.add(surrogate, total);
    if (scoreSites.length > 0) expected.push({ value: ops.stopGradient(e.value), dims: e.dims });
  }
  for (const site of scoreSites) {
    const plates = plateOrdinal(site);
    const logQ = name(site, site.logProb!, guideEnum);
    const downstream = expected.map((e) => sumTo(ops, e, plates));
    const dims = unionDims([logQ, ...downstream]);
    let weight: Tensor = ops.tensor(0);
    for (const d of downstream) weight = ops.add(weight, alignTo(ops, d, dims));
    surrogate = ops.add(surrogate, ops.sum(ops.mul(weight, alignTo(ops, logQ, dims))));
  }
  return { elbo, surrogate };
}
