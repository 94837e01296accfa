/**
 * An ELBO estimate computed entirely with tensor ops (no value read into
 * JavaScript), so that a trace of it is a graph from params and random
 * draws to the loss and surrogate. It is `ELBO.estimate` with the running
 * sums kept as tensors: the same particles, in the same order, with the same
 * arithmetic.
 *
 * @module
 */
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import type { ParticleTraces } from "../elbo/elbo.js";
import type { TensorEstimate } from "./controller.js";

/** What {@link tensorEstimate} needs from an ELBO (its protected members, bound). */
export interface EstimateParts {
  /** Particles per estimate. */
  readonly numParticles: number;
  /** Whether particles run vectorized (then `vectorized` gives their one pair of traces). */
  readonly vectorized: boolean;
  /** The traces of one sequential particle. */
  traces(): ParticleTraces;
  /** The traces of all particles at once, vectorized. */
  vectorizedTraces(): ParticleTraces;
  /** The ELBO and surrogate of one particle's traces. */
  particle(traces: ParticleTraces): { elbo: Tensor; surrogate: Tensor };
}

/** −ELBO and its surrogate averaged over particles, as tensors. */
export function tensorEstimate(ops: Ops, parts: EstimateParts): TensorEstimate {
  const n = parts.numParticles;
  let loss: Tensor = ops.tensor(0);
  let surrogate: Tensor = ops.tensor(0);
  const particles: { traces: ParticleTraces; elbo: Tensor }[] = [];
  const run = (traces: ParticleTraces): void => {
    const p = parts.particle(traces);
    particles.push({ traces, elbo: p.elbo });
    loss = ops.sub(loss, ops.div(p.elbo, n));
    surrogate = ops.sub(surrogate, ops.div(p.surrogate, n));
  };
  if (parts.vectorized && n > 1) run(parts.vectorizedTraces());
  else for (let i = 0; i < n; i++) run(parts.traces());
  return { loss, surrogate, particles };
}
