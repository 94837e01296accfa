/**
 * The param store and its saved form.
 *
 * @module
 */
export * from "./param-store.js";
export * from "./param-store-state.js";
export * from "./param-store-file.js";
