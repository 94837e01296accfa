/**
 * Random draws as tensors: the flat-array samplers of `tensor/random` turned
 * into tensors of a distribution's draw shape, and the implicitly
 * reparameterized standard-gamma draw behind Gamma, Beta and Dirichlet.
 *
 * @module
 */
import { normal, standardGamma, uniform, type RandomKey } from "../tensor/random/index.js";
import { standardGammaGrad } from "../tensor/special/index.js";
import type { Ops } from "../tensor/ops.js";
import { sizeOf } from "../tensor/shape.js";
import type { Shape, Tensor } from "../tensor/types.js";
import { finfo } from "./util.js";

/** Standard normal draws of shape `shape`. */
export function standardNormalTensor(ops: Ops, key: RandomKey, shape: Shape): Tensor {
  return ops.fromFlat(normal(key, sizeOf(shape)), shape);
}

/**
 * Uniform draws on the open interval `(0, 1)` of shape `shape`: the raw
 * `[0, 1)` draws are clamped into `[tiny, 1 - eps]` of the backend's dtype,
 * so `log u` and `log(1 - u)` stay finite (as torch does for its uniform
 * based samplers).
 */
export function openUniformTensor(ops: Ops, key: RandomKey, shape: Shape): Tensor {
  const { tiny, eps } = finfo(ops.dtype);
  const u = uniform(key, sizeOf(shape));
  for (let i = 0; i < u.length; i++) u[i] = Math.min(Math.max(u[i]!, tiny), 1 - eps);
  return ops.fromFlat(u, shape);
}

/**
 * Standard gamma draws `z ~ Gamma(alpha, 1)`, one per element of `alpha`,
 * differentiable in `alpha` by implicit reparameterization: the derivative
 * of each draw is `dz/dα = -(∂F/∂α)/(∂F/∂z)` (Figurnov et al. 2018), which
 * `standardGammaGrad` computes. Draws are clamped below at the dtype's
 * smallest normal number, as torch does, so `log z` stays finite.
 */
export function rsampleStandardGamma(ops: Ops, key: RandomKey, alpha: Tensor): Tensor {
  const { tiny } = finfo(ops.dtype);
  return ops.elementwise(alpha, (a) => {
    const z = Float64Array.from(standardGamma(key, a));
    const derivative = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const zi = Math.max(z[i]!, tiny);
      z[i] = zi;
      derivative[i] = standardGammaGrad(a[i]!, zi);
    }
    return { value: z, derivative };
  });
}
