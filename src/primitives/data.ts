/**
 * `pyro.data(codec, value)`: the data boundary. External data (parsed JSON,
 * CSV rows, a request body) is decoded once, with an io-ts codec, before a
 * model sees it: every problem is reported with its path, named dims must
 * agree across fields, and the tensors come back as tensors of the current
 * backend, typed.
 *
 * ```ts
 * import * as t from "io-ts";
 * const Regression = t.type({
 *   x: codecs.tensor(["N", 3]),
 *   y: codecs.tensor(["N"], { integer: true, min: 0, max: 1 }),
 * });
 * const { x, y } = pyro.data(Regression, JSON.parse(text)); // x, y: Tensor
 * // bad input: DataDecodeError: pyro.data:
 * //   y[17]: expected an integer in [0, 1], got 2
 * //   y: expected dim 0 (N) of size 100 as at x, got 99
 * ```
 *
 * A failed decode throws before anything runs, so no NaN or mis-shaped
 * tensor enters a model.
 *
 * @module
 */
import type * as t from "io-ts/lib/index.js";
import { HostTensor, namedDimProblems } from "../codecs/data.js";
import { DecodeError, problemsOf, type DecodeProblem } from "../codecs/report.js";
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";

/** `A` with every {@link HostTensor} replaced by a backend `Tensor` (what `pyro.data` returns). */
export type WithTensors<A> = A extends HostTensor
  ? Tensor
  : A extends ArrayBufferView
    ? A
    : A extends readonly unknown[]
      ? { [K in keyof A]: WithTensors<A[K]> }
      : A extends object
        ? { [K in keyof A]: WithTensors<A[K]> }
        : A;

/** The error thrown when data does not decode: each problem with its path. */
export class DataDecodeError extends DecodeError {
  /** Makes the error for data from `source` (the message's prefix, default "pyro.data"). */
  constructor(source: string, problems: readonly DecodeProblem[]) {
    super(source, problems);
    this.name = "DataDecodeError";
  }
}

/** Options of `pyro.data` (and `decodeData`). */
export interface DataOptions {
  /** Names the data in error messages (default "pyro.data"), e.g. `pyro.data(eight_schools.json)`. */
  readonly source?: string;
}

/** `v` with each {@link HostTensor} made a tensor by `ops`. */
function toTensors(ops: Ops, v: unknown): unknown {
  if (v instanceof HostTensor) return ops.fromFlat(v.data, v.shape);
  if (Array.isArray(v)) return v.map((x) => toTensors(ops, x));
  if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toTensors(ops, x)]));
  }
  return v;
}

/**
 * Decodes `value` with `codec`, checks named dims, and makes every decoded
 * tensor a tensor of `ops`; throws {@link DataDecodeError} listing each
 * problem with its path. (`pyro.data` is this function bound to the current
 * backend's ops.)
 *
 * @example
 * ```ts
 * const { y } = decodeData(ops, t.type({ y: codecs.tensor(["N"]) }), { y: [1, 2, 3] });
 * ```
 */
export function decodeData<A>(ops: Ops, codec: t.Decoder<unknown, A>, value: unknown, options: DataOptions = {}): WithTensors<A> {
  const source = options.source ?? "pyro.data";
  const r = codec.decode(value);
  if (r._tag === "Left") throw new DataDecodeError(source, problemsOf(r.left));
  const dims = namedDimProblems(r.right);
  if (dims.length > 0) throw new DataDecodeError(source, dims);
  return toTensors(ops, r.right) as WithTensors<A>;
}
