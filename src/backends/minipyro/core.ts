/**
 * minipyro's core: the global state (params and random key), the
 * interpreter of `sample`/`param`/`plate`, and the handlers `trace`,
 * `replay`, `block` and `seed`. See `./index.ts` for what minipyro is.
 *
 * @module
 */
import { tfjsOps } from "../../tensor/tfjs/index.js";
import type { Ops } from "../../tensor/ops.js";
import { ParamStore } from "../../params/param-store.js";
import { Trace } from "../../handlers/trace-record.js";
import { makeMessage, type Message } from "../../handlers/message.js";
import { SeedHandler, seedKey, type SeedCombinator, type SeedOptions } from "../../handlers/seed.js";
import type { BlockOptions } from "../../handlers/block.js";
import { blockPredicate } from "../../handlers/block.js";
import type { TracedModel } from "../../handlers/trace.js";
import { checkObservation } from "../../handlers/interpreter.js";
import type { AnyModel, Model } from "../../program/gen.js";
import type { Sites } from "../../program/sites.js";
import { scoped, type Effect, type Program, type Scope } from "../../program/program.js";
import { runProgram } from "../../program/run.js";
import type { PlateScope, SampleEffect, ParamEffect } from "../../primitives/effects.js";
import { PRNGKey, split, type RandomKey } from "../../tensor/random/key.js";
import { NotImplementedError } from "../not-implemented.js";

/** minipyro computes with the `pyro` backend's tfjs ops. */
export const ops: Ops = tfjsOps as unknown as Ops;

// ----------------------------------------------------------------- state
/*
 * Why a state object: Pyro's minipyro keeps its handler stack and param
 * store in module globals. Here the handler stack belongs to each run (see
 * `interpret`), and what outlives a run — the params and the random key — is
 * this one object.
 */
export const state = {
  params: new ParamStore({ ops, validateArgs: true }),
  key: PRNGKey(0),
  /** Enters minipyro's environment, so model bodies' `dist`/`ops` resolve to it (set at registration). */
  inEnv: <A>(body: () => A): A => body(),
};

/** Sets how minipyro enters its own backend environment (called by the dispatch layer). */
export function setMinipyroEnvironment(scope: <A>(body: () => A) => A): void {
  state.inEnv = scope;
}

/** Splits a fresh key off the global random state. */
export function nextKey(): RandomKey {
  const [next, sub] = split(state.key);
  state.key = next!;
  return sub!;
}

// ------------------------------------------------------------ messengers
/*
 * Why messengers: an effect handler sees every message of the effects that
 * happen inside it. `process` runs innermost-first before a value exists and
 * may set it; `postprocess` runs on the way back out. A messenger that sets
 * `stop` hides the message from the messengers outside it.
 */
export interface Messenger {
  process?(msg: Message): void;
  postprocess?(msg: Message): void;
}

/** The scope kind minipyro's handlers push. */
interface MiniScope extends Scope {
  readonly type: "minipyro";
  readonly make: () => Messenger;
}

/** `fn` run inside the messenger that `make` returns. */
export function withMessenger<Args extends readonly unknown[], R, S>(
  fn: Model<Args, R, S>,
  make: () => Messenger,
): Model<Args, R, S> {
  const scope: MiniScope = { type: "minipyro", make };
  return (...args: Args) => scoped(scope, () => fn(...args));
}

// ----------------------------------------------------------- interpreter
/*
 * Why one function: interpreting a program is walking it and answering each
 * effect. An effect becomes a message that goes through the stack (innermost
 * first), then gets its default value — a draw from its distribution, or the
 * param store's value — and then goes back out through `postprocess`.
 */
function applyStack(stack: Messenger[], msg: Message, nextKey: () => RandomKey): void {
  let pointer = stack.length;
  for (let i = stack.length - 1; i >= 0; i--) {
    pointer = i;
    stack[i]!.process?.(msg);
    if (msg.stop) break;
  }
  if (msg.isObserved) checkObservation(msg);
  else if (msg.value === null) {
    if (msg.type === "sample") {
      const fn = msg.fn!;
      const key = msg.key ?? nextKey();
      msg.value = fn.hasRsample ? fn.rsample(key, msg.sampleShape) : fn.sample(key, msg.sampleShape);
    } else {
      msg.value = state.params.getOrInit(msg.name, msg.init, msg.constraint, msg.eventDim);
    }
  }
  for (let i = pointer; i < stack.length; i++) stack[i]!.postprocess?.(msg);
}

function messageOf(effect: Effect): Message {
  if (effect.type === "sample") {
    const e = effect as SampleEffect;
    const observed = e.obs !== undefined;
    return makeMessage("sample", e.name, {
      fn: e.fn,
      value: observed ? ops.tensor(e.obs!) : null,
      isObserved: observed,
      sampleShape: e.sampleShape,
    });
  }
  if (effect.type === "param") {
    const e = effect as ParamEffect;
    const init = e.init === undefined || typeof e.init === "function" ? (e.init as undefined) : ops.tensor(e.init);
    return makeMessage("param", e.name, { init, constraint: e.constraint, eventDim: e.eventDim });
  }
  throw new NotImplementedError("minipyro", "pyro", effect.type);
}

/*
 * Why plates broadcast: inside `plate(name, size, { dim })`, a site's
 * distribution must have `size` independent elements at `dim`; a
 * distribution with fewer batch dims is expanded to that shape. Without an
 * explicit dim, the plate takes the next dim to the left of the enclosing
 * plates.
 */
function plateMessenger(scope: PlateScope, enclosing: number): Messenger & { readonly dim: number } {
  if (scope.subsampleSize !== undefined || scope.subsample !== undefined) {
    throw new NotImplementedError("minipyro", "pyro", "plate with subsampling");
  }
  const dim = scope.dim ?? -1 - enclosing;
  return {
    dim,
    process(msg) {
      if (msg.type !== "sample") return;
      const batch = [...msg.fn!.batchShape];
      if (batch.length >= -dim && batch[batch.length + dim] === scope.size) return;
      while (batch.length < -dim) batch.unshift(1);
      batch[batch.length + dim] = scope.size;
      msg.fn = msg.fn!.expand(batch);
    },
  };
}

/** Runs `program` with minipyro's semantics (draws keyed off `key`). */
export function interpret<A>(program: Program<A, Sites>, key: RandomKey = nextKey()): A {
  // Draws without a `seed` handler's key come from the run's key (the global random state).
  const stack: Messenger[] = [];
  let runKey = key;
  return state.inEnv(() => walk(program, stack, () => {
    const [next, sub] = split(runKey);
    runKey = next!;
    return sub!;
  }));
}

function walk<A>(program: Program<A, Sites>, stack: Messenger[], runNextKey: () => RandomKey): A {
  let plates = 0;
  return runProgram(program, {
    perform(effect) {
      const msg = messageOf(effect);
      applyStack(stack, msg, runNextKey);
      return msg.value;
    },
    enter(scope) {
      if (scope.type === "plate") {
        stack.push(plateMessenger(scope as PlateScope, plates++));
        return ops.arange((scope as PlateScope).size);
      }
      if (scope.type !== "minipyro") throw new NotImplementedError("minipyro", "handlers", `${scope.type} scopes`);
      stack.push((scope as MiniScope).make());
      return undefined;
    },
    exit(scope) {
      stack.pop();
      if (scope.type === "plate") plates--;
    },
  });
}

// -------------------------------------------------------------- handlers
/*
 * Why trace: inference needs to see what a run did — every site's
 * distribution and value. `trace` copies each message after it is final.
 */
export function trace<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>): TracedModel<Args, R, S> {
  const traced = withMessenger(fn, () => ({})) as TracedModel<Args, R, S>;
  traced.getTrace = (...args: Args) => {
    const tr = new Trace();
    tr.args = args;
    tr.returnValue = interpret(withMessenger(fn, () => ({ postprocess: (msg) => tr.addNode({ ...msg }) }))(...args));
    return tr;
  };
  return traced;
}

/*
 * Why replay: to score a guide's draws under the model, the model must be
 * run with its latent sites set to the guide's values.
 */
export function replay<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>, options: { trace: Trace }) {
  return withMessenger(fn, () => ({
    process(msg: Message) {
      const site = options.trace.nodes.get(msg.name);
      if (msg.type === "sample" && !msg.isObserved && site !== undefined) msg.value = site.value;
    },
  }));
}

/* Why block: to keep some sites (by default all) from outer handlers. */
export function block<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>, options: BlockOptions = {}) {
  const hidden = blockPredicate(options);
  return withMessenger(fn, () => ({
    process(msg: Message) {
      if (hidden(msg)) msg.stop = true;
    },
  }));
}

/* Why seed: reproducible draws; each site gets its own key split off the seed. */
export const seed = ((first: unknown, second?: unknown): unknown => {
  if (typeof first === "function") {
    const key = seedKey(second as SeedOptions);
    return withMessenger(first as AnyModel, () => new SeedHandler(key));
  }
  const s = typeof first === "number" ? first : (first as { rngSeed: number }).rngSeed;
  if (typeof second === "function") {
    const saved = state.key;
    state.key = PRNGKey(s);
    try {
      return (second as () => unknown)();
    } finally {
      state.key = saved;
    }
  }
  return (m: AnyModel) => withMessenger(m, () => new SeedHandler(seedKey(s)));
}) as SeedCombinator;
