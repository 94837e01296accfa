/**
 * Vectorized particles: all particles of an ELBO estimate in one run, along
 * an outer plate (Pyro's `vectorize_particles`).
 *
 * @module
 */
import { replay } from "../../handlers/replay.js";
import { runTraced } from "../../handlers/trace.js";
import type { TraceNode } from "../../handlers/trace-record.js";
import type { AnyModel } from "../../program/gen.js";
import { plate } from "../../primitives/plate.js";
import { checkSiteShape } from "./checks.js";
import type { ElboContext } from "./elbo.js";

/** The name of the plate the particles are vectorized along (as in Pyro). */
export const PARTICLES_PLATE = "num_particles_vectorized";

/**
 * `model` run inside a plate of `numParticles` independent copies at batch
 * dim `dim` (left of every plate of the model), so each site carries one
 * value per particle.
 */
export function vectorizeParticles<Args extends readonly unknown[]>(
  model: AnyModel<Args>,
  numParticles: number,
  dim: number,
): AnyModel<Args> {
  return (...args: Args) => plate(PARTICLES_PLATE, numParticles, { dim }, () => model(...args));
}

/**
 * How many plates the model and guide nest: the largest `-dim` of a plate any
 * sample site is in, found by running the guide and the model once (Pyro's
 * `_guess_max_plate_nesting`). With validation on, the site shapes are checked
 * first, since a finite nesting weakens the later checks.
 */
export function guessMaxPlateNesting<Args extends readonly unknown[]>(
  ctx: ElboContext,
  model: AnyModel<Args>,
  guide: AnyModel<Args>,
  args: Args,
): number {
  const guideTrace = runTraced(ctx.run, guide(...args), args);
  const modelTrace = runTraced(ctx.run, replay(model, { trace: guideTrace })(...args), args);
  const sites: TraceNode[] = [...modelTrace.sampleNodes(), ...guideTrace.sampleNodes()];
  if (ctx.validate) {
    modelTrace.computeLogProb();
    guideTrace.computeLogProb();
    for (const site of sites) checkSiteShape(site, Infinity);
  }
  let nesting = 0;
  for (const site of sites) {
    for (const f of site.condIndepStack) if (f.dim !== null) nesting = Math.max(nesting, -f.dim);
  }
  return nesting;
}
