/**
 * `block`: hides sites from the handlers outside it.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { Handler, Message, MessageType } from "./message.js";
import { wrap } from "./wrap.js";

/** Which sites {@link block} hides (Pyro's `block` arguments). */
export interface BlockOptions {
  /** Hide exactly these site names. */
  readonly hide?: readonly string[];
  /** Hide every site but these names. */
  readonly expose?: readonly string[];
  /** Hide sites of these types. */
  readonly hideTypes?: readonly MessageType[];
  /** Hide every site but those of these types. */
  readonly exposeTypes?: readonly MessageType[];
  /** Hide the sites this predicate accepts. */
  readonly hideFn?: (msg: Message) => boolean;
  /** Hide the sites this predicate rejects. */
  readonly exposeFn?: (msg: Message) => boolean;
}

/** A predicate telling which messages {@link block} hides. */
export function blockPredicate(options: BlockOptions = {}): (msg: Message) => boolean {
  const { hide, expose, hideTypes, exposeTypes, hideFn, exposeFn } = options;
  if (hideFn !== undefined) return hideFn;
  if (exposeFn !== undefined) return (msg) => !exposeFn(msg);
  if (hide !== undefined || hideTypes !== undefined) {
    const names = new Set(hide ?? []);
    const types = new Set(hideTypes ?? []);
    return (msg) => names.has(msg.name) || types.has(msg.type);
  }
  if (expose !== undefined || exposeTypes !== undefined) {
    const names = new Set(expose ?? []);
    const types = new Set(exposeTypes ?? []);
    return (msg) => !(names.has(msg.name) || types.has(msg.type));
  }
  return () => true;
}

/** Stops hidden messages from reaching outer handlers. */
export class BlockHandler implements Handler {
  private readonly hidden: (msg: Message) => boolean;

  /** Makes the handler hiding what `options` selects (everything by default). */
  constructor(options: BlockOptions = {}) {
    this.hidden = blockPredicate(options);
  }

  /** Marks hidden messages as stopped. */
  process(msg: Message): void {
    if (this.hidden(msg)) msg.stop = true;
  }
}

/**
 * `model` with the selected sites hidden from outer handlers (all by
 * default), e.g. so an outer `trace` does not record them.
 *
 * @example
 * ```ts
 * const quiet = handlers.block(model, { hide: ["z"] });
 * ```
 */
export function block<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options?: BlockOptions,
): Model<Args, R, S>;
/** Data-last `block`, for `pipe(model, handlers.block(options))`. */
export function block(
  options?: BlockOptions,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function block(first?: unknown, second?: unknown): unknown {
  if (typeof first !== "function") return (model: AnyModel) => blockModel(model, first as BlockOptions);
  return blockModel(first as AnyModel, second as BlockOptions);
}

function blockModel<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, options: BlockOptions = {}): Model<Args, R, S> {
  return wrap("handlers.block", model, () => new BlockHandler(options));
}
