/**
 * Downstream costs of non-reparameterized guide sites (Pyro's
 * `_compute_downstream_costs` over the "dense" dependency graph).
 *
 * The score-function term of a guide site `z` needs, as its weight, only the
 * cost terms that are not conditionally independent of `z`: Pyro's dense
 * graph has an edge from every sample site to every later one, except between
 * sites in different iterations of one sequential plate. The downstream cost
 * of `z` sums `log p − log q` over `z` and its descendants in the guide, plus
 * `log p` of the model sites that follow any of those in the model, each term
 * summed over the plates `z` is not in (vectorized plates Rao–Blackwellize).
 *
 * @module
 */
import type { Trace, TraceNode } from "../../handlers/trace-record.js";
import type { Ops } from "../../tensor/ops.js";
import type { Tensor } from "../../tensor/types.js";
import { MultiFrameTensor } from "./multi-frame.js";

/**
 * Whether `later` may depend on `earlier` in Pyro's dense graph: unless they
 * sit, at the same position of their plate stacks, in different iterations
 * (counters) of one plate.
 */
export function denseDependent(earlier: TraceNode, later: TraceNode): boolean {
  const a = earlier.condIndepStack;
  const b = later.condIndepStack;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]!.name === b[i]!.name && a[i]!.counter !== b[i]!.counter) return false;
  }
  return true;
}

/**
 * For each guide sample site, the names of itself and its descendants in the
 * guide's dense graph (Pyro's `downstream_guide_cost_nodes`).
 */
export function guideDescendants(guideTrace: Trace): Map<string, Set<string>> {
  const sites = guideTrace.sampleNodes();
  const out = new Map<string, Set<string>>();
  for (let i = sites.length - 1; i >= 0; i--) {
    const site = sites[i]!;
    const set = new Set([site.name]);
    for (let j = i + 1; j < sites.length; j++) {
      if (set.has(sites[j]!.name) || !denseDependent(site, sites[j]!)) continue;
      for (const k of out.get(sites[j]!.name)!) set.add(k);
    }
    out.set(site.name, set);
  }
  return out;
}

/**
 * The downstream cost of each site in `sites` (non-reparameterized guide
 * sites), without gradient, batched over the site's own vectorized plates.
 */
export function downstreamCosts(
  ops: Ops,
  modelTrace: Trace,
  guideTrace: Trace,
  sites: readonly TraceNode[],
): Map<string, Tensor> {
  const descendants = guideDescendants(guideTrace);
  const modelSites = modelTrace.sampleNodes();
  const modelIndex = new Map(modelSites.map((s, i) => [s.name, i]));
  const costs = new Map<string, Tensor>();
  for (const site of sites) {
    const nodes = descendants.get(site.name)!;
    const cost = new MultiFrameTensor(ops);
    for (const name of nodes) {
      const g = guideTrace.nodes.get(name)!;
      const m = modelTrace.nodes.get(name);
      // A guide-only (auxiliary) site contributes −log q.
      const term = m === undefined || m.type !== "sample" ? ops.neg(g.logProb!) : ops.sub(m.logProb!, g.logProb!);
      cost.add((m ?? g).condIndepStack, ops.stopGradient(term));
    }
    // Model sites after any of those nodes (their children in the model's dense graph) add log p.
    const anchors = [...nodes].filter((n) => modelIndex.has(n)).map((n) => modelSites[modelIndex.get(n)!]!);
    for (let j = 0; j < modelSites.length; j++) {
      const child = modelSites[j]!;
      if (nodes.has(child.name)) continue;
      if (anchors.some((a) => modelIndex.get(a.name)! < j && denseDependent(a, child))) {
        cost.add(child.condIndepStack, ops.stopGradient(child.logProb!));
      }
    }
    costs.set(site.name, cost.sumTo(site.condIndepStack));
  }
  return costs;
}
