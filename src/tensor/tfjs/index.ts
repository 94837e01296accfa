/**
 * The tfjs implementation of {@link Ops}: float32 values, tfjs autodiff,
 * tfjs memory scopes, on the pure-JavaScript cpu backend.
 *
 * `tfjsCore` holds what tfjs does natively (including the derived members
 * tfjs has a good native op for: `full`, `zerosLike`, `onesLike`, `square`,
 * `reciprocal`, `clamp`, `mean`, `index`, `oneHot`); {@link completeOps} adds
 * the rest. Special functions stay on the float64 kernels: tfjs's `erf` is a
 * float32 approximation with relative error ~1e-5 near 0, far above float32
 * epsilon, and tfjs has no `lgamma`, `digamma`, `erfinv`, `cholesky` or
 * triangular solve.
 *
 * Every member that takes no callback reports errors as `ops.<name>: ...`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { completeOps } from "../derived.js";
import type { CoreOps, Ops } from "../ops.js";
import { autodiffOps } from "./autodiff.js";
import { creationOps } from "./creation.js";
import { registerZeroGradients } from "./gradients.js";
import { indexingOps } from "./indexing.js";
import { linalgOps } from "./linalg.js";
import { mathOps } from "./math.js";
import { reduceOps } from "./reduce.js";
import { shapeOps } from "./shape.js";
import { TensorOpError } from "../errors.js";

// Before any tensor exists: no debug checks, and the cpu backend unless the
// application chose one already (webgl would only fail in Node).
tf.enableProdMode();
if (!tf.engine().backendName) void tf.setBackend("cpu");
registerZeroGradients();

/**
 * What tfjs implements natively, before {@link completeOps} (exported for
 * tests that compare derived members with native ones).
 */
export const tfjsCore: CoreOps<tf.Tensor> = {
  name: "tfjs",
  dtype: "float32",
  ...creationOps,
  ...mathOps,
  ...reduceOps,
  ...shapeOps,
  ...indexingOps,
  ...linalgOps,
  ...autodiffOps,
};

/** Members that run user callbacks: their errors pass through untouched. */
const CALLBACK_MEMBERS = new Set(["custom", "elementwise", "valueAndGrad", "tidy", "keep", "dispose", "numTensors", "isTensor"]);

/** Parameter names of the derived ops that run on `custom`, whose errors name `inputs[i]`. */
const CUSTOM_PARAMS: Readonly<Record<string, readonly string[]>> = {
  logsumexp: ["x"], lgamma: ["x"], digamma: ["x"], erf: ["x"], erfinv: ["x"], cholesky: ["a"], triangularSolve: ["a", "b"],
};

/** `e` re-labelled with the op the user called (errors of nested ops name the inner op). */
function relabel(name: string, e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const prefix = `ops.${name}: `;
  if (e.message.startsWith(prefix)) return e;
  const inner = /^ops\.(\w+): /.exec(e.message);
  let rest = inner ? e.message.slice(inner[0].length) : e.message;
  const params = CUSTOM_PARAMS[name];
  if (inner?.[1] === "custom" && params) rest = rest.replace(/\binputs\[(\d+)\]/g, (m, i: string) => params[Number(i)] ?? m);
  return new TensorOpError(prefix + rest, { cause: e });
}

/** `ops` with every callback-free member reporting errors as `ops.<name>: ...`. */
function withOpNames<T>(ops: Ops<T>): Ops<T> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(ops)) {
    if (typeof member !== "function" || CALLBACK_MEMBERS.has(name)) {
      out[name] = member;
      continue;
    }
    const f = member as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => {
      try {
        return f(...args);
      } catch (e) {
        throw relabel(name, e);
      }
    };
  }
  return out as unknown as Ops<T>;
}

/**
 * The tfjs backend's {@link Ops}: float32, tfjs autodiff, `tidy` scopes.
 *
 * Plain numbers, booleans and nested arrays are accepted for every tensor
 * argument; comparisons return tfjs `bool` masks.
 *
 * @example
 * ```ts
 * import { tfjsOps as ops } from "./tensor/tfjs/index.js";
 * const y = ops.tidy(() => ops.sum(ops.mul(2, [1, 2, 3]), -1)); // 12
 * const { value, grads } = ops.valueAndGrad(([x]) => ops.sum(ops.square(x!)), [ops.tensor([1, 2])]);
 * ```
 */
export const tfjsOps: Ops<tf.Tensor> = withOpNames(completeOps(tfjsCore));
