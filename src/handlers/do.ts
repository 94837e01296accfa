/**
 * `do`: interventions (Pyro's `poutine.do`).
 *
 * An intervention cuts a site from its causes: the model continues with the
 * given value as if it had been hard-coded, so downstream sites see it and
 * nothing upstream influences it. As in Pyro's `DoMessenger`, the site is
 * split in two: a fresh copy under the original name is sent through the
 * whole handler stack and drawn from the site's distribution (it is what an
 * outer `trace` records; its value does not propagate), while the original
 * message is renamed `name__CF`, set to the intervened value, marked observed
 * and stopped so no outer handler sees it. Composed with `condition`, this
 * expresses counterfactual queries.
 *
 * @module
 */
import type { Model, AnyModel } from "../program/gen.js";
import type { OnlyKnownSites } from "../program/sites.js";
import { describeValue } from "../primitives/validate.js";
import type { TensorLike } from "../tensor/types.js";
import type { SiteValues } from "./condition.js";
import type { RunContext } from "./interpreter.js";
import { makeMessage, type Handler, type Message } from "./message.js";
import { wrap } from "./wrap.js";

/** The suffix Pyro gives the renamed, intervened copy of a site. */
export const COUNTERFACTUAL_SUFFIX = "__CF";

/** The error thrown for intervention data that is not an object of numbers, arrays or tensors. */
export class DoArgumentError extends Error {
  /** Makes the error for `what` (the options or one site's value) given `got`. */
  constructor(what: string, expected: string, got: unknown) {
    super(`handlers.do: ${what} must be ${expected}, got ${describeValue(got)}`);
    this.name = "DoArgumentError";
  }
}

/** Options of {@link intervene}: the intervened values by site name. */
export interface DoOptions<D = Readonly<Record<string, TensorLike>>> {
  /** The value each intervened sample site is fixed to (`undefined`/`null` entries are skipped, as Pyro's `None`). */
  readonly data: D;
}

/** Splits each intervened sample site into a free copy and the fixed, hidden original. */
export class DoHandler implements Handler {
  /** Copies this handler sent, which it must not intervene on again. */
  private readonly copies = new WeakSet<Message>();

  /** Makes the handler intervening with `data` in the run `ctx`. */
  constructor(
    private readonly ctx: RunContext,
    private readonly data: Readonly<Record<string, unknown>>,
  ) {}

  /** Sends the free copy through the stack, then fixes, renames and stops the original. */
  process(msg: Message): void {
    if (msg.type !== "sample" || this.copies.has(msg)) return;
    if (!Object.prototype.hasOwnProperty.call(this.data, msg.name)) return;
    const given = this.data[msg.name];
    if (given === undefined || given === null) return;
    let value;
    try {
      value = this.ctx.runtime.ops.tensor(given as TensorLike);
    } catch {
      throw new DoArgumentError(`the intervention at site '${msg.name}'`, "a number, nested array or tensor", given);
    }
    // The copy starts as the model made the site: handlers inside this one
    // see it again (plates re-add their frames, scales apply once), so reset
    // what they accumulate. Pyro copies the processed message and resets only
    // the plate stack; starting clean also keeps inner scales from applying twice.
    const copy = makeMessage("sample", msg.name, {
      fn: msg.fn,
      value: msg.value,
      isObserved: msg.isObserved,
      done: msg.done,
      infer: { ...msg.infer },
      key: msg.key,
      sampleShape: msg.sampleShape,
    });
    this.copies.add(copy);
    this.ctx.perform(copy);
    msg.name = `${msg.name}${COUNTERFACTUAL_SUFFIX}`;
    msg.value = value;
    msg.isObserved = true;
    msg.stop = true;
  }
}

function checkData(data: unknown): Readonly<Record<string, unknown>> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new DoArgumentError("options.data", "an object of values by site name", data);
  }
  return data as Readonly<Record<string, unknown>>;
}

/**
 * `model` with the sites in `data` intervened on (Pyro's `poutine.do`): the
 * model continues with the given values, while `trace` records the sites
 * under their own names as fresh, unobserved draws from their distributions.
 * Site names and value types are checked against the model's sites. The
 * backend modules expose it as `handlers.do`.
 *
 * @example
 * ```ts
 * const intervened = handlers.do(model, { data: { z: 1 } });
 * const tr = handlers.trace(intervened).getTrace(); // tr.get("z") is a fresh draw; downstream sites saw z = 1
 * ```
 */
export function intervene<Args extends readonly unknown[], R, S, const D>(
  model: Model<Args, R, S>,
  options: DoOptions<D & SiteValues<S> & OnlyKnownSites<D, S>>,
): Model<Args, R, S>;
/** Data-last `do`, for `pipe(model, handlers.do({ data }))`. */
export function intervene<const D extends Readonly<Record<string, TensorLike>>>(
  options: DoOptions<D>,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S> & OnlyKnownSites<D, S>) => Model<Args, R, S>;
export function intervene(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const data = checkData((first as DoOptions | undefined)?.data);
    return (model: AnyModel) => doModel(model, data);
  }
  return doModel(first as AnyModel, checkData((second as DoOptions | undefined)?.data));
}

function doModel<Args extends readonly unknown[], R, S>(
  model: Model<Args, R, S>,
  data: Readonly<Record<string, unknown>>,
): Model<Args, R, S> {
  return wrap("handlers.do", model, (ctx) => new DoHandler(ctx, data));
}
