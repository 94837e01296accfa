/**
 * `lift`: turns params into random variables (Pyro's `poutine.lift`).
 *
 * @module
 */
import { Distribution } from "../distributions/distribution.js";
import type { Model, AnyModel } from "../program/gen.js";
import { flatMapProgram, pure, scoped } from "../program/program.js";
import type { JoinSites } from "../program/sites.js";
import { describeValue } from "../primitives/validate.js";
import type { Tensor } from "../tensor/types.js";
import { handlerScope, type RunContext } from "./interpreter.js";
import type { Handler, Message } from "./message.js";
import { checkModel } from "./wrap.js";

/**
 * A prior for lifted params: one distribution for every param, priors by
 * param name (other params stay params), or a function choosing a param's
 * prior (`undefined` keeps it a param).
 */
export type LiftPrior =
  | Distribution
  | Readonly<Record<string, Distribution>>
  | ((msg: Message) => Distribution | undefined);

/** Options of {@link lift}. */
export interface LiftOptions<P extends LiftPrior = LiftPrior> {
  /** The prior of the lifted params. */
  readonly prior: P;
}

/** The error thrown for a prior of the wrong kind, or (with validation on) prior names no param used. */
export class LiftError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(`handlers.lift: ${message}`);
    this.name = "LiftError";
  }
}

/** Replaces param sites by sample sites drawn from their prior. */
export class LiftHandler implements Handler {
  private readonly lifted = new Map<string, Message>();
  /** Names of the prior record that matched a param in this run. */
  readonly hits = new Set<string>();
  /** Names of params the prior record had no entry for. */
  readonly misses = new Set<string>();

  /** Makes the handler lifting with `prior`. */
  constructor(private readonly prior: LiftPrior) {}

  private priorFor(msg: Message): Distribution | undefined {
    const prior = this.prior;
    if (prior instanceof Distribution) return prior;
    if (typeof prior === "function") {
      const d = prior(msg);
      if (d !== undefined && !(d instanceof Distribution)) {
        throw new LiftError(`the prior function returned ${describeValue(d)} for param '${msg.name}', expected a distribution or undefined`);
      }
      return d;
    }
    if (Object.prototype.hasOwnProperty.call(prior, msg.name)) {
      this.hits.add(msg.name);
      return prior[msg.name];
    }
    this.misses.add(msg.name);
    return undefined;
  }

  /**
   * Makes a param site a latent sample site of its prior. A second param
   * statement with the same name in one run reuses the first draw, observed
   * and hidden from outer handlers (Pyro's `_samples_cache`).
   */
  process(msg: Message): void {
    if (msg.type !== "param") return;
    const fn = this.priorFor(msg);
    if (fn === undefined) return;
    msg.type = "sample";
    msg.fn = fn;
    msg.infer = {};
    const first = this.lifted.get(msg.name);
    if (first !== undefined) {
      msg.value = first.value;
      msg.isObserved = true;
      msg.stop = true;
    } else {
      this.lifted.set(msg.name, msg);
      msg.isObserved = false;
    }
  }
}

/** The site record of a model lifted with prior `P`. */
export type LiftedSites<P, S> =
  P extends Distribution
    ? JoinSites<S, Record<string, Tensor>>
    : P extends (...args: never[]) => unknown
      ? JoinSites<S, Record<string, Tensor>>
      : JoinSites<S, { readonly [K in keyof P]: Tensor }>;

function checkPrior(options: unknown): LiftPrior {
  const prior = (options as LiftOptions | undefined)?.prior;
  if (prior instanceof Distribution || typeof prior === "function") return prior;
  if (typeof prior !== "object" || prior === null || Array.isArray(prior)) {
    throw new LiftError(`options.prior must be a distribution, an object of distributions by param name, or a function, got ${describeValue(prior)}`);
  }
  for (const [name, d] of Object.entries(prior)) {
    if (!(d instanceof Distribution)) throw new LiftError(`the prior of param '${name}' must be a distribution, got ${describeValue(d)}`);
  }
  return prior as Readonly<Record<string, Distribution>>;
}

/**
 * `model` with its params replaced by random draws from `prior`, as latent
 * sample sites under the params' names: a distribution lifts every param, an
 * object lifts the params it names, a function picks each param's prior. With
 * validation on, an object naming a param the run never used is an error (a
 * likely typo; Pyro warns). Lifted names join the model's site record.
 *
 * @example
 * ```ts
 * const bayesian = handlers.lift(regression, { prior: { weight: dist.Normal(0, 1), bias: dist.Normal(0, 10) } });
 * const tr = handlers.trace(bayesian).getTrace(x); // "weight" and "bias" are sample sites
 * ```
 */
export function lift<Args extends readonly unknown[], R, S, const P extends LiftPrior>(
  model: Model<Args, R, S>,
  options: LiftOptions<P>,
): Model<Args, R, LiftedSites<P, S>>;
/** Data-last `lift`, for `pipe(model, handlers.lift({ prior }))`. */
export function lift<const P extends LiftPrior>(
  options: LiftOptions<P>,
): <Args extends readonly unknown[], R, S>(model: Model<Args, R, S>) => Model<Args, R, LiftedSites<P, S>>;
export function lift(first: unknown, second?: unknown): unknown {
  if (typeof first !== "function") {
    const prior = checkPrior(first);
    return (model: AnyModel) => liftModel(model, prior);
  }
  return liftModel(first as AnyModel, checkPrior(second));
}

function liftModel<Args extends readonly unknown[], R, S>(model: Model<Args, R, S>, prior: LiftPrior): AnyModel<Args> {
  checkModel("handlers.lift", model);
  // The handlers of the runs in progress (a stack, so nested runs stay apart):
  // after the body returns, the innermost one checks the prior's names.
  const active: { handler: LiftHandler; ctx: RunContext }[] = [];
  const scope = handlerScope((ctx) => {
    const handler = new LiftHandler(prior);
    active.push({ handler, ctx });
    return { process: (msg) => handler.process(msg), exit: () => void active.pop() };
  });
  const checkNames = (): void => {
    const top = active[active.length - 1];
    if (top === undefined || prior instanceof Distribution || typeof prior === "function") return;
    if (!top.ctx.runtime.settings.validateArgs) return;
    const unused = Object.keys(prior).filter((n) => !top.handler.hits.has(n));
    if (unused.length > 0) {
      const seen = [...top.handler.misses];
      throw new LiftError(
        `the prior names param(s) ${unused.map((n) => `'${n}'`).join(", ")} that the model never used` +
          (seen.length > 0 ? `; its params are ${seen.map((n) => `'${n}'`).join(", ")}` : "; it used no other params"),
      );
    }
  };
  return (...args: Args) =>
    scoped(scope, () =>
      flatMapProgram(model(...args), (r) => {
        checkNames();
        return pure(r);
      }),
    );
}
