/**
 * `pyro.sample`: the primitive random choice.
 *
 * @module
 */
import { Distribution } from "../distributions/distribution.js";
import type { InferConfig } from "../handlers/message.js";
import { suspend, type Program } from "../program/program.js";
import type { Site } from "../program/sites.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";
import type { SampleEffect } from "./effects.js";
import { PrimitiveArgumentError, checkSiteName } from "./validate.js";

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Observed data: the site is conditioned on it. */
  readonly obs?: TensorLike | undefined;
  /** Inference configuration (`{ enumerate: "parallel" }`, ...). */
  readonly infer?: InferConfig;
  /** Extra leading dims of the draw (Pyro's `sample_shape`). */
  readonly sampleShape?: Shape;
}

/**
 * A random choice named `name` from `fn`, or an observation of `obs` under `fn`.
 *
 * @example
 * ```ts
 * const x = yield* pyro.sample("x", dist.Normal(0, 1));
 * yield* pyro.sample("y", dist.Normal(x, 1), { obs: data });
 * ```
 */
export function sample<N extends string>(
  name: N,
  fn: Distribution,
  options: SampleOptions = {},
): Program<Tensor, Site<N, Tensor>> {
  checkSiteName("pyro.sample", name);
  if (!(fn instanceof Distribution)) {
    throw new PrimitiveArgumentError("pyro.sample", name, "fn", "a distribution", fn);
  }
  const effect: SampleEffect = {
    type: "sample",
    name,
    fn,
    obs: options.obs ?? undefined,
    infer: options.infer ?? {},
    sampleShape: options.sampleShape ?? [],
  };
  return suspend(effect);
}
