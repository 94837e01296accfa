/**
 * `Trace`: the record of one run of a model, site by site, in order.
 *
 * @module
 */
import { DistributionValueError } from "../distributions/errors.js";
import type { Ops } from "../tensor/ops.js";
import type { Tensor } from "../tensor/types.js";
import type { Message, Scale } from "./message.js";
import { isSubsampleSite } from "./subsample-dist.js";

/** The error thrown when one run has two sites with the same name. */
export class DuplicateSiteError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The repeated site name. */
    readonly site: string,
  ) {
    super(`Multiple sample sites named '${site}': site names must be unique within one run of a model`);
    this.name = "DuplicateSiteError";
  }
}

/** The error thrown when a site's log-density is NaN or infinite. */
export class NonFiniteLogProbError extends Error {
  /** Makes the error for site `site` with a description of its distribution. */
  constructor(
    /** The site whose log-density is not finite. */
    readonly site: string,
    detail: string,
  ) {
    super(`log_prob of site '${site}' is not finite: ${detail}`);
    this.name = "NonFiniteLogProbError";
  }
}

/**
 * Runs `score`, the log-density of site `site`; a value outside the support
 * is re-thrown with the site named: "at site 'x': Bernoulli: value must be ...".
 */
function logProbAtSite(site: string, score: () => Tensor): Tensor {
  try {
    return score();
  } catch (e) {
    if (e instanceof DistributionValueError) throw new DistributionValueError(e.distribution, `at site '${site}': ${e.message}`);
    throw e;
  }
}

/** A trace site (a message after the run). */
export type TraceNode = Message;

/** Multiplies `logProb` by `scale` and zeroes it where `mask` is false (Pyro's `scale_and_mask`). */
export function scaleAndMask(ops: Ops, logProb: Tensor, scale: Scale, mask: Tensor | boolean | null): Tensor {
  let out = logProb;
  if (mask === false) out = ops.zerosLike(out);
  else if (mask !== null && mask !== true) out = ops.where(mask, out, 0);
  if (typeof scale !== "number" || scale !== 1) out = ops.mul(out, scale);
  return out;
}

/**
 * The sites of one run, in execution order, with the run's arguments and
 * return value.
 *
 * @example
 * ```ts
 * const tr = handlers.trace(model).getTrace(data);
 * for (const [name, site] of tr.nodes) console.log(name, site.value?.shape);
 * const logJoint = ops.item(tr.logProbSum());
 * ```
 */
export class Trace {
  /** The sites by name, in execution order. */
  readonly nodes = new Map<string, TraceNode>();
  /** The arguments of the run (when known). */
  args: readonly unknown[] = [];
  /** The return value of the run. */
  returnValue: unknown = undefined;

  private sampleCache: TraceNode[] | undefined;

  /** Records a site; two sites with one name are an error. */
  addNode(node: TraceNode): void {
    if (this.nodes.has(node.name)) throw new DuplicateSiteError(node.name);
    this.nodes.set(node.name, node);
    this.sampleCache = undefined;
  }

  /** The site named `name`. */
  get(name: string): TraceNode | undefined {
    return this.nodes.get(name);
  }

  /** Sample sites, excluding plates' subsample sites (do not mutate the array). */
  sampleNodes(): TraceNode[] {
    if (this.sampleCache === undefined) {
      const out: TraceNode[] = [];
      for (const n of this.nodes.values()) if (n.type === "sample" && !isSubsampleSite(n)) out.push(n);
      this.sampleCache = out;
    }
    return this.sampleCache;
  }

  /** Latent (unobserved) sample sites. */
  stochasticNodes(): TraceNode[] {
    return this.sampleNodes().filter((n) => !n.isObserved);
  }

  /** Observed sample sites. */
  observationNodes(): TraceNode[] {
    return this.sampleNodes().filter((n) => n.isObserved);
  }

  /** Latent sample sites whose distribution has no reparameterized sampler. */
  nonreparamStochasticNodes(): TraceNode[] {
    return this.stochasticNodes().filter((n) => !n.fn!.hasRsample);
  }

  /** Param sites. */
  paramNodes(): TraceNode[] {
    return [...this.nodes.values()].filter((n) => n.type === "param");
  }

  /**
   * Computes `logProb`, `unscaledLogProb` and `logProbSum` of every sample
   * site (that passes `filter`) not computed yet.
   */
  computeLogProb(filter: (node: TraceNode) => boolean = () => true): void {
    for (const node of this.sampleNodes()) {
      if (node.logProb !== undefined || !filter(node)) continue;
      const fn = node.fn!;
      const unscaled = logProbAtSite(node.name, () => fn.logProb(node.value!));
      node.unscaledLogProb = unscaled;
      node.logProb = scaleAndMask(fn.ops, unscaled, node.scale, node.mask);
      node.logProbSum = fn.ops.sum(node.logProb);
    }
  }

  /** The sum of the log-densities of all sample sites (that pass `filter`). */
  logProbSum(ops: Ops, filter: (node: TraceNode) => boolean = () => true): Tensor {
    this.computeLogProb(filter);
    let total: Tensor = ops.tensor(0);
    for (const node of this.sampleNodes()) {
      if (filter(node)) total = ops.add(total, node.logProbSum!);
    }
    return total;
  }

  /** A table of the shapes of every site, as Pyro's `Trace.format_shapes`. */
  formatShapes(): string {
    const rows: string[][] = [["Site", "Type", "Batch", "Event", "Value"]];
    for (const node of this.nodes.values()) {
      const value = node.value === null ? "-" : `[${node.value.shape.join(", ")}]`;
      if (node.fn === null) rows.push([node.name, node.type, "", "", value]);
      else {
        rows.push([
          node.name,
          node.isObserved ? "observed" : node.type,
          `[${node.fn.batchShape.join(", ")}]`,
          `[${node.fn.eventShape.join(", ")}]`,
          value,
        ]);
      }
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
  }
}
