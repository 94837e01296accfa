/**
 * A one-line description of a distribution and its parameters for error
 * messages: `Normal(loc=0, scale=1)`, `Independent(baseDist=Normal(...))`.
 *
 * @module
 */
import { Distribution } from "./distribution.js";
import { tensorLabel } from "./validation.js";

/** Parameterisations that families store privately and expose by getter. */
const PARAMETERISATIONS = new Set(["probs", "logits"]);

/**
 * `Name(param=value, ...)`: the distribution's tensor-valued fields (small
 * tensors by value, larger ones by shape), its probs/logits parameterisation,
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
  const kind = (d as unknown as { kind?: unknown }).kind;
  if (typeof kind === "string" && PARAMETERISATIONS.has(kind)) {
    const value = (d as unknown as Record<string, unknown>)[kind];
    if (d.ops.isTensor(value)) parts.push(`${kind}=${tensorLabel(d.ops, value)}`);
  }
  return `${d.name}(${parts.join(", ")})`;
}
