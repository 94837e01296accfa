/**
 * Transforms between constrained spaces, and the `transformTo` / `bijectTo`
 * registries.
 *
 * @module
 */
export { Transform, InverseTransform, type TransformSign } from "./transform.js";
export { AffineTransform } from "./affine.js";
export { ExpTransform } from "./exp.js";
export { SigmoidTransform, clippedSigmoid } from "./sigmoid.js";
export { StickBreakingTransform } from "./stick-breaking.js";
export { ComposeTransform } from "./compose.js";
export { IndependentTransform } from "./independent.js";
export { OrderedTransform } from "./ordered.js";
export { PowerTransform } from "./power.js";
export { LowerCholeskyTransform } from "./lower-cholesky.js";
export { CorrCholeskyTransform } from "./corr-cholesky.js";
export { CholeskyTransform } from "./cholesky.js";
export {
  ConstraintRegistry, ConstraintTransformError, bijectTo, bijectToRegistry, transformTo, transformToRegistry,
  type ConstraintClass, type TransformFactory,
} from "./registry.js";
