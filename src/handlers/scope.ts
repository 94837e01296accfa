/**
 * `scope`: prefixes site names (Pyro's `pyro.contrib.autoname.scope`).
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import { describeValue } from "../primitives/validate.js";
import type { Handler, Message } from "./message.js";
import { wrap } from "./wrap.js";

/** The error thrown for a missing or empty prefix, or a non-boolean `inner`. */
export class ScopeArgumentError extends Error {
  /** Makes the error for `option`, which should be `expected` but is `got`. */
  constructor(option: string, expected: string, got: unknown) {
    super(`handlers.scope: options.${option} must be ${expected}, got ${describeValue(got)}`);
    this.name = "ScopeArgumentError";
  }
}

/** Options of {@link scope}. */
export interface ScopeOptions<P extends string = string> {
  /** Prepended to each sample site's name, followed by `/`. */
  readonly prefix: P;
  /**
   * Pyro's switch for where duplicate-name counters go when scopes are used
   * with `name_count`. This library has no name counting, so both settings
   * name sites identically; it is accepted for compatibility.
   */
  readonly inner?: boolean;
}

/** The site record of a model whose sample sites are prefixed by `P/`. */
export type ScopedSites<P extends string, S> = [S] extends [never]
  ? never
  : { readonly [K in keyof S as K extends string ? `${P}/${K}` : never]: S[K] };

/** Renames each sample site `name` to `prefix/name`. */
export class ScopeHandler implements Handler {
  /** Makes the handler prefixing with `prefix`. */
  constructor(private readonly prefix: string) {}

  /** Prefixes the name of a sample site (params keep theirs, as in Pyro). */
  process(msg: Message): void {
    if (msg.type === "sample") msg.name = `${this.prefix}/${msg.name}`;
  }
}

/**
 * `model` with every sample site (including its plates' index sites) named
 * `prefix/name`. Scopes nest, outer prefixes first: `scope(scope(m, { prefix:
 * "a" }), { prefix: "b" })` names site `x` as `b/a/x`. The model's site
 * record is renamed the same way, so `condition` on the scoped model expects
 * the prefixed names.
 *
 * @example
 * ```ts
 * const encoder = handlers.scope(model, { prefix: "enc" });
 * handlers.trace(encoder).getTrace().get("enc/z");
 * ```
 */
export function scope<Args extends readonly unknown[], R, S, const P extends string>(
  model: Model<Args, R, S>,
  options: ScopeOptions<P>,
): Model<Args, R, ScopedSites<P, S>>;
/** Data-last `scope`, for `pipe(model, handlers.scope({ prefix }))`. */
export function scope<const P extends string>(
  options: ScopeOptions<P>,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, ScopedSites<P, S>>;
export function scope(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const prefix = checkPrefix(first);
    return (model: AnyModel) => scopeModel(model, prefix);
  }
  return scopeModel(first as AnyModel, checkPrefix(second));
}

function checkPrefix(options: unknown): string {
  const prefix = (options as ScopeOptions | undefined)?.prefix;
  if (typeof prefix !== "string" || prefix.length === 0) throw new ScopeArgumentError("prefix", "a non-empty string", prefix);
  const inner = (options as ScopeOptions).inner;
  if (inner !== undefined && typeof inner !== "boolean") {
    throw new ScopeArgumentError("inner", "a boolean", inner);
  }
  return prefix;
}

function scopeModel<Args extends readonly unknown[], R, S, P extends string>(
  model: Model<Args, R, S>,
  prefix: P,
): Model<Args, R, ScopedSites<P, S>> {
  return wrap("handlers.scope", model, () => new ScopeHandler(prefix)) as unknown as Model<Args, R, ScopedSites<P, S>>;
}
