/**
 * `pyro.plate`: conditional independence along a batch dim.
 *
 * @module
 */
import { bodyProgram, type Body, type BodySites } from "../program/gen.js";
import { scoped, type Program } from "../program/program.js";
import type { Tensor, TensorLike } from "../tensor/types.js";
import type { PlateScope } from "./effects.js";
import { PrimitiveArgumentError, checkCount, checkSiteName } from "./validate.js";

/** Options of {@link plate}. */
export interface PlateOptions {
  /** The batch dim (negative, e.g. -1); by default the next free dim from the right. */
  readonly dim?: number;
  /** Visit a random subset of this many indices and scale log-densities by `size / subsampleSize`. */
  readonly subsampleSize?: number;
  /** Visit exactly these indices. */
  readonly subsample?: TensorLike;
}

/**
 * Runs `body` inside a plate of `size` independent elements along one batch
 * dim; `body` receives the (subsample) indices.
 *
 * @example
 * ```ts
 * yield* pyro.plate("data", 100, { dim: -1 }, function* () {
 *   yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
 * });
 * ```
 */
export function plate<Y, R>(name: string, size: number, body: Body<Tensor, Y, R>): Program<R, BodySites<Y>>;
/** Runs `body` inside a plate with options. */
export function plate<Y, R>(
  name: string,
  size: number,
  options: PlateOptions,
  body: Body<Tensor, Y, R>,
): Program<R, BodySites<Y>>;
export function plate<Y, R>(
  name: string,
  size: number,
  optionsOrBody: PlateOptions | Body<Tensor, Y, R>,
  maybeBody?: Body<Tensor, Y, R>,
): Program<R, BodySites<Y>> {
  checkSiteName("pyro.plate", name);
  checkCount("pyro.plate", name, "size", size, 1);
  const options: PlateOptions = typeof optionsOrBody === "function" ? {} : optionsOrBody;
  const body = typeof optionsOrBody === "function" ? optionsOrBody : maybeBody;
  if (typeof body !== "function") {
    throw new PrimitiveArgumentError("pyro.plate", name, "body", "a generator function", body);
  }
  if (options.dim !== undefined && (!Number.isInteger(options.dim) || options.dim >= 0)) {
    throw new PrimitiveArgumentError("pyro.plate", name, "dim", "a negative integer", options.dim);
  }
  if (options.subsampleSize !== undefined) {
    checkCount("pyro.plate", name, "subsampleSize", options.subsampleSize, 1);
    if (options.subsampleSize > size) {
      throw new PrimitiveArgumentError("pyro.plate", name, "subsampleSize", `at most size ${size}`, options.subsampleSize);
    }
  }
  const scope: PlateScope = {
    type: "plate",
    name,
    size,
    subsampleSize: options.subsampleSize,
    subsample: options.subsample,
    dim: options.dim,
  };
  return scoped(scope, (indices) => bodyProgram(body, indices as Tensor)) as Program<R, BodySites<Y>>;
}
