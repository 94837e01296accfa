/**
 * The `ops` module of a backend: its {@link Ops}, plus draws from the
 * backend's random state (`ops.randn`), as `torch.randn` in pyroapi.
 *
 * @module
 */
import type { Runtime } from "../handlers/runtime.js";
import type { Ops } from "../tensor/ops.js";
import { normal, uniform } from "../tensor/random/index.js";
import { sizeOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/types.js";

/**
 * Tensor ops of the current backend.
 *
 * @example
 * ```ts
 * const x = ops.add(ops.randn(3), 1);
 * ops.sum(x, { axis: -1 });
 * ```
 */
export interface OpsModule extends Ops {
  /** Standard normal draws of the given shape from the backend's random state. */
  randn(...shape: number[]): Tensor;
  /** Uniform draws on (0, 1) of the given shape from the backend's random state. */
  rand(...shape: number[]): Tensor;
}

/** The ops module of `runtime`. */
export function makeOpsModule(runtime: Runtime): OpsModule {
  const ops = runtime.ops;
  const module = Object.create(ops) as OpsModule;
  module.randn = (...shape) => ops.fromFlat(normal(runtime.nextKey(), sizeOf(shape)), shape);
  module.rand = (...shape) => ops.fromFlat(uniform(runtime.nextKey(), sizeOf(shape)), shape);
  return module;
}
