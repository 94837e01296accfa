/**
 * Integrals against a measure (funsor's `Integrate`): the one operation
 * whose meaning differs between the eager and the Monte Carlo
 * interpretation.
 *
 * - A **discrete** measure `exp(logDensity)` over named inputs `vars`:
 *   eagerly, `Σ_v exp(logDensity(v)) · f(v)` exactly (a sum-product
 *   contraction); under `monteCarlo`, the measure's normalized version is
 *   sampled (`samples` joint draws by inverse CDF) and
 *   `Z · mean f(v_s)` returned, `Z = Σ exp(logDensity)` — unbiased for the
 *   exact value, differentiable in `f` and in `Z`.
 * - A **sampled** measure over a free real variable: there is no exact
 *   rule (eager throws); under `monteCarlo` the sampler's draws are
 *   substituted for the variable, along a fresh named input, and averaged.
 *
 * Under the lazy interpretation `integrate` builds an `integrate` node; it
 * is evaluated by whichever interpretation evaluates it.
 *
 * @module
 */
import type { RandomKey } from "../random/key.js";
import { uniform } from "../random/streams.js";
import type { TensorLike } from "../types.js";
import { broadcastOp } from "./align.js";
import { contract } from "./contract.js";
import type { LazyEnv } from "./env.js";
import { evaluate, registerMacro } from "./evaluate.js";
import { apply, constant, lift } from "./node.js";
import { reduceNamed, toNamed } from "./named.js";
import { LazyTensorError, opTerm, type LazyTensor } from "./tensor.js";

/** A measure to integrate against. */
export type Measure =
  | {
      /** Discriminant: a finite measure over named inputs. */
      readonly kind: "discrete";
      /** Its log density, over (exactly) the named inputs `vars`. */
      readonly logDensity: TensorLike<LazyTensor>;
      /** The named inputs integrated out. */
      readonly vars: readonly string[];
    }
  | {
      /** Discriminant: a probability measure known by a sampler. */
      readonly kind: "sampler";
      /** The free variable (see `variable`) the integrand depends on. */
      readonly variable: string;
      /** `n` draws, stacked along a new leading positional axis. */
      readonly sample: (key: RandomKey, n: number) => LazyTensor;
    };

const PARTICLE = "__mc";

function exactDiscrete(env: LazyEnv, logq: LazyTensor, f: LazyTensor, vars: readonly string[]): LazyTensor {
  return contract(env, "sum", [apply(env, "exp", [logq], [], logq.inputs), f], vars);
}

function sampledDiscrete(env: LazyEnv, logq: LazyTensor, f: LazyTensor, vars: readonly string[], key: RandomKey, n: number): LazyTensor {
  const names = logq.inputs.map((d) => d.name);
  if (names.length !== vars.length || vars.some((v) => !names.includes(v)) || logq.shape.length > 0) {
    throw new LazyTensorError("integrate", `a discrete measure must be a scalar over exactly [${vars.join(", ")}], got ${logq}`);
  }
  if (f.inputs.some((d) => d.name === PARTICLE)) throw new LazyTensorError("integrate", `the integrand already has the input '${PARTICLE}'`);
  const { base } = env;
  const logZ = reduceNamed(env, logq, "logsumexp", vars);
  const q = base.toFlat(base.exp(base.sub(logq.value!, logZ.value!)));
  const u = uniform(key, n);
  const cdf = new Float64Array(q.length);
  let acc = 0;
  for (let i = 0; i < q.length; i++) cdf[i] = acc += q[i]!;
  const flat = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const target = u[s]! * acc;
    let lo = 0;
    while (lo < q.length - 1 && cdf[lo]! <= target) lo++;
    flat[s] = lo;
  }
  // The integrand over every integrated input, laid out with them first (in the measure's order), flattened.
  const zeros = constant(env, base.zeros(logq.inputs.map((d) => d.size)), logq.inputs);
  const full = broadcastOp(env, "add", [f, zeros]);
  const order = [...logq.inputs.map((d) => full.inputs.findIndex((e) => e.name === d.name))];
  const others = full.inputs.map((_, i) => i).filter((i) => !order.includes(i));
  const k = full.inputs.length;
  const perm = [...order, ...others, ...full.shape.map((_, i) => i + k)];
  const moved = apply(env, "transpose", [full], [perm]);
  const rest = [...others.map((i) => full.inputs[i]!.size), ...full.shape];
  const rows = apply(env, "reshape", [moved], [[q.length, ...rest]]);
  const picked = apply(env, "take", [rows, constant(env, base.fromFlat(flat, [n]))], [0]);
  const named = apply(env, "reshape", [picked], [[n, ...rest]], [{ name: PARTICLE, size: n }, ...others.map((i) => full.inputs[i]!)]);
  const mean = reduceNamed(env, named, "mean", [PARTICLE]);
  return broadcastOp(env, "mul", [mean, apply(env, "exp", [logZ], [], logZ.inputs)]);
}

function sampled(env: LazyEnv, measure: Extract<Measure, { kind: "sampler" }>, f: LazyTensor, key: RandomKey, n: number): LazyTensor {
  const draws = measure.sample(key, n);
  if (draws.shape[0] !== n) throw new LazyTensorError("integrate", `the sampler returned shape [${draws.shape.join(", ")}] for ${n} draws`);
  const named = toNamed(env, draws, [PARTICLE, ...draws.shape.slice(1).map(() => null)]);
  return reduceNamed(env, evaluate(env, f, { [measure.variable]: named }), "mean", [PARTICLE]);
}

function rule(env: LazyEnv, measure: Measure, logq: LazyTensor | undefined, f: LazyTensor, node: LazyTensor): LazyTensor {
  const interp = env.interpretation;
  if (interp.kind === "lazy" || (logq !== undefined && logq.value === undefined)) {
    return opTerm("integrate", logq === undefined ? [f] : [logq, f], [measure], node.shape, node.inputs, undefined);
  }
  if (interp.kind === "monteCarlo") {
    if (measure.kind === "discrete") return sampledDiscrete(env, logq!, f, measure.vars, interp.nextKey(), interp.samples);
    return sampled(env, measure, f, interp.nextKey(), interp.samples);
  }
  if (measure.kind === "discrete") return exactDiscrete(env, logq!, f, measure.vars);
  throw new LazyTensorError("integrate", `a sampled measure has no exact rule under the ${interp.kind} interpretation; evaluate under monteCarlo(key, samples)`);
}

/**
 * `∫ integrand dmeasure` under the interpretation in force (see the module
 * doc): over the integrand's remaining named inputs.
 *
 * @example
 * ```ts
 * const logq = toNamed(env, ops.log(ops.tensor([0.2, 0.8])), ["z"]);
 * const f = toNamed(env, ops.tensor([1, 3]), ["z"]);
 * integrate(env, { kind: "discrete", logDensity: logq, vars: ["z"] }, f);                          // 2.6, exactly
 * env.run(monteCarlo(PRNGKey(0), 1000), () => integrate(env, { kind: "discrete", logDensity: logq, vars: ["z"] }, f)); // ≈ 2.6
 * ```
 */
export function integrate(env: LazyEnv, measure: Measure, integrand: TensorLike<LazyTensor>): LazyTensor {
  const f = lift(env, integrand);
  const logq = measure.kind === "discrete" ? lift(env, measure.logDensity) : undefined;
  const vars = measure.kind === "discrete" ? measure.vars : [];
  const inputs = [...(logq?.inputs ?? []), ...f.inputs].filter((d, i, all) => !vars.includes(d.name) && all.findIndex((e) => e.name === d.name) === i);
  const node = opTerm("integrate", [], [measure], f.shape, inputs, undefined);
  return rule(env, measure, logq, f, node);
}

registerMacro("integrate", (env, node, args) => {
  const measure = node.attrs[0] as Measure;
  return measure.kind === "discrete" ? rule(env, measure, args[0], args[1]!, node) : rule(env, measure, undefined, args[0]!, node);
});
