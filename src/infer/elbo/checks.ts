/**
 * Checks an ELBO runs on the traces of a model and guide (Pyro's
 * `check_site_shape`, `check_model_guide_match`, non-finite log-densities).
 *
 * @module
 */
import type { Trace, TraceNode } from "../../handlers/trace-record.js";
import { NonFiniteLogProbError } from "../../handlers/trace-record.js";
import { formatShape } from "../../tensor/shape.js";
import { describeDistribution } from "../../distributions/describe.js";
import type { Constraint } from "../../distributions/constraint.js";
import { IndependentConstraint } from "../../distributions/constraints.js";
import { Delta } from "../../distributions/delta.js";
import type { Distribution } from "../../distributions/distribution.js";
import { Independent } from "../../distributions/independent.js";
import { MaskedDistribution } from "../../distributions/masked.js";

/** The error thrown when a site's log-density is batched over dims no plate declares. */
export class SiteShapeError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The site name. */
    readonly site: string,
    message: string,
  ) {
    super(message);
    this.name = "SiteShapeError";
  }
}

/** The error thrown when a guide and model disagree on their latent sites. */
export class ModelGuideMismatchError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "ModelGuideMismatchError";
  }
}

/**
 * Throws unless the log-density of `site` is batched exactly over its plates:
 * each dim a plate occupies has the plate's (subsample) size, and every other
 * dim within `maxPlateNesting` has size 1.
 */
export function checkSiteShape(site: TraceNode, maxPlateNesting = Infinity): void {
  const logProb = site.logProb;
  if (logProb === undefined) return;
  let expected: (number | null)[] = [];
  for (const f of site.condIndepStack) {
    if (f.dim === null) continue;
    if (expected.length < -f.dim) expected = [...new Array<null>(-f.dim - expected.length).fill(null), ...expected];
    expected[expected.length + f.dim] = f.subsampleSize;
  }
  if (expected.length > maxPlateNesting) {
    throw new SiteShapeError(
      site.name,
      `at site '${site.name}': the plates nest ${expected.length} deep, more than maxPlateNesting = ${maxPlateNesting}`,
    );
  }
  let actual = [...logProb.shape];
  if (maxPlateNesting < actual.length) actual = actual.slice(actual.length - maxPlateNesting);
  const n = Math.max(actual.length, expected.length);
  for (let i = 1; i <= n; i++) {
    const a = actual.length >= i ? actual[actual.length - i]! : 1;
    const e = expected.length >= i ? expected[expected.length - i] : 1;
    if (e !== null && e !== undefined && e !== a) {
      const plates = site.condIndepStack.map((f) => f.name).join(", ") || "none";
      throw new SiteShapeError(
        site.name,
        `at site '${site.name}' within plate(s) ${plates}, invalid log_prob shape: expected ` +
          `${formatShape(expected.map((d) => d ?? -1))}, actual ${formatShape(logProb.shape)}. ` +
          "Try one of: enclose the batched tensor in a pyro.plate, .toEvent(...) the distribution, or permute the data dims",
      );
    }
  }
}

/**
 * Throws when the guide has a latent site the model lacks (unless marked
 * `isAuxiliary`), when a site is latent in one trace but observed in the
 * other, or (with `checkSupports`, Pyro's validation) when the guide's support
 * certainly leaves the model's; returns the model's latent sites the guide lacks.
 */
export function checkModelGuideMatch(modelTrace: Trace, guideTrace: Trace, checkSupports = true): string[] {
  const modelLatent = new Set(modelTrace.stochasticNodes().map((n) => n.name));
  for (const g of guideTrace.stochasticNodes()) {
    const m = modelTrace.nodes.get(g.name);
    if (m === undefined) {
      if (g.infer.isAuxiliary === true) continue;
      throw new ModelGuideMismatchError(
        `Found a latent site in the guide but not in the model: '${g.name}' (mark it infer: { isAuxiliary: true } if intended)`,
      );
    }
    if (m.isObserved) {
      throw new ModelGuideMismatchError(`site '${g.name}' is observed in the model but sampled in the guide`);
    }
    const modelSupport = m.fn?.support;
    const guideSupport = g.fn?.support;
    if (checkSupports && modelSupport !== undefined && guideSupport !== undefined && !isPointMass(g.fn!) &&
      supportsConflict(modelSupport, guideSupport)) {
      throw new ModelGuideMismatchError(
        `site '${g.name}': the model's support is ${modelSupport.name} but the guide's is ${guideSupport.name}, ` +
          "so the guide draws values the model cannot score (transform the guide's draws, as AutoNormal does)",
      );
    }
  }
  const guideNames = new Set(guideTrace.stochasticNodes().map((n) => n.name));
  return [...modelLatent].filter((n) => !guideNames.has(n));
}

/** Whether `c` is the whole real line (elementwise, perhaps over event dims). */
function isWholeRealLine(c: Constraint): boolean {
  if (c instanceof IndependentConstraint) return isWholeRealLine(c.base);
  return c.name === "real" || c.name === "realVector";
}

/**
 * Whether `d` is a `Delta` (perhaps made independent or masked): its support
 * is nominally the real line, but it only puts mass on its value (autoguides
 * place the model's values there), so its support says nothing.
 */
function isPointMass(d: Distribution): boolean {
  if (d instanceof Independent || d instanceof MaskedDistribution) return isPointMass(d.baseDist);
  return d instanceof Delta;
}

/**
 * Whether a guide with support `guide` certainly draws values outside the
 * model's support `model`: one is discrete and the other not, or the guide
 * ranges over the whole real line and the model does not. (Supports that are
 * merely named differently — `unitInterval` and `interval(0, 1)` — pass.)
 */
function supportsConflict(model: Constraint, guide: Constraint): boolean {
  if (model.isDiscrete !== guide.isDiscrete) return true;
  return isWholeRealLine(guide) && !isWholeRealLine(model);
}

/** Throws naming the first sample site whose log-density sum is NaN or infinite. */
export function checkFiniteLogProbs(trace: Trace, item: (t: NonNullable<TraceNode["logProbSum"]>) => number): void {
  for (const site of trace.sampleNodes()) {
    if (site.logProbSum === undefined) continue;
    const v = item(site.logProbSum);
    if (!Number.isFinite(v)) {
      const fn = site.fn!;
      throw new NonFiniteLogProbError(
        site.name,
        `${describeDistribution(fn)} with batch shape ${formatShape(fn.batchShape)} gave ${v} for a value of shape ` +
          `${formatShape(site.value!.shape)}${site.isObserved ? " (observed)" : ""}`,
      );
    }
  }
}
