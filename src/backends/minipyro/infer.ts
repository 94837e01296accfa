/**
 * minipyro's inference: a Monte Carlo ELBO (with score-function terms for
 * draws without `rsample`), its "jit" and mean-field variants, and SVI.
 *
 * @module
 */
import type { AnyModel } from "../../program/gen.js";
import type { Tensor } from "../../tensor/types.js";
import type { Optimizer } from "../../optim/optimizer.js";
import { hasAnalyticKL, klDivergence } from "../../distributions/kl.js";
import { checkFiniteLogProbs } from "../../infer/elbo/checks.js";
import { JitStructureError } from "../../infer/elbo/jit.js";
import { NotImplementedError } from "../not-implemented.js";
import { nextKey, ops, replay, state, trace, withMessenger, type Messenger } from "./core.js";

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
/** minipyro's `TraceELBO` (options are accepted and unused). */
export class TraceELBO {
  readonly loss: Loss = elbo;
  constructor(_options: object = {}) {}
}

/*
 * Why a "jit" ELBO: Pyro's minipyro compiles the loss once per argument
 * shapes. Compilation needs a static model; this one checks that the sites
 * are the same on every step, and fails loudly when they are not.
 */
/** minipyro's `JitTraceELBO`: the ELBO, checking the guide's sites stay the same. */
export class JitTraceELBO {
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
/** minipyro's `TraceMeanFieldELBO`: analytic KL where both sides allow it. */
export class TraceMeanFieldELBO {
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
/** minipyro's SVI: `step` only. */
export class SVI<Args extends readonly unknown[]> {
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
