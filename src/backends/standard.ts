/**
 * The standard backend bundle: every generic layer over one {@link Ops}.
 *
 * The `pyro` (tfjs) and `numpy` (ndarray) backends are both this bundle over
 * different ops: no distribution, handler or algorithm is written per
 * backend.
 *
 * @module
 */
import { makeDistributionsModule } from "../distributions/module.js";
import { makeHandlersModule } from "../handlers/module.js";
import { Runtime } from "../handlers/runtime.js";
import { makeInferModule } from "../infer/module.js";
import { makeOptimModule } from "../optim/module.js";
import type { Ops } from "../tensor/ops.js";
import type { Backend } from "./backend.js";
import { makeOpsModule } from "./ops-module.js";
import { makePyroModule } from "./pyro-module.js";

/** A standard backend: its modules and the runtime they share. */
export interface StandardBackend extends Backend {
  /** The runtime (ops, param store, random state) the modules share. */
  readonly runtime: Runtime;
}

/**
 * All generic modules over `ops`, sharing one runtime named `name`.
 *
 * @example
 * ```ts
 * registerBackend("tfjs64", makeStandardBackend("tfjs64", myOps));
 * ```
 */
export function makeStandardBackend(name: string, ops: Ops): StandardBackend {
  const runtime = new Runtime(name, ops);
  return {
    runtime,
    pyro: makePyroModule(runtime),
    distributions: makeDistributionsModule(runtime.distCtx),
    handlers: makeHandlersModule(runtime),
    infer: makeInferModule(runtime),
    optim: makeOptimModule(),
    ops: makeOpsModule(runtime),
  };
}
