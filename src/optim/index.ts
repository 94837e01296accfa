/**
 * Optimizers: functional rules and Pyro's stateful facade.
 *
 * @module
 */
export * from "./optimizer.js";
export * from "./adam.js";
export * from "./sgd.js";
export * from "./module.js";
