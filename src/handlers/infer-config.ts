/**
 * `inferConfig`: sets sites' inference configuration (Pyro's `poutine.infer_config`).
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import { describeValue } from "../primitives/validate.js";
import type { Handler, InferConfig, Message } from "./message.js";
import { wrap } from "./wrap.js";

/** The error thrown when `configFn` is not a function or returns something that is not an object. */
export class InferConfigError extends Error {
  /** Makes the error saying `what` was wrong and what was given (`got`). */
  constructor(what: string, got: unknown) {
    super(`handlers.inferConfig: ${what}, got ${describeValue(got)}`);
    this.name = "InferConfigError";
  }
}

/** Options of {@link inferConfig}. */
export interface InferConfigOptions {
  /** The entries to merge into a sample or param site's `infer` (return `{}` to leave a site alone). */
  readonly configFn: (msg: Message) => InferConfig;
}

/** Merges `configFn(msg)` into the `infer` of each sample and param site. */
export class InferConfigHandler implements Handler {
  /** Makes the handler calling `configFn`. */
  constructor(private readonly configFn: (msg: Message) => InferConfig) {}

  /** Merges the site's config (into a fresh object: the old one may belong to a replayed trace). */
  process(msg: Message): void {
    if (msg.type !== "sample" && msg.type !== "param") return;
    const config = this.configFn(msg);
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new InferConfigError(`configFn must return an object of infer entries at site '${msg.name}'`, config);
    }
    msg.infer = { ...msg.infer, ...config };
  }
}

/**
 * `model` with `configFn(site)` merged into the `infer` configuration of
 * every sample and param site (e.g. to enumerate all discrete sites, or to
 * give a guide's sites baselines).
 *
 * @example
 * ```ts
 * const configured = handlers.inferConfig(guide, {
 *   configFn: (site) => (site.type === "sample" ? { baseline: { useDecayingAverageBaseline: true } } : {}),
 * });
 * ```
 */
export function inferConfig<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: InferConfigOptions,
): Model<Args, R, S>;
/** Data-last `inferConfig`, for `pipe(model, handlers.inferConfig({ configFn }))`. */
export function inferConfig(
  options: InferConfigOptions,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function inferConfig(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const fn = checkConfigFn(first);
    return (model: AnyModel) => inferConfigModel(model, fn);
  }
  return inferConfigModel(first as AnyModel, checkConfigFn(second));
}

function checkConfigFn(options: unknown): (msg: Message) => InferConfig {
  const fn = (options as InferConfigOptions | undefined)?.configFn;
  if (typeof fn !== "function") throw new InferConfigError("options.configFn must be a function", fn);
  return fn;
}

function inferConfigModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  configFn: (msg: Message) => InferConfig,
): Model<Args, R, S> {
  return wrap("handlers.inferConfig", model, () => new InferConfigHandler(configFn));
}
