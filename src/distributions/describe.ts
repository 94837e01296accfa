/**
 * A one-line description of a distribution and its parameters for error
 * messages: `Normal(loc=0, scale=1)`, `Independent(baseDist=Normal(...))`.
 *
 * @module
 */
import { Distribution } from "./distribution.js";
import { ProbsLogitsDistribution } from "./probs-logits-distribution.js";
import { tensorLabel } from "./validation.js";

/**
 * `Name(param=value, ...)`: the distribution's tensor-valued fields (small
 * tensors by value, larger ones by shape), the probs or logits it was given,
 * and wrapped base distributions, described recursively. Reads tensor data:
 * meant for error paths only.
 *
 * @example
 * ```ts
 * describeDistribution(dist.Normal(0, 1)); // "Normal(loc=0, scale=1)"
 * ```
 */
export function describeDistribution(d: Distribution): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(d)) {
    if (key === "ops") continue;
    if (d.ops.isTensor(value)) parts.push(`${key}=${tensorLabel(d.ops, value)}`);
    else if (value instanceof Distribution) parts.push(`${key}=${describeDistribution(value)}`);
  }
  if (d instanceof ProbsLogitsDistribution) parts.push(`${d.kind}=${tensorLabel(d.ops, d[d.kind])}`);
  return `${d.name}(${parts.join(", ")})`;
}
