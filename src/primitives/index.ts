/**
 * The primitives models are written with: `sample`, `param`, `plate`,
 * `deterministic`, `factor`, `subsample`. They build effect requests; a
 * backend interprets them.
 *
 * @module
 */
export * from "./effects.js";
export * from "./sample.js";
export * from "./param.js";
export * from "./plate.js";
export * from "./deterministic.js";
export { PrimitiveArgumentError, describeValue } from "./validate.js";
