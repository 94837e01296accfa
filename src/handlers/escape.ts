/**
 * `escape`: leaves a run at a chosen site (Pyro's `poutine.escape`).
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import { describeValue } from "../primitives/validate.js";
import type { RunContext } from "./interpreter.js";
import type { Handler, Message } from "./message.js";
import { wrap } from "./wrap.js";

/**
 * The error an {@link escape}d run throws at the chosen site (Pyro's
 * `NonlocalExit`). It carries the site's message: its name, distribution and
 * plates, with no value (the site was not sampled).
 *
 * @example
 * ```ts
 * try { pyro.run(handlers.escape(model, { escapeFn: (m) => m.name === "z" })()); }
 * catch (e) { if (e instanceof NonlocalExit) console.log(e.site.name); }
 * ```
 */
export class NonlocalExit extends Error {
  /** Makes the exit at the site whose message is `site`. */
  constructor(
    /** The message of the site where the run stopped. */
    readonly site: Message,
  ) {
    super(`escaped the run at sample site '${site.name}'`);
    this.name = "NonlocalExit";
  }
}

/** The error thrown when `escapeFn` is not a function. */
export class EscapeArgumentError extends Error {
  /** Makes the error for the given `escapeFn`. */
  constructor(got: unknown) {
    super(`handlers.escape: options.escapeFn must be a function from a site's message to a boolean, got ${describeValue(got)}`);
    this.name = "EscapeArgumentError";
  }
}

/** Options of {@link escape}. */
export interface EscapeOptions {
  /** Whether to leave the run at this sample site. */
  readonly escapeFn: (msg: Message) => boolean;
}

/**
 * Stops the chosen sample site before it is drawn and throws
 * {@link NonlocalExit} once the handlers inside this one have post-processed it.
 */
export class EscapeHandler implements Handler {
  private escaping: Message | null = null;

  /** Makes the handler for the run `ctx` escaping where `escapeFn` says. */
  constructor(
    private readonly ctx: RunContext,
    private readonly escapeFn: (msg: Message) => boolean,
  ) {}

  /** Marks the chosen site done (not drawn) and hidden from outer handlers. */
  process(msg: Message): void {
    if (msg.type !== "sample" || !this.escapeFn(msg)) return;
    msg.done = true;
    msg.stop = true;
    this.escaping = msg;
  }

  /**
   * Throws the exit. Pyro raises from the message's continuation, after every
   * handler that processed the message has post-processed it; post-processing
   * runs from this handler inwards, so the handlers inside this one are run
   * here first (the throw keeps the stack from running them again).
   */
  postprocess(msg: Message): void {
    if (this.escaping !== msg) return;
    this.escaping = null;
    const { stack } = this.ctx;
    for (let i = stack.indexOf(this) + 1; i < stack.length; i++) stack[i]!.postprocess?.(msg);
    throw new NonlocalExit(msg);
  }
}

/**
 * `model` that throws `NonlocalExit` at the first sample site for which
 * `escapeFn` is true, before drawing it. Handlers outside `escape` do not see
 * that site; a `trace` outside keeps the sites recorded before it (a partial
 * trace, as Pyro's `poutine.queue` uses to extend traces site by site).
 *
 * @example
 * ```ts
 * const upToZ = handlers.escape(model, { escapeFn: (msg) => msg.name === "z" });
 * ```
 */
export function escape<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  options: EscapeOptions,
): Model<Args, R, S>;
/** Data-last `escape`, for `pipe(model, handlers.escape({ escapeFn }))`. */
export function escape(
  options: EscapeOptions,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, S>;
export function escape(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const fn = checkEscapeFn(first);
    return (model: AnyModel) => escapeModel(model, fn);
  }
  return escapeModel(first as AnyModel, checkEscapeFn(second));
}

function checkEscapeFn(options: unknown): (msg: Message) => boolean {
  const fn = (options as EscapeOptions | undefined)?.escapeFn;
  if (typeof fn !== "function") throw new EscapeArgumentError(fn);
  return fn;
}

function escapeModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  escapeFn: (msg: Message) => boolean,
): Model<Args, R, S> {
  return wrap("handlers.escape", model, (ctx) => new EscapeHandler(ctx, escapeFn));
}
