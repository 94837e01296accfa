/**
 * The full interpreter: Pyro's semantics for the standard primitives.
 *
 * It turns each effect request into a {@link Message}, sends it through the
 * run's handler stack ({@link applyStack}) and answers with the message's
 * value. Scopes become handlers pushed for the duration of their body: a
 * `plate` scope becomes a {@link PlateHandler}, a `handler` scope (made by the
 * handler combinators) becomes the handler it makes.
 *
 * @module
 */
import { Delta, Unit } from "../distributions/index.js";
import { trustInSupport } from "../distributions/validation.js";
import type { DeterministicEffect, FactorEffect, PlateScope, PrimitiveEffect } from "../primitives/effects.js";
import type { Effect, Program, Scope } from "../program/program.js";
import { runProgram } from "../program/run.js";
import type { Sites } from "../program/sites.js";
import { PRNGKey, split, type RandomKey } from "../tensor/random/key.js";
import { formatShape, tryBroadcastShapes } from "../tensor/shape.js";
import { PlateDims } from "./dims.js";
import { applyStack, makeMessage, type Handler, type Message } from "./message.js";
import { PlateHandler } from "./plate.js";
import type { Runtime } from "./runtime.js";

/** What handlers may use during one run. */
export interface RunContext {
  /** The backend runtime (ops, param store, settings). */
  readonly runtime: Runtime;
  /** The run's handler stack, outermost first. */
  readonly stack: Handler[];
  /** The run's plate dim allocation. */
  readonly dims: PlateDims;
  /** Sends a message through the current stack and the default behaviour. */
  perform(msg: Message): void;
}

/** A scope that pushes the handler `make` returns (what handler combinators build). */
export interface HandlerScope extends Scope {
  /** Discriminant. */
  readonly type: "handler";
  /** Makes the handler for one run. */
  readonly make: (ctx: RunContext) => Handler;
}

/** A scope pushing the handler that `make` returns. */
export function handlerScope(make: (ctx: RunContext) => Handler): HandlerScope {
  return { type: "handler", make };
}

/** The error thrown when an observed value does not fit its distribution's shape. */
export class ObservationShapeError extends Error {
  /** Makes the error for site `site`. */
  constructor(
    /** The site name. */
    readonly site: string,
    message: string,
  ) {
    super(message);
    this.name = "ObservationShapeError";
  }
}

/** The error thrown when an interpreter meets an effect or scope it does not know. */
export class UnknownEffectError extends Error {
  /** Makes the error for the effect or scope kind `kind`. */
  constructor(backend: string, kind: string) {
    super(`the ${backend} interpreter cannot interpret the effect or scope "${kind}"`);
    this.name = "UnknownEffectError";
  }
}

function defaultProcess(runtime: Runtime, msg: Message, nextKey: () => RandomKey): void {
  if (msg.done || msg.isObserved || msg.value !== null) {
    if (msg.isObserved && msg.type === "sample" && runtime.settings.validateArgs) checkObservation(msg);
    msg.done = true;
    return;
  }
  if (msg.type === "sample") {
    const fn = msg.fn!;
    // Without a seed handler's key, draw from the run's own key: like Pyro's
    // global random state, it is not a handler, so `block` cannot hide it.
    const key = msg.key ?? nextKey();
    msg.value = fn.hasRsample ? fn.rsample(key, msg.sampleShape) : fn.sample(key, msg.sampleShape);
    if (runtime.settings.validateArgs) trustInSupport(msg.value, fn.support);
  } else if (msg.type === "param") {
    msg.value = runtime.paramStore.getOrInit(msg.name, msg.init, msg.constraint, msg.eventDim);
  }
  msg.done = true;
}

/** Throws {@link ObservationShapeError} unless the observed value of sample message `msg` fits its distribution's shape. */
export function checkObservation(msg: Message): void {
  const fn = msg.fn!;
  const value = msg.value!;
  const expected = fn.shape(msg.sampleShape);
  const event = fn.eventShape.length;
  const valueEvent = value.shape.slice(value.shape.length - event);
  const fits =
    value.shape.length >= event &&
    valueEvent.every((d, i) => d === fn.eventShape[i]) &&
    tryBroadcastShapes(value.shape, expected) !== undefined;
  if (!fits) {
    throw new ObservationShapeError(
      msg.name,
      `at site '${msg.name}': observed value of shape ${formatShape(value.shape)} does not broadcast with ` +
        `${fn.name} of batch shape ${formatShape(fn.batchShape)} and event shape ${formatShape(fn.eventShape)}`,
    );
  }
}

function messageOf(runtime: Runtime, effect: PrimitiveEffect): Message {
  const { ops } = runtime;
  switch (effect.type) {
    case "sample": {
      const observed = effect.obs !== undefined;
      return makeMessage("sample", effect.name, {
        fn: effect.fn,
        value: observed ? ops.tensor(effect.obs!) : null,
        isObserved: observed,
        infer: { ...effect.infer },
        sampleShape: effect.sampleShape,
      });
    }
    case "param":
      return makeMessage("param", effect.name, {
        init: effect.init === undefined || typeof effect.init === "function"
          ? (effect.init as (() => never) | undefined)
          : ops.tensor(effect.init),
        constraint: effect.constraint,
        eventDim: effect.eventDim,
      });
    case "deterministic":
      return deterministicMessage(runtime, effect);
    case "factor":
      return factorMessage(runtime, effect);
    case "subsample":
      return makeMessage("subsample", effect.name, { value: effect.data, eventDim: effect.eventDim });
  }
}

function deterministicMessage(runtime: Runtime, effect: DeterministicEffect): Message {
  const value = runtime.ops.tensor(effect.value);
  const fn = new Delta(runtime.distCtx, value, { eventDim: effect.eventDim });
  return makeMessage("sample", effect.name, { fn, value, isObserved: true, infer: { _deterministic: true } });
}

/** `Unit` draws are empty and need no randomness; any key will do. */
const UNIT_KEY = PRNGKey(0);

function factorMessage(runtime: Runtime, effect: FactorEffect): Message {
  const fn = new Unit(runtime.distCtx, effect.logFactor, { hasRsample: effect.hasRsample });
  const value = fn.sample(UNIT_KEY);
  return makeMessage("sample", effect.name, { fn, value, isObserved: true, infer: { isAuxiliary: true } });
}

/** How the full interpreter turns a scope of one kind into the handler it pushes. */
export type ScopeKind = (ctx: RunContext, scope: Scope) => Handler;

const scopeKinds = new Map<string, ScopeKind>([
  ["plate", (ctx, scope) => new PlateHandler(ctx, scope as PlateScope)],
  ["handler", (ctx, scope) => (scope as HandlerScope).make(ctx)],
]);

/**
 * Teaches the full interpreter a new kind of scope (e.g. `markov`): scopes
 * of `type` push the handler `make` returns. Throws if the kind exists.
 */
export function registerScopeKind(type: string, make: ScopeKind): void {
  if (scopeKinds.has(type)) throw new Error(`registerScopeKind: the scope kind "${type}" is already registered`);
  scopeKinds.set(type, make);
}

/**
 * Runs `program` with the full interpreter of `runtime`, drawing random
 * values from `key`.
 */
export function interpret<A>(runtime: Runtime, program: Program<A, Sites>, key: RandomKey): A {
  const stack: Handler[] = [];
  let runKey = key;
  const nextKey = (): RandomKey => {
    const [next, sub] = split(runKey);
    runKey = next!;
    return sub!;
  };
  const process = (msg: Message) => defaultProcess(runtime, msg, nextKey);
  const ctx: RunContext = {
    runtime,
    stack,
    dims: new PlateDims(),
    perform: (msg) => applyStack(stack, msg, process),
  };
  return runProgram(program, {
    perform(effect: Effect): unknown {
      const msg = messageOf(runtime, effect as PrimitiveEffect);
      if (msg === undefined) throw new UnknownEffectError(runtime.name, effect.type);
      ctx.perform(msg);
      return effect.type === "factor" ? undefined : msg.value;
    },
    enter(scope: Scope): unknown {
      const make = scopeKinds.get(scope.type);
      if (make === undefined) throw new UnknownEffectError(runtime.name, scope.type);
      const handler = make(ctx, scope);
      const entered = handler.enter?.();
      stack.push(handler);
      return entered;
    },
    exit(): void {
      stack.pop()!.exit?.();
    },
  });
}
