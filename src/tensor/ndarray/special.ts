/**
 * Special functions as native elementwise ops: `lgamma`, `digamma`, `erf`,
 * `erfinv`. Each runs the shared float64 scalar kernels of
 * `src/tensor/special` in one loop; the derivative (`digamma`, `trigamma`,
 * `2/√π·e^{-x²}`, `√π/2·e^{erfinv(x)²}`) is computed only when a gradient is
 * taken, unlike the generic `elementwise` route that always computes both.
 *
 * @module
 */
import * as special from "../special/index.js";
import { scalarOp } from "./unary.js";

const SQRT_PI = Math.sqrt(Math.PI);

/** `log|Γ(x)|` (gradient `ψ(x)`). */
export const lgamma = scalarOp("lgamma", special.lgamma, (x) => special.digamma(x));
/** `ψ(x) = d/dx log Γ(x)` (gradient `ψ'(x)`). */
export const digamma = scalarOp("digamma", special.digamma, (x) => special.trigamma(x));
/** The error function (gradient `2/√π·e^{-x²}`). */
export const erf = scalarOp("erf", special.erf, (x) => (2 / SQRT_PI) * Math.exp(-x * x));
/** The inverse error function on (-1, 1) (gradient `√π/2·e^{y²}`). */
export const erfinv = scalarOp("erfinv", special.erfinv, (_x, y) => (SQRT_PI / 2) * Math.exp(y * y));
