/**
 * The backend registry: aliases → module specifications (pyroapi's
 * `register_backend`).
 *
 * @module
 */
import { MODULE_NAMES, type Backend, type ModuleName, type Modules } from "../backends/backend.js";
import { describeValue } from "../primitives/validate.js";
import { UnknownBackendError } from "./errors.js";

/** A module given as an implementation, or as the alias of a registered backend whose module to use. */
export type ModuleSpec<K extends ModuleName> = Partial<Modules[K]> | string;

/** A backend specification: any of the six modules; the others come from the default backend. */
export type BackendSpec = { readonly [K in ModuleName]?: ModuleSpec<K> };

/** The backend whose modules fill in what a registration leaves out. */
export const DEFAULT_BACKEND = "pyro";

/** The error thrown for a malformed backend registration. */
export class BackendRegistrationError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(`registerBackend: ${message}`);
    this.name = "BackendRegistrationError";
  }
}

const specs = new Map<string, BackendSpec>();
const resolved = new Map<string, Backend>();

/** Checks the shape of a backend specification. */
export function checkSpec(spec: unknown): asserts spec is BackendSpec {
  if (typeof spec !== "object" || spec === null) {
    throw new BackendRegistrationError(`modules must be an object, got ${describeValue(spec)}`);
  }
  for (const [key, value] of Object.entries(spec)) {
    if (!(MODULE_NAMES as readonly string[]).includes(key)) {
      throw new BackendRegistrationError(`unknown module "${key}"; modules are ${MODULE_NAMES.join(", ")}`);
    }
    if (typeof value !== "string" && (typeof value !== "object" || value === null)) {
      throw new BackendRegistrationError(`module "${key}" must be an object or a backend alias, got ${describeValue(value)}`);
    }
  }
}

/**
 * Registers backend `alias`: modules it does not specify are taken from the
 * default backend (`pyro`); a module given as a string is that registered
 * backend's module.
 *
 * @example
 * ```ts
 * registerBackend("mine", { infer: "minipyro", optim: "minipyro" });
 * pyroBackend("mine", () => ...);
 * ```
 */
export function registerBackend(alias: string, modules: BackendSpec): void {
  if (typeof alias !== "string" || alias.length === 0) {
    throw new BackendRegistrationError(`alias must be a non-empty string, got ${describeValue(alias)}`);
  }
  checkSpec(modules);
  specs.set(alias, { ...modules });
  resolved.clear();
}

/** The registered aliases, in registration order. */
export function registeredBackends(): string[] {
  return [...specs.keys()];
}

function resolveModule(spec: BackendSpec, name: ModuleName, seen: readonly string[]): object {
  const given = spec[name] ?? (seen.includes(DEFAULT_BACKEND) ? undefined : DEFAULT_BACKEND);
  if (given === undefined) throw new BackendRegistrationError(`the default backend "${DEFAULT_BACKEND}" lacks module "${name}"`);
  if (typeof given !== "string") return given;
  if (seen.includes(given)) throw new BackendRegistrationError(`aliases refer to each other in a cycle: ${[...seen, given].join(" → ")}`);
  const target = specs.get(given);
  if (target === undefined) throw new UnknownBackendError(given, registeredBackends());
  return resolveModule(target, name, [...seen, given]);
}

/** The modules of a specification (not registered), filling gaps from the default backend. */
export function resolveSpec(spec: BackendSpec, label = "custom"): Backend {
  checkSpec(spec);
  const out: Record<string, object> = {};
  for (const name of MODULE_NAMES) out[name] = resolveModule(spec, name, [label]);
  return out as unknown as Backend;
}

/** The modules of registered backend `alias`. */
export function resolveBackend(alias: string): Backend {
  let backend = resolved.get(alias);
  if (backend === undefined) {
    const spec = specs.get(alias);
    if (spec === undefined) throw new UnknownBackendError(alias, registeredBackends());
    backend = resolveSpec(spec, alias);
    resolved.set(alias, backend);
  }
  return backend;
}
