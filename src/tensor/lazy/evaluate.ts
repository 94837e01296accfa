/**
 * Evaluating and substituting terms.
 *
 * `evaluate(env, t, values)` replaces each free variable named in `values`
 * and re-applies every op node to its evaluated arguments: under the eager
 * interpretation (or the one in force, when that is tracing or Monte Carlo)
 * every node whose arguments become known is computed. Shared subterms are
 * evaluated once (the graph is a DAG). Macro nodes (`contract`, `integrate`)
 * are expanded by the rules their modules register. The walk is iterative,
 * so deep terms (long chains) do not overflow the stack.
 *
 * @module
 */
import { eager, type LazyEnv } from "./env.js";
import { apply, setEvaluator } from "./node.js";
import type { LazyTensor } from "./tensor.js";

/** How a macro node (a term that is not one data-level op) is evaluated from its evaluated arguments. */
export type MacroRule = (env: LazyEnv, node: LazyTensor, args: readonly LazyTensor[]) => LazyTensor;

const macros = new Map<string, MacroRule>();

/** Registers the evaluation rule of macro nodes of kind `op` (done once by the module defining them). */
export function registerMacro(op: string, rule: MacroRule): void {
  macros.set(op, rule);
}

/**
 * `t` with the free variables in `values` substituted and every computable
 * node computed.
 *
 * @example
 * ```ts
 * const x = variable(env, "x", []);
 * const y = ops.mul(ops.add(x, 1), 2);          // lazy: x is free
 * ops.item(evaluate(env, y, { x: ops.tensor(3) })); // 8
 * ```
 */
export function evaluate(env: LazyEnv, t: LazyTensor, values: Readonly<Record<string, LazyTensor>> = {}): LazyTensor {
  return evaluateAll(env, [t], values)[0]!;
}

/**
 * {@link evaluate} of several terms at once: subterms they share are
 * evaluated once.
 *
 * @example
 * ```ts
 * const [elbo, surrogate] = evaluateAll(env, [elboTerm, surrogateTerm]);
 * ```
 */
export function evaluateAll(env: LazyEnv, ts: readonly LazyTensor[], values: Readonly<Record<string, LazyTensor>> = {}): LazyTensor[] {
  const memo = new Map<LazyTensor, LazyTensor>();
  const run = (): LazyTensor[] => ts.map((t) => walk(env, t, values, memo));
  return env.interpretation.kind === "lazy" ? env.run(eager, run) : run();
}

function walk(env: LazyEnv, root: LazyTensor, values: Readonly<Record<string, LazyTensor>>, memo: Map<LazyTensor, LazyTensor>): LazyTensor {
  const stack: LazyTensor[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (memo.has(node)) {
      stack.pop();
      continue;
    }
    if (node.op === "var") {
      memo.set(node, values[node.attrs[0] as string] ?? node);
      stack.pop();
      continue;
    }
    if (node.value !== undefined) {
      memo.set(node, node);
      stack.pop();
      continue;
    }
    const pending = node.args.filter((a) => !memo.has(a));
    if (pending.length > 0) {
      for (const a of pending) stack.push(a);
      continue;
    }
    stack.pop();
    const args = node.args.map((a) => memo.get(a)!);
    const macro = macros.get(node.op);
    memo.set(node, macro !== undefined ? macro(env, node, args) : apply(env, node.op, args, node.attrs, node.inputs));
  }
  return memo.get(root)!;
}

setEvaluator((env, t) => evaluate(env, t));
