/**
 * `pyroBackend`: choose the backend that runs a body (pyroapi's `pyro_backend`).
 *
 * @module
 */
import type { Modules } from "../backends/backend.js";
import { envOf, runInEnv } from "./env.js";
import { modules } from "./generic.js";
import type { BackendSpec } from "./registry.js";

/** The seed pyroapi's `pyro_backend` runs its body under. */
export const DEFAULT_RNG_SEED = 1;

/**
 * Runs `body` with backend `backend` (an alias or a module specification) as
 * the environment of the generic modules, under `handlers.seed(1)` as pyroapi
 * does. Nestable; the previous backend is restored on return and on throw.
 * `body` also receives the modules (the Reader's environment) directly.
 *
 * @example
 * ```ts
 * const loss = pyroBackend("numpy", ({ infer, optim }) => {
 *   const svi = new infer.SVI(model, guide, optim.Adam({ lr: 0.01 }), new infer.TraceELBO());
 *   return svi.step(data);
 * });
 * ```
 */
export function pyroBackend<A>(backend: string | BackendSpec, body: (modules: Modules) => A): A {
  const env = envOf(backend);
  return runInEnv(env, () => modules.handlers.seed(DEFAULT_RNG_SEED, () => body(modules)));
}
