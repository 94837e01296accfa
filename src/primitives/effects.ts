/**
 * The effect and scope requests that models make: plain data, interpreted by
 * each backend.
 *
 * @module
 */
import type { Constraint } from "../distributions/constraint.js";
import type { Distribution } from "../distributions/distribution.js";
import type { InferConfig } from "../handlers/message.js";
import type { Effect, Scope } from "../program/program.js";
import type { Shape, Tensor, TensorLike } from "../tensor/types.js";

/** `pyro.sample(name, fn, { obs, infer, sampleShape })`. */
export interface SampleEffect extends Effect {
  /** Discriminant. */
  readonly type: "sample";
  /** The distribution to draw from (or to score `obs` under). */
  readonly fn: Distribution;
  /** Observed data, if any. */
  readonly obs: TensorLike | undefined;
  /** Inference configuration of the site. */
  readonly infer: InferConfig;
  /** Extra leading dims of the draw. */
  readonly sampleShape: Shape;
}

/** `pyro.param(name, init, { constraint, eventDim })`. */
export interface ParamEffect extends Effect {
  /** Discriminant. */
  readonly type: "param";
  /** The initial value (used only when the param store lacks the name). */
  readonly init: TensorLike | (() => TensorLike) | undefined;
  /** The constraint of the param's values. */
  readonly constraint: Constraint | undefined;
  /** How many rightmost dims are one event (plates subsample the rest). */
  readonly eventDim: number | undefined;
}

/** `pyro.deterministic(name, value, { eventDim })`. */
export interface DeterministicEffect extends Effect {
  /** Discriminant. */
  readonly type: "deterministic";
  /** The recorded value. */
  readonly value: TensorLike;
  /** How many rightmost dims are one event. */
  readonly eventDim: number;
}

/** `pyro.factor(name, logFactor)`. */
export interface FactorEffect extends Effect {
  /** Discriminant. */
  readonly type: "factor";
  /** The term added to the log joint. */
  readonly logFactor: TensorLike;
  /** Whether the factor is differentiable in the latent values (reparameterized). */
  readonly hasRsample: boolean | undefined;
}

/** `pyro.subsample(data, { eventDim })`. */
export interface SubsampleEffect extends Effect {
  /** Discriminant. */
  readonly type: "subsample";
  /** The full data, indexed by the enclosing plates' subsample indices. */
  readonly data: Tensor;
  /** How many rightmost dims are one event. */
  readonly eventDim: number;
}

/** Every effect of the standard primitives. */
export type PrimitiveEffect = SampleEffect | ParamEffect | DeterministicEffect | FactorEffect | SubsampleEffect;

/** `pyro.plate(name, size, { dim, subsampleSize, subsample }, body)`. */
export interface PlateScope extends Scope {
  /** Discriminant. */
  readonly type: "plate";
  /** The plate's name (also the name of its subsample site). */
  readonly name: string;
  /** The full size of the plate. */
  readonly size: number;
  /** The number of indices to visit, when subsampling. */
  readonly subsampleSize: number | undefined;
  /** Explicit subsample indices. */
  readonly subsample: TensorLike | undefined;
  /** The batch dim (negative), or `undefined` to allocate the next free one. */
  readonly dim: number | undefined;
}
