/**
 * The `ndarray` tensor backend: float64 n-dimensional arrays on
 * `Float64Array` storage with strided views, numpy broadcasting and
 * reverse-mode automatic differentiation.
 *
 * @module
 */
export { NDArray } from "./array.js";
export { ndarrayCore, ndarrayOps } from "./ops.js";
