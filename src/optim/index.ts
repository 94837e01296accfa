/**
 * Optimizers: functional rules, Pyro's stateful facade, and learning-rate schedulers.
 *
 * @module
 */
export * from "./optimizer.js";
export * from "./adam.js";
export * from "./adamw.js";
export * from "./adagrad.js";
export * from "./rmsprop.js";
export * from "./sgd.js";
export * from "./scheduler.js";
export * from "./schedules.js";
export * from "./module.js";
