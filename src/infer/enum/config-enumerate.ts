/**
 * `configEnumerate`: marks every enumerable sample site for enumeration
 * (Pyro's `config_enumerate`).
 *
 * @module
 */
import { inferConfig } from "../../handlers/infer-config.js";
import type { InferConfig, Message } from "../../handlers/message.js";
import { isSubsampleSite } from "../../handlers/subsample-dist.js";
import type { AnyModel, Model } from "../../program/gen.js";

/** The error thrown for invalid {@link configEnumerate} options. */
export class ConfigEnumerateError extends Error {
  /** Makes the error for `option`, which should be `expected` but is `got`. */
  constructor(option: string, expected: string, got: unknown) {
    super(`configEnumerate: ${option} must be ${expected}, got ${String(got)}`);
    this.name = "ConfigEnumerateError";
  }
}

/** Options of {@link configEnumerate}. */
export interface ConfigEnumerateOptions {
  /** The enumeration strategy for sites that do not set one (default "parallel"). */
  readonly default?: "parallel" | "sequential";
  /** Expand enumerated values to the full batch shape (default false: size-1 batch dims). */
  readonly expand?: boolean;
}

function configFn(options: ConfigEnumerateOptions = {}): (msg: Message) => InferConfig {
  const strategy = options.default ?? "parallel";
  if (strategy !== "parallel" && strategy !== "sequential") {
    throw new ConfigEnumerateError("default", '"parallel" or "sequential"', strategy);
  }
  const expand = options.expand ?? false;
  if (typeof expand !== "boolean") throw new ConfigEnumerateError("expand", "a boolean", expand);
  return (msg) => {
    if (msg.type !== "sample" || msg.isObserved || msg.fn === null || isSubsampleSite(msg)) return {};
    if (!msg.fn.hasEnumerateSupport) return {};
    return { enumerate: msg.infer.enumerate ?? strategy, expand: msg.infer.expand ?? expand };
  };
}

/**
 * `model` (or guide) with every unobserved sample site whose distribution can
 * enumerate its support marked `infer: { enumerate, expand }` (sites that
 * set their own `enumerate`/`expand` keep them). Continuous sites are left
 * alone.
 *
 * @example
 * ```ts
 * const elbo = new infer.TraceEnumELBO({ maxPlateNesting: 1 });
 * const svi = new infer.SVI(infer.configEnumerate(model), guide, optim.Adam({ lr: 0.05 }), elbo);
 * ```
 */
export function configEnumerate<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options?: ConfigEnumerateOptions,
): Model<Args, R, S>;
/** Data-last `configEnumerate`, for `pipe(model, infer.configEnumerate({ default: "parallel" }))`. */
export function configEnumerate(
  options?: ConfigEnumerateOptions,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function configEnumerate(first?: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const fn = configFn(first as ConfigEnumerateOptions | undefined);
    return (model: AnyModel) => inferConfig(model, { configFn: fn });
  }
  return inferConfig(first as AnyModel, { configFn: configFn(second as ConfigEnumerateOptions | undefined) });
}
