/**
 * Special functions in float64 on plain numbers, shared by every tensor backend: the gamma
 * family, the error-function family and the incomplete gamma function with the
 * implicit-reparameterization gradient of Gamma draws.
 *
 * @module
 */

export { lgamma, lgamma1p, digamma, trigamma } from "./gamma.js";
export { erf, erfc, erfcx, erfinv, ndtr, ndtri, logNdtr } from "./erf.js";
export { gammaP, gammaQ, standardGammaGrad } from "./incompleteGamma.js";
