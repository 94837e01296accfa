/**
 * What a backend is: a record of the six module implementations.
 *
 * @module
 */
import type { DistributionsModule } from "../distributions/module.js";
import type { HandlersModule } from "../handlers/module.js";
import type { InferModule } from "../infer/module.js";
import type { OptimModule } from "../optim/module.js";
import type { OpsModule } from "./ops-module.js";
import type { PyroModule } from "./pyro-module.js";

/** The full types of the six generic modules. */
export interface Modules {
  /** Primitives and backend state. */
  readonly pyro: PyroModule;
  /** Distributions, constraints, transforms. */
  readonly distributions: DistributionsModule;
  /** Effect handlers. */
  readonly handlers: HandlersModule;
  /** Inference algorithms. */
  readonly infer: InferModule;
  /** Optimizers. */
  readonly optim: OptimModule;
  /** Tensor ops. */
  readonly ops: OpsModule;
}

/** The name of one of the six generic modules. */
export type ModuleName = keyof Modules;

/** The names of the six generic modules. */
export const MODULE_NAMES: readonly ModuleName[] = ["pyro", "distributions", "handlers", "infer", "optim", "ops"];

/**
 * A backend: an implementation of each module. A module may lack members;
 * reaching for one through a generic module throws `NotImplementedError`.
 */
export interface Backend {
  /** Primitives and backend state (may lack members). */
  readonly pyro: Partial<Modules["pyro"]>;
  /** Distributions, constraints, transforms (may lack members). */
  readonly distributions: Partial<Modules["distributions"]>;
  /** Effect handlers (may lack members). */
  readonly handlers: Partial<Modules["handlers"]>;
  /** Inference algorithms (may lack members). */
  readonly infer: Partial<Modules["infer"]>;
  /** Optimizers (may lack members). */
  readonly optim: Partial<Modules["optim"]>;
  /** Tensor ops (may lack members). */
  readonly ops: Partial<Modules["ops"]>;
}
