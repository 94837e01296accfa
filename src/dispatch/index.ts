/**
 * Backend dispatch: the registry, the environment, the generic modules.
 *
 * @module
 */
export * from "./errors.js";
export * from "./registry.js";
export * from "./env.js";
export * from "./generic.js";
export * from "./pyro-backend.js";
