/**
 * The generic modules: `pyro`, `distributions` (`dist`), `handlers`, `infer`,
 * `optim`, `ops`. Each member is looked up in the current environment's
 * backend when it is accessed; a member the backend lacks throws
 * {@link NotImplementedError}, as pyroapi's `GenericModule` does.
 *
 * @module
 */
import type { ModuleName, Modules } from "../backends/backend.js";
import { ask } from "./env.js";
import { NotImplementedError } from "./errors.js";

/** Property names that probes (Promise resolution, inspection, JSON) read and that must not throw. */
const PROBES = new Set(["then", "toJSON", "constructor", "asymmetricMatch", "$$typeof", "nodeType", "@@__IMMUTABLE_ITERABLE__@@"]);

function genericModule<K extends ModuleName>(name: K): Modules[K] {
  return new Proxy(Object.create(null) as Modules[K], {
    get(_target, prop) {
      if (typeof prop === "symbol" || PROBES.has(prop)) return undefined;
      const env = ask();
      const module = env.backend[name] as Record<string, unknown>;
      if (!(prop in module)) throw new NotImplementedError(env.alias, name, prop);
      return module[prop];
    },
    has(_target, prop) {
      return typeof prop === "string" && prop in (ask().backend[name] as object);
    },
    ownKeys() {
      const keys = new Set<string>();
      for (let o: object | null = ask().backend[name] as object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
        for (const k of Object.keys(o)) keys.add(k);
      }
      return [...keys];
    },
    getOwnPropertyDescriptor(_target, prop) {
      if (typeof prop !== "string" || !(prop in (ask().backend[name] as object))) return undefined;
      return { configurable: true, enumerable: true, writable: false, value: (ask().backend[name] as Record<string, unknown>)[prop] };
    },
  });
}

/** Primitives and backend state of the current backend. */
export const pyro: Modules["pyro"] = genericModule("pyro");
/** Distributions, constraints and transforms of the current backend. */
export const distributions: Modules["distributions"] = genericModule("distributions");
/** Short alias of {@link distributions}. */
export const dist: Modules["distributions"] = distributions;
/** Effect handlers of the current backend. */
export const handlers: Modules["handlers"] = genericModule("handlers");
/** Inference algorithms of the current backend. */
export const infer: Modules["infer"] = genericModule("infer");
/** Optimizers of the current backend. */
export const optim: Modules["optim"] = genericModule("optim");
/** Tensor ops of the current backend. */
export const ops: Modules["ops"] = genericModule("ops");

/** All six generic modules. */
export const modules: Modules = { pyro, distributions, handlers, infer, optim, ops };
