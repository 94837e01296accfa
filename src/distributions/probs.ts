/**
 * The probs/logits parameterisation shared by Bernoulli, Categorical and
 * Binomial: parsing `probs` / `{ probs }` / `{ logits }`, and numerically
 * stable conversions (Pyro's `probs_to_logits`, `logits_to_probs`,
 * `clamp_probs`).
 *
 * @module
 */
import type { Ops } from "../tensor/ops.js";
import type { Shape, Tensor } from "../tensor/types.js";
import type { Constraint } from "./constraint.js";
import { constraints } from "./constraints.js";
import type { DistContext } from "./context.js";
import type { Param } from "./distribution.js";
import { DistributionArgumentError } from "./errors.js";
import { broadcastParams, type ParamSpec } from "./params.js";
import { finfo } from "./util.js";

/** Probabilities or logits, as Pyro's `probs=` / `logits=` keywords (exactly one). */
export type ProbsOrLogits =
  | {
    /** Probabilities (unnormalised weights along the last dim for categorical families). */
    readonly probs: Param;
    /** Not allowed with `probs`. */
    readonly logits?: undefined;
  }
  | {
    /** Log-odds (unnormalised log-probabilities along the last dim for categorical families). */
    readonly logits: Param;
    /** Not allowed with `logits`. */
    readonly probs?: undefined;
  };

/** Whether `x` is a parameter value (tensor, number, boolean, nested array) rather than an options object. */
export function isParam(ops: Ops, x: unknown): x is Param {
  return ops.isTensor(x) || typeof x === "number" || typeof x === "boolean" || Array.isArray(x);
}

/** Probabilities clamped to `[eps, 1 - eps]`, so their logs are finite. */
export function clampProbs(ops: Ops, probs: Tensor): Tensor {
  const { eps } = finfo(ops.dtype);
  return ops.clamp(probs, eps, 1 - eps);
}

/**
 * Logits of probabilities: `log p - log(1 - p)` for a binary distribution,
 * `log p` for a categorical one (of clamped `p`).
 */
export function probsToLogits(ops: Ops, probs: Tensor, binary: boolean): Tensor {
  const p = clampProbs(ops, probs);
  return binary ? ops.sub(ops.log(p), ops.log1p(ops.neg(p))) : ops.log(p);
}

/** Probabilities of logits: `sigmoid` for a binary distribution, `softmax` over the last dim otherwise. */
export function logitsToProbs(ops: Ops, logits: Tensor, binary: boolean): Tensor {
  if (binary) return ops.sigmoid(logits);
  return ops.exp(ops.sub(logits, ops.logsumexp(logits, { axis: -1, keepdims: true })));
}

/** Both parameterisations of a probs/logits family, broadcast with its other parameters. */
export interface ProbsLogitsParams<K extends string> {
  /** Which parameterisation the user gave (kept by `expand`). */
  readonly kind: "probs" | "logits";
  /** Probabilities (normalised over the last dim for a categorical family). */
  readonly probs: Tensor;
  /** Logits (normalised, `log probs`, for a categorical family). */
  readonly logits: Tensor;
  /** The family's other parameters. */
  readonly params: Record<K, Tensor>;
  /** The broadcast batch shape. */
  readonly batchShape: Shape;
}

/**
 * The parameterisation the user gave, and the other one computed only when
 * first read: a Bernoulli given logits never computes its probs unless asked
 * (its log-density needs only the logits — the hot path of logistic regression).
 *
 * A class, not an object literal with getters: each such literal gets
 * accessor closures of its own, so V8 gives each one a hidden class of its
 * own, and those classes outlived the objects (about 1.3 MB promoted to the
 * old generation per minor collection in an SVI loop making a Bernoulli per step).
 */
class LazyProbsLogits<K extends string> implements ProbsLogitsParams<K> {
  private derived: Tensor | undefined;
  constructor(
    readonly kind: "probs" | "logits",
    private readonly given: Tensor,
    private readonly derive: () => Tensor,
    readonly params: Record<K, Tensor>,
    readonly batchShape: Shape,
  ) {}
  private other(): Tensor {
    return (this.derived ??= this.derive());
  }
  get probs(): Tensor {
    return this.kind === "probs" ? this.given : this.other();
  }
  get logits(): Tensor {
    return this.kind === "logits" ? this.given : this.other();
  }
}

/**
 * Parses, validates and broadcasts `arg` (`probs`, `{ probs }` or
 * `{ logits }`) together with the family's `other` parameters, and derives
 * the other parameterisation.
 *
 * @throws DistributionArgumentError when neither or both of probs and logits are given.
 */
export function probsLogitsParams<K extends string>(
  ctx: DistContext, dist: string, arg: Param | ProbsOrLogits, binary: boolean,
  other: Readonly<Record<K, ParamSpec>>,
): ProbsLogitsParams<K> {
  const { ops } = ctx;
  const opts: { probs?: Param; logits?: Param } = isParam(ops, arg) ? { probs: arg } : arg;
  if ((opts.probs === undefined) === (opts.logits === undefined)) {
    throw new DistributionArgumentError(dist, "probs, logits",
      `${dist}: exactly one of probs or logits must be given`);
  }
  const eventDim = binary ? 0 : 1;
  if (opts.probs !== undefined) {
    let p = ops.isTensor(opts.probs) ? opts.probs : ops.tensor(opts.probs);
    // Normalised only when it has the category dim (broadcastParams reports a missing one).
    if (!binary && p.shape.length > 0) p = ops.div(p, ops.sum(p, { axis: -1, keepdims: true }));
    const constraint: Constraint = binary ? constraints.unitInterval : constraints.simplex;
    const all = { ...other, probs: { value: p, constraint, eventDim } } as Record<K | "probs", ParamSpec>;
    const { params, batchShape } = broadcastParams(ctx, dist, all);
    const probs = params.probs;
    return new LazyProbsLogits("probs", probs, () => probsToLogits(ops, probs, binary), params, batchShape);
  }
  const constraint: Constraint = binary ? constraints.real : constraints.realVector;
  const all = { ...other, logits: { value: opts.logits!, constraint, eventDim } } as Record<K | "logits", ParamSpec>;
  const { params, batchShape } = broadcastParams(ctx, dist, all);
  let logits = params.logits;
  if (!binary) logits = ops.sub(logits, ops.logsumexp(logits, { axis: -1, keepdims: true }));
  return new LazyProbsLogits("logits", logits, () => logitsToProbs(ops, logits, binary), params, batchShape);
}
