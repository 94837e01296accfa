/**
 * From trace sites to named factors: gives every axis of a site's
 * log-density a name (Pyro's `pack_tensors` / `symbolize_dims`).
 *
 * A positional dim `d` of a site's tensor (counted from the right) is
 * - a plate, when `d ≥ -maxPlateNesting`: the plate in the site's
 *   `condIndepStack` whose dim is `d`;
 * - an enumerated variable, when `d < -maxPlateNesting`: the variable the
 *   enumeration handler recorded for `d` at this site (under `pyro.markov`
 *   the same `d` is a different variable at different sites).
 * Axes of size 1 are dropped.
 *
 * @module
 */
import type { EnumSiteInfo } from "../../handlers/enumerate.js";
import type { TraceNode } from "../../handlers/trace-record.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import type { NamedTensor } from "./named.js";

/** The error thrown when a site's tensor has a dim that is neither a plate nor an enumerated variable in its scope. */
export class EnumFactorError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The site name. */
    readonly site: string,
    message: string,
  ) {
    super(message);
    this.name = "EnumFactorError";
  }
}

/** The names of the vectorized plates around a site (its ordinal). */
export function plateOrdinal(site: TraceNode): Set<string> {
  const out = new Set<string>();
  for (const f of site.condIndepStack) if (f.dim !== null) out.add(f.name);
  return out;
}

/**
 * `tensor` (a batch-shaped tensor of site `site`, e.g. its log-density) with
 * named dims; size-1 axes dropped.
 *
 * @example
 * ```ts
 * // z enumerated at dim -2 inside plate "data" (dim -1): logProb of shape [3, 6]
 * nameSiteTensor(ops, site, site.logProb!, info, 1); // dims ["z", "data"]
 * ```
 */
export function nameSiteTensor(
  ops: Ops,
  site: TraceNode,
  tensor: Tensor,
  info: EnumSiteInfo | undefined,
  maxPlateNesting: number,
): NamedTensor {
  const shape = tensor.shape;
  const rank = shape.length;
  const dims: string[] = [];
  const kept: number[] = [];
  for (let i = 0; i < rank; i++) {
    const size = shape[i]!;
    if (size === 1) continue;
    const d = i - rank;
    let name: string | undefined;
    if (d >= -maxPlateNesting) {
      name = site.condIndepStack.find((f) => f.dim === d)?.name;
      if (name === undefined) {
        throw new EnumFactorError(
          site.name,
          `at site '${site.name}': its log-density has size ${size} at dim ${d}, where no enclosing plate is; ` +
            "enclose the batched tensor in a pyro.plate or .toEvent(...) the distribution",
        );
      }
    } else {
      name = info?.dims.get(d);
      if (name === undefined) {
        throw new EnumFactorError(
          site.name,
          `at site '${site.name}': its log-density has size ${size} at dim ${d}, left of the plates (maxPlateNesting = ` +
            `${maxPlateNesting}), but no enumerated variable in the site's scope holds that dim; a value from an ` +
            "enumerated site out of the site's pyro.markov scope (or an undeclared batch dim) reached it",
        );
      }
    }
    dims.push(name);
    kept.push(size);
  }
  const value = kept.length === rank ? tensor : ops.reshape(tensor, kept);
  return { value, dims };
}
