/**
 * The backend environment: a Reader over the current backend.
 *
 * `pyroBackend(alias, body)` runs `body` with that backend as the ambient
 * environment (Node's `AsyncLocalStorage`, so it follows async continuations,
 * nests, and is restored on return and on throw). The generic modules read it
 * with {@link ask}; no module-global variable decides which backend runs.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Backend } from "../backends/backend.js";
import { DEFAULT_BACKEND, resolveBackend, resolveSpec, type BackendSpec } from "./registry.js";

/** The environment: which backend the generic modules use. */
export interface Env {
  /** The backend's alias ("custom" for an unregistered specification). */
  readonly alias: string;
  /** The backend's modules. */
  readonly backend: Backend;
}

const storage = new AsyncLocalStorage<Env>();

/** The current environment (Reader's `ask`): the innermost `pyroBackend`, or the default backend. */
export function ask(): Env {
  return storage.getStore() ?? { alias: DEFAULT_BACKEND, backend: resolveBackend(DEFAULT_BACKEND) };
}

/** The environment of a backend alias or specification. */
export function envOf(backend: string | BackendSpec): Env {
  return typeof backend === "string"
    ? { alias: backend, backend: resolveBackend(backend) }
    : { alias: "custom", backend: resolveSpec(backend) };
}

/** Runs `body` in environment `env` (Reader's `local`), without seeding. */
export function runInEnv<A>(env: Env, body: () => A): A {
  return storage.run(env, body);
}

/**
 * A scope that runs its body in backend `alias`'s environment, entering it
 * only when the current environment is a different backend (cheap when
 * already there). Runtimes use it so the programs they interpret see their
 * own backend.
 */
export function backendScope(alias: string): <A>(body: () => A) => A {
  return <A>(body: () => A): A => {
    const target = resolveBackend(alias);
    const current = storage.getStore();
    if ((current?.backend ?? resolveBackend(DEFAULT_BACKEND)) === target) return body();
    return storage.run({ alias, backend: target }, body);
  };
}
