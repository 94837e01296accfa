/**
 * Checks an ELBO runs on the traces of a model and guide (Pyro's
 * `check_site_shape`, `check_model_guide_match`, non-finite log-densities).
 *
 * @module
 */
import type { Trace, TraceNode } from "../../handlers/trace-record.js";
import { NonFiniteLogProbError } from "../../handlers/trace-record.js";
import { formatShape } from "../../tensor/shape.js";

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
 * `isAuxiliary`), or when a site is latent in one trace but observed in the
 * other; returns the model's latent sites the guide lacks.
 */
export function checkModelGuideMatch(modelTrace: Trace, guideTrace: Trace): string[] {
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
  }
  const guideNames = new Set(guideTrace.stochasticNodes().map((n) => n.name));
  return [...modelLatent].filter((n) => !guideNames.has(n));
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
        `${fn.name} with batch shape ${formatShape(fn.batchShape)} gave ${v} for a value of shape ` +
          `${formatShape(site.value!.shape)}${site.isObserved ? " (observed)" : ""}`,
      );
    }
  }
}
