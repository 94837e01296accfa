/**
 * minipyro: a small, readable reference backend.
 *
 * Like Pyro's `pyro.contrib.minipyro`, this file is a whole probabilistic
 * programming system in a few hundred lines: an interpreter for the
 * `sample`, `param` and `plate` effects, the handlers `trace`, `replay`,
 * `block` and `seed`, a Monte Carlo ELBO, SVI, and Adam. It shares the
 * program representation, the tensor ops, the distributions, the param store
 * class and the optimizer rules with the full backend, and nothing else: its
 * semantics are written here again, on purpose, as the simplest correct
 * version, so tests can check the full `pyro` backend against it.
 *
 * What it leaves out (and throws `NotImplementedError` for): plate
 * subsampling, `deterministic`/`factor`/`subsample`, the other handlers and
 * ELBOs, MCMC.
 *
 * @module
 */
import { tfjsOps } from "../tensor/tfjs/index.js";
import type { Ops } from "../tensor/ops.js";
import { ParamStore } from "../params/param-store.js";
import { Trace } from "../handlers/trace-record.js";
import { makeMessage, type Message } from "../handlers/message.js";
import { SeedHandler, seedKey, type SeedCombinator, type SeedOptions } from "../handlers/seed.js";
import type { BlockOptions } from "../handlers/block.js";
import { blockPredicate } from "../handlers/block.js";
import type { TracedModel } from "../handlers/trace.js";
import { model, type AnyModel, type Model } from "../program/gen.js";
import type { Sites } from "../program/sites.js";
import { scoped, type Effect, type Program, type Scope } from "../program/program.js";
import { runProgram } from "../program/run.js";
import type { PlateScope, SampleEffect, ParamEffect } from "../primitives/effects.js";
import { sample } from "../primitives/sample.js";
import { param } from "../primitives/param.js";
import { plate } from "../primitives/plate.js";
import { PRNGKey, split, type RandomKey } from "../tensor/random/key.js";
import type { Tensor } from "../tensor/types.js";
import { optimFactory } from "../optim/module.js";
import { Adam, ClippedAdam } from "../optim/adam.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Backend } from "./backend.js";
import { NotImplementedError } from "./not-implemented.js";
import { hasAnalyticKL, klDivergence } from "../distributions/kl.js";
import { checkObservation } from "../handlers/interpreter.js";
import { checkFiniteLogProbs } from "../infer/elbo/checks.js";
import { JitStructureError } from "../infer/elbo/jit.js";

const ops: Ops = tfjsOps as unknown as Ops;

// ----------------------------------------------------------------- state
/*
 * Why a state object: Pyro's minipyro keeps its handler stack and param
 * store in module globals. Here the handler stack belongs to each run (see
 * `interpret`), and what outlives a run — the params and the random key — is
 * this one object.
 */
const state = {
  params: new ParamStore({ ops, validateArgs: true }),
  key: PRNGKey(0),
  /** Enters minipyro's environment, so model bodies' `dist`/`ops` resolve to it (set at registration). */
  inEnv: <A>(body: () => A): A => body(),
};

/** Sets how minipyro enters its own backend environment (called by the dispatch layer). */
export function setMinipyroEnvironment(scope: <A>(body: () => A) => A): void {
  state.inEnv = scope;
}

function nextKey(): RandomKey {
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
interface Messenger {
  process?(msg: Message): void;
  postprocess?(msg: Message): void;
}

/** The scope kind minipyro's handlers push. */
interface MiniScope extends Scope {
  readonly type: "minipyro";
  readonly make: () => Messenger;
}

function withMessenger<Args extends readonly unknown[], R, S>(
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

function interpret<A>(program: Program<A, Sites>, key: RandomKey = nextKey()): A {
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
function trace<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>): TracedModel<Args, R, S> {
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
function replay<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>, options: { trace: Trace }) {
  return withMessenger(fn, () => ({
    process(msg: Message) {
      const site = options.trace.nodes.get(msg.name);
      if (msg.type === "sample" && !msg.isObserved && site !== undefined) msg.value = site.value;
    },
  }));
}

/* Why block: to keep some sites (by default all) from outer handlers. */
function block<Args extends readonly unknown[], R, S>(fn: Model<Args, R, S>, options: BlockOptions = {}) {
  const hidden = blockPredicate(options);
  return withMessenger(fn, () => ({
    process(msg: Message) {
      if (hidden(msg)) msg.stop = true;
    },
  }));
}

/* Why seed: reproducible draws; each site gets its own key split off the seed. */
const seed = ((first: unknown, second?: unknown): unknown => {
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

// ------------------------------------------------------------- inference
/*
 * Why this ELBO: with z drawn from the guide q, log p(x, z) − log q(z) is an
 * unbiased estimate of the ELBO. Its gradient is unbiased for reparameterized
 * draws; a draw without rsample also needs the score-function term
 * ∇log q(z) · (learning signal). Elements of a plate are independent, so the
 * signal of element i needs only the log-density terms that element i can
 * affect: each term is summed down to the site's batch shape (dims where the
 * site has size 1 are summed out, dims it shares are kept). That keeps the
 * variance from growing with the size of the plate.
 */
function sumTo(t: Tensor, shape: readonly number[]): Tensor {
  let out = t;
  while (out.shape.length > shape.length) out = ops.sum(out, 0);
  const offset = shape.length - out.shape.length;
  const axes = out.shape.flatMap((d, i) => (shape[i + offset] === 1 && d !== 1 ? [i] : []));
  return axes.length > 0 ? ops.sum(out, { axis: axes, keepdims: true }) : out;
}

function elbo<Args extends readonly unknown[]>(
  modelFn: AnyModel<Args>,
  guide: AnyModel<Args>,
  args: Args,
): { loss: number; surrogate: Tensor } {
  const guideTrace = trace(guide).getTrace(...args);
  const modelTrace = trace(replay(modelFn, { trace: guideTrace })).getTrace(...args);
  for (const tr of [modelTrace, guideTrace]) {
    tr.computeLogProb();
    checkFiniteLogProbs(tr, (t) => ops.item(t));
  }
  const logP = modelTrace.sampleNodes().map((s) => s.logProb!);
  const guideSites = guideTrace.sampleNodes();
  const logQ = guideSites.map((s) => s.logProb!);
  let value: Tensor = ops.tensor(0);
  for (const lp of logP) value = ops.add(value, ops.sum(lp));
  for (const lq of logQ) value = ops.sub(value, ops.sum(lq));
  const costs = [...logP, ...logQ.map((lq) => ops.neg(lq))].map((c) => ops.stopGradient(c));
  let surrogate = value;
  guideSites.forEach((site, i) => {
    if (site.fn!.hasRsample) return;
    const lq = logQ[i]!;
    const signal = costs.reduce<Tensor>((acc, c) => ops.add(acc, sumTo(c, lq.shape)), ops.tensor(0));
    surrogate = ops.add(surrogate, ops.sum(ops.mul(lq, signal)));
  });
  return { loss: -ops.item(value), surrogate: ops.neg(surrogate) };
}

type Loss = typeof elbo;

/** A factory with Pyro's ELBO signature (options are accepted and unused). */
class TraceELBO {
  readonly loss: Loss = elbo;
  constructor(_options: object = {}) {}
}

/*
 * Why a "jit" ELBO: Pyro's minipyro compiles the loss once per argument
 * shapes. Compilation needs a static model; this one checks that the sites
 * are the same on every step, and fails loudly when they are not.
 */
class JitTraceELBO {
  private sites: string | undefined;
  readonly loss: Loss = (m, g, args) => {
    const names = [...trace(g).getTrace(...args).nodes.keys()].join(",");
    if (this.sites !== undefined && this.sites !== names) {
      throw new JitStructureError(`the guide's sites changed from [${this.sites}] to [${names}]`);
    }
    this.sites = names;
    return elbo(m, g, args);
  };
  constructor(_options: object = {}) {}
}

/*
 * Why a mean-field ELBO: when guide and model both give a latent site a
 * distribution with a closed-form KL divergence, −KL(q‖p) replaces the
 * sampled log p − log q of that site, which lowers the gradient's variance.
 */
class TraceMeanFieldELBO {
  readonly loss: Loss = (modelFn, guide, args) => {
    const guideTrace = trace(guide).getTrace(...args);
    const modelTrace = trace(replay(modelFn, { trace: guideTrace })).getTrace(...args);
    let value: Tensor = ops.tensor(0);
    for (const site of modelTrace.nodes.values()) {
      if (site.type !== "sample") continue;
      const q = guideTrace.nodes.get(site.name);
      if (q === undefined || site.isObserved) value = ops.add(value, ops.sum(site.fn!.logProb(site.value!)));
      else if (hasAnalyticKL(q.fn!, site.fn!)) value = ops.sub(value, ops.sum(klDivergence(q.fn!, site.fn!)));
      else value = ops.add(value, ops.sum(ops.sub(site.fn!.logProb(site.value!), q.fn!.logProb(q.value!))));
    }
    return { loss: -ops.item(value), surrogate: ops.neg(value) };
  };
  constructor(_options: object = {}) {}
}

/*
 * Why SVI looks like this: a step differentiates the loss with respect to
 * the unconstrained values of every param the model and guide read. Params
 * are created inside the run, so a step that meets new ones runs again with
 * them as inputs (same random key: the same draws).
 */
class SVI<Args extends readonly unknown[]> {
  private names: string[] = [];
  constructor(
    readonly model: AnyModel<Args>,
    readonly guide: AnyModel<Args>,
    readonly optim: Optimizer,
    readonly loss: { loss: Loss },
  ) {}

  /** Not in minipyro (the full backends have it). */
  run(): never {
    throw new NotImplementedError("minipyro", "infer", "SVI.run");
  }

  /** Not in minipyro (the full backends have it). */
  runAsync(): never {
    throw new NotImplementedError("minipyro", "infer", "SVI.runAsync");
  }

  /** Not in minipyro (the full backends have it). */
  evaluateLoss(): never {
    throw new NotImplementedError("minipyro", "infer", "SVI.evaluateLoss");
  }

  step(...args: Args): number {
    return ops.tidy(() => {
      const key = nextKey();
      for (;;) {
        const seen = new Set<string>();
        let loss = 0;
        const f = (xs: readonly Tensor[]): Tensor => {
          const inputs = new Map(this.names.map((n, i) => [n, xs[i]!]));
          const capture: Messenger = {
            process(msg) {
              if (msg.type !== "param") return;
              seen.add(msg.name);
              const u = inputs.get(msg.name);
              if (u !== undefined) msg.value = state.params.constrainedFrom(msg.name, u);
            },
          };
          const withCapture = <A extends readonly unknown[]>(m: AnyModel<A>) => withMessenger(m, () => capture);
          const saved = state.key;
          state.key = key;
          try {
            const r = this.loss.loss(withCapture(this.model), withCapture(this.guide), args);
            loss = r.loss;
            return r.surrogate;
          } finally {
            state.key = saved;
          }
        };
        const us = this.names.map((n) => state.params.getUnconstrained(n));
        const grads = us.length > 0 ? ops.valueAndGrad(f, us).grads : (f([]), []);
        if ([...seen].every((n) => this.names.includes(n))) {
          const updates = this.optim.step(
            ops,
            new Map(this.names.map((n, i) => [n, { value: us[i]!, grad: grads[i]! }])),
          );
          state.params.setUnconstrained(updates);
          return loss;
        }
        this.names = [...seen];
      }
    });
  }
}

// --------------------------------------------------------------- backend
/** The minipyro backend's modules (distributions and ops come from the `pyro` backend). */
export const minipyroModules = {
  pyro: {
    sample,
    param,
    plate,
    model,
    run: <A>(program: Program<A, Sites>) => interpret(program),
    getParamStore: () => state.params,
    clearParamStore: () => state.params.clear(),
    getParam: (name: string) => state.params.get(name),
    setRngSeed: (s: number) => {
      state.key = PRNGKey(s);
    },
  },
  handlers: { trace, replay, block, seed },
  infer: { SVI, TraceELBO, JitTraceELBO, TraceMeanFieldELBO },
  optim: { Adam: optimFactory(Adam), ClippedAdam: optimFactory(ClippedAdam) },
} as unknown as Pick<Backend, "pyro" | "handlers" | "infer" | "optim">;
