/**
 * Between a param store's entries and its saved form ({@link ParamStoreState}):
 * encoding reads each unconstrained tensor and constraint; building decodes
 * nothing (the codec did) but makes the tensors and constraints and checks
 * that each param's constrained value is computable and finite, so that a
 * state that would break the store is rejected before anything changes.
 *
 * @module
 */
import { constraintCodecs, type ConstraintCodecRegistry } from "../codecs/constraint.js";
import {
  PARAM_STORE_FORMAT, PARAM_STORE_VERSION, ParamStoreDecodeError, type ParamStoreState, type SavedParam,
} from "../codecs/param-store.js";
import { joinPath, type DecodeProblem } from "../codecs/report.js";
import { flattenNested, nestFlat } from "../codecs/tensor-values.js";
import type { Constraint } from "../distributions/constraint.js";
import { constraints } from "../distributions/constraints.js";
import type { DistContext } from "../distributions/context.js";
import { transformTo } from "../distributions/transforms/index.js";
import type { Tensor } from "../tensor/types.js";

/** One param of a store: the unconstrained tensor, its constraint and event dims. */
export interface ParamEntry {
  /** The unconstrained tensor (what optimizers update). */
  unconstrained: Tensor;
  /** The constraint; the constrained value is `transformTo(constraint)(unconstrained)`. */
  readonly constraint: Constraint;
  /** The event dims given at creation, if any. */
  readonly eventDim: number | undefined;
}

/** The error thrown when a param store cannot be saved (a non-finite value, a constraint with no codec). */
export class ParamStoreEncodeError extends Error {
  /** Makes the error for param `param`. */
  constructor(
    /** The param that cannot be saved. */
    readonly param: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot save param "${param}": ${reason}`, options);
    this.name = "ParamStoreEncodeError";
  }
}

/** The saved form of `entries` (in their order), computed in `ctx`. */
export function encodeParamStore(
  ctx: DistContext,
  entries: ReadonlyMap<string, ParamEntry>,
  registry: ConstraintCodecRegistry = constraintCodecs,
): ParamStoreState {
  const { ops } = ctx;
  const params: Record<string, SavedParam> = {};
  for (const [name, e] of entries) {
    const shape = [...ops.shape(e.unconstrained)];
    const flat = ops.toFlat(e.unconstrained);
    if (!flat.every(Number.isFinite)) {
      throw new ParamStoreEncodeError(name, "its unconstrained value has NaN or infinite entries, which JSON cannot hold");
    }
    let constraint;
    try {
      constraint = registry.encode(e.constraint, ops);
    } catch (err) {
      throw new ParamStoreEncodeError(name, (err as Error).message, { cause: err });
    }
    const saved: SavedParam = { constraint, shape, unconstrained: nestFlat(flat, shape) };
    params[name] = e.eventDim === undefined ? saved : { ...saved, eventDim: e.eventDim };
  }
  return { format: PARAM_STORE_FORMAT, version: PARAM_STORE_VERSION, dtype: ops.dtype, names: [...entries.keys()], params };
}

/**
 * Why building `saved` as param `name` fails, or `undefined` when it works:
 * the constraint needs a transform from the reals, and the constrained value
 * must be finite.
 */
function buildProblem(ctx: DistContext, name: string, constraint: Constraint, u: Tensor): DecodeProblem | undefined {
  if (constraint === constraints.real) return undefined;
  const { ops } = ctx;
  let transform;
  try {
    transform = transformTo(ctx, constraint);
  } catch (err) {
    return { path: joinPath(["params", name, "constraint"]), message: (err as Error).message };
  }
  const rank = transform.domain.eventDim;
  if (u.shape.length < rank) {
    return {
      path: joinPath(["params", name, "shape"]),
      message: `expected at least ${rank} dim(s) for an unconstrained value of ${constraint.name}, got [${u.shape.join(", ")}]`,
    };
  }
  try {
    const finite = ops.tidy(() => ops.item(ops.all(ops.isFinite(transform.forward(u)))));
    if (finite) return undefined;
    return {
      path: joinPath(["params", name, "unconstrained"]),
      message: `maps to a non-finite value under ${constraint.name} in ${ops.dtype}`,
    };
  } catch (err) {
    return { path: joinPath(["params", name, "unconstrained"]), message: `does not fit ${constraint.name}: ${(err as Error).message}` };
  }
}

/**
 * The entries of a decoded state, in `state.names` order, with tensors made
 * (and kept) in `ctx`. Throws {@link ParamStoreDecodeError} (prefixed with
 * `source`) listing every param that does not fit, after disposing what it made.
 */
export function buildParamEntries(
  ctx: DistContext,
  state: ParamStoreState,
  source: string,
  registry: ConstraintCodecRegistry = constraintCodecs,
): Map<string, ParamEntry> {
  const { ops } = ctx;
  const built = new Map<string, ParamEntry>();
  const problems: DecodeProblem[] = [];
  for (const name of state.names) {
    const saved = state.params[name]!;
    const constraint = registry.build(saved.constraint, ops);
    const unconstrained = ops.keep(ops.fromFlat(flattenNested(saved.unconstrained), saved.shape));
    built.set(name, { unconstrained, constraint, eventDim: saved.eventDim });
    const problem = buildProblem(ctx, name, constraint, unconstrained);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) {
    ops.dispose([...built.values()].map((e) => e.unconstrained));
    throw new ParamStoreDecodeError(source, problems);
  }
  return built;
}
