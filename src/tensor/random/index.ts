/**
 * Splittable counter-based random keys and exact float64 samplers (JAX / NumPyro discipline),
 * shared by every tensor backend. Pure JavaScript on numbers and typed arrays.
 *
 * @module
 */

export { threefry2x32, threefry2x32Into } from "./threefry.js";
export { PRNGKey, split, fold, isRandomKey, assertRandomKey, type RandomKey } from "./key.js";
export { randomBits, uniform, normal, normalInto, wordsToUniform, RandomStream } from "./streams.js";
export { standardGamma, beta, dirichlet, categorical, binomial, poisson } from "./samplers.js";
