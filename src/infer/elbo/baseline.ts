/**
 * Baselines for score-function gradients (Pyro's `TraceGraph_ELBO` baseline
 * options), given per guide site as
 * `infer: { baseline: { useDecayingAverageBaseline, baselineBeta, baselineValue } }`.
 *
 * A baseline `b` is subtracted from a site's downstream cost before it weights
 * the score function `∇ log q(z)`; the gradient stays unbiased as long as `b`
 * does not depend on `z`. The decaying average of the site's past downstream
 * costs is one such `b`; `baselineValue` is a user-computed one (trained by
 * the extra loss `(cost − b)²`).
 *
 * @module
 */
import type { TraceNode } from "../../handlers/trace-record.js";
import { describeValue } from "../../primitives/validate.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { PARTICLES_PLATE } from "./vectorize.js";

/** The error thrown for unknown, unsupported or ill-typed baseline options. */
export class BaselineOptionError extends Error {
  /** Makes the error for guide site `site`. */
  constructor(
    /** The guide site. */
    readonly site: string,
    message: string,
  ) {
    super(`TraceGraphELBO: baseline of guide site '${site}': ${message}`);
    this.name = "BaselineOptionError";
  }
}

/** A site's baseline options (Pyro's `infer["baseline"]`, camelCased). */
export interface BaselineOptions {
  /** Subtract the decaying average of past downstream costs. */
  readonly useDecayingAverageBaseline: boolean;
  /** The decay `β` of that average, in [0, 1) (default 0.9). */
  readonly baselineBeta: number;
  /** A baseline the user computes (e.g. from params), or `undefined`. */
  readonly baselineValue: Tensor | undefined;
}

const KNOWN = new Set(["useDecayingAverageBaseline", "baselineBeta", "baselineValue", "nnBaseline", "nnBaselineInput"]);

/** Reads and checks the baseline options of guide site `site`. */
export function baselineOptions(ops: Ops, site: TraceNode): BaselineOptions {
  const raw = site.infer.baseline;
  if (raw === undefined) return { useDecayingAverageBaseline: false, baselineBeta: 0.9, baselineValue: undefined };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new BaselineOptionError(site.name, `infer.baseline must be an object of options, got ${describeValue(raw)}`);
  }
  const options = raw as Record<string, unknown>;
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new BaselineOptionError(site.name, `unrecognized option(s) ${unknown.join(", ")}; known: ${[...KNOWN].join(", ")}`);
  }
  if (options.nnBaseline !== undefined || options.nnBaselineInput !== undefined) {
    throw new BaselineOptionError(
      site.name,
      "neural baselines (nnBaseline) are not supported; compute a baseline from params and pass it as baselineValue",
    );
  }
  const use = options.useDecayingAverageBaseline ?? false;
  if (typeof use !== "boolean") throw new BaselineOptionError(site.name, `useDecayingAverageBaseline must be a boolean, got ${describeValue(use)}`);
  const beta = options.baselineBeta ?? 0.9;
  if (typeof beta !== "number" || !(beta >= 0 && beta < 1)) {
    throw new BaselineOptionError(site.name, `baselineBeta must be a number in [0, 1), got ${describeValue(beta)}`);
  }
  const value = options.baselineValue;
  if (value !== undefined && typeof value !== "number" && !ops.isTensor(value)) {
    throw new BaselineOptionError(site.name, `baselineValue must be a number or tensor, got ${describeValue(value)}`);
  }
  return { useDecayingAverageBaseline: use, baselineBeta: beta, baselineValue: value === undefined ? undefined : ops.tensor(value as number | Tensor) };
}

/** A stored average: float64 values and their shape (tensors do not outlive a step's `tidy`). */
interface Average {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/**
 * The decaying averages of downstream costs, one per guide site, as explicit
 * state. An estimate works on a copy of the committed averages; the copy is
 * committed when the next step begins, so re-evaluations of one step (same
 * `step` token) all start from the same averages.
 */
export class DecayingAverages {
  private committed = new Map<string, Average>();
  private working = new Map<string, Average>();
  private pending: Map<string, Average> | undefined;
  private lastStep: unknown = undefined;
  private hasLastStep = false;

  /** Starts an estimate for optimisation step `step` (`undefined`: a new step). */
  begin(step: unknown): void {
    const sameStep = step !== undefined && this.hasLastStep && step === this.lastStep;
    if (!sameStep && this.pending !== undefined) this.committed = this.pending;
    this.pending = undefined;
    this.lastStep = step;
    this.hasLastStep = step !== undefined;
    this.working = new Map(this.committed);
  }

  /** Ends an estimate: its updates become the pending state. */
  end(): void {
    this.pending = this.working;
  }

  /** The current averages, by site name, as plain arrays (for inspection). */
  snapshot(): Map<string, { shape: readonly number[]; values: number[] }> {
    const source = this.pending ?? this.committed;
    return new Map([...source].map(([k, v]) => [k, { shape: v.shape, values: Array.from(v.values) }]));
  }

  /**
   * The baseline of `site` (the average before this cost: independent of the
   * current draw), and the average updated with `cost` as `β·avg + (1−β)·cost`.
   * Vectorized particles share one average: it is updated with their mean.
   */
  baseline(ops: Ops, site: TraceNode, cost: Tensor, beta: number): Tensor {
    let c = ops.stopGradient(cost);
    const particles = site.condIndepStack.find((f) => f.name === PARTICLES_PLATE && f.dim !== null);
    if (particles !== undefined) {
      const axis = c.shape.length + particles.dim!;
      if (axis >= 0 && c.shape[axis] !== 1) c = ops.mean(c, { axis, keepdims: true });
    }
    const shape = c.shape;
    const size = shape.reduce((a, b) => a * b, 1);
    const prev = this.working.get(site.name);
    if (prev !== undefined && (prev.shape.length !== shape.length || prev.shape.some((d, i) => d !== shape[i]))) {
      throw new BaselineOptionError(
        site.name,
        `the downstream cost changed shape from [${prev.shape.join(", ")}] to [${shape.join(", ")}]; a decaying-average baseline needs a fixed shape`,
      );
    }
    const old = prev?.values ?? new Float64Array(size);
    const now = ops.toFlat(c);
    const next = new Float64Array(size);
    for (let i = 0; i < size; i++) next[i] = beta * old[i]! + (1 - beta) * now[i]!;
    this.working.set(site.name, { shape: [...shape], values: next });
    return ops.fromFlat(old, shape);
  }
}
