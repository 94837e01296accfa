/**
 * `makeLazyOps(base)`: an {@link Ops} whose tensors are lazy terms,
 * evaluated by `base` — the bridge that lets everything written against
 * `Ops` (distributions, handlers, ELBOs, the enumeration contraction) run on
 * terms unchanged.
 *
 * Every member builds or evaluates a term according to the interpretation
 * of the returned environment (`env.run(lazy, ...)`, tracing for `jit`,
 * eager by default). Reading a value (`item`, `toFlat`, `toArray`) evaluates
 * the term and, under tracing, is reported to the recorder. Autodiff is the
 * base's: a known term's value is a base tensor, and `valueAndGrad`
 * differentiates through the base ops that computed it. Memory is the base's
 * garbage collection: `tidy` runs its function, `keep`/`dispose` do nothing.
 *
 * @module
 */
import { completeOps } from "../derived.js";
import type { CoreOps, Ops, ValueAndGrad } from "../ops.js";
import type { NestedArray, Shape, Tensor, TensorLike } from "../types.js";
import { withCallNodes } from "./call.js";
import { LazyEnv } from "./env.js";
import "./evaluate.js";
import { mathOps } from "./ops-math.js";
import { shapeOps } from "./ops-shape.js";
import { baseValue, constant, lift } from "./node.js";
import { constTerm, dataShape, LazyTensor, LazyTensorError } from "./tensor.js";

type X = TensorLike<LazyTensor>;

/** The property under which lazy ops carry their environment. */
const ENV = Symbol.for("pyroapi.lazy.env");

/** Lazy ops and the environment that chooses their interpretation. */
export interface LazyOps {
  /** The ops (tensors are {@link LazyTensor}s). */
  readonly ops: Ops<LazyTensor>;
  /** Their environment. */
  readonly env: LazyEnv;
}

/** The environment of `ops` when they are lazy ops, else `undefined`. */
export function lazyEnvOf(ops: Ops<unknown>): LazyEnv | undefined {
  const env = (ops as unknown as Record<symbol, unknown>)[ENV];
  return env instanceof LazyEnv ? env : undefined;
}

/** The data of `t` when it may be read as a plain tensor (no named inputs); reports the read when tracing. */
function readable(env: LazyEnv, x: X, op: string): Tensor {
  if (!(x instanceof LazyTensor)) return env.base.tensor(x);
  if (x.inputs.length > 0) {
    throw new LazyTensorError(op, `${x} has named inputs [${x.inputs.map((d) => d.name).join(", ")}]; reduce them or make them positional first`);
  }
  const v = baseValue(env, x) as Tensor;
  env.recorder?.onRead(x, env.base.toFlat(v));
  return v;
}

function coreOps(env: LazyEnv): CoreOps<LazyTensor> {
  const { base } = env;
  const c = (v: Tensor) => constant(env, v);
  const valueAndGrad = (f: (xs: readonly LazyTensor[]) => LazyTensor, xs: readonly LazyTensor[]): ValueAndGrad<LazyTensor> => {
    env.recorder?.onUntraceable("valueAndGrad was called inside a traced computation");
    const ts = xs.map((x) => lift(env, x));
    const r = base.valueAndGrad(
      (bs) => baseValue(env, f(bs.map((b, i) => constTerm(b, ts[i]!.inputs)))) as Tensor,
      ts.map((t) => baseValue(env, t) as Tensor),
    );
    return { value: constTerm(r.value), grads: r.grads.map((g, i) => constTerm(g, ts[i]!.inputs)) };
  };
  return {
    ...(mathOps(env) as Required<ReturnType<typeof mathOps>>),
    ...(shapeOps(env) as Required<ReturnType<typeof shapeOps>>),
    name: `lazy(${base.name})`,
    dtype: base.dtype,
    isTensor: (x: unknown): x is LazyTensor => x instanceof LazyTensor,
    tensor: (x: X) => lift(env, x),
    fromFlat: (data: ArrayLike<number>, shape: Shape) => constant(env, base.fromFlat(data, shape), undefined, "flat"),
    zeros: (shape: Shape) => c(base.zeros(shape)),
    ones: (shape: Shape) => c(base.ones(shape)),
    full: (shape: Shape, value: number) => c(base.full(shape, value)),
    zerosLike: (x: X) => (x instanceof LazyTensor ? constant(env, base.zeros(dataShape(x)), x.inputs) : c(base.zerosLike(x))),
    onesLike: (x: X) => (x instanceof LazyTensor ? constant(env, base.ones(dataShape(x)), x.inputs) : c(base.onesLike(x))),
    arange: (start: number, stop?: number, step?: number) => c(base.arange(start, stop, step)),
    eye: (n: number) => c(base.eye(n)),
    shape: (x: X): Shape => (x instanceof LazyTensor ? x.shape : base.shape(x)),
    item: (x: X): number => base.item(readable(env, x, "item")),
    toArray: (x: X): NestedArray => base.toArray(readable(env, x, "toArray")),
    toFlat: (x: X) => base.toFlat(readable(env, x, "toFlat")),
    valueAndGrad,
    tidy: <R>(f: () => R): R => f(),
    keep: <S extends LazyTensor>(x: S): S => x,
    dispose: (): void => {},
    numTensors: (): number => 0,
  } as CoreOps<LazyTensor>;
}

/**
 * Lazy ops evaluated by `base`, with their environment.
 *
 * @example
 * ```ts
 * const { ops, env } = makeLazyOps(ndarrayOps);
 * const y = env.run(lazy, () => ops.logsumexp(ops.tensor([[0, 1], [2, 3]]), -1)); // a term
 * ops.toArray(y); // evaluated on read
 * ```
 */
export function makeLazyOps(base: Ops): LazyOps {
  const env = new LazyEnv(base);
  const ops = completeOps(coreOps(env));
  withCallNodes(ops);
  Object.defineProperty(ops, ENV, { value: env, enumerable: false });
  env.bindOps(ops as unknown as Ops);
  return { ops, env };
}
