/**
 * Programs: models as values (the freer monad, do-notation, fp-ts instances).
 *
 * @module
 */
export * from "./program.js";
export * from "./sites.js";
export * from "./run.js";
export * from "./gen.js";
export * as P from "./instances.js";
