/**
 * Lazy terms at the level of the op call.
 *
 * Op nodes are data level (named inputs already aligned), which is what
 * evaluation and compilation want — but a lazy node whose argument is later
 * substituted by a term with *other* named inputs (a free variable bound to
 * named samples) must be re-aligned. So a member of the lazy ops that
 * returns an unevaluated term returns a `call` node: the member's name, its
 * argument terms and its other arguments. Evaluating a `call` node calls the
 * member again on the evaluated arguments, which aligns them afresh.
 * Members whose arguments are all known (eager and traced computation)
 * return their data-level result directly and pay nothing for this.
 *
 * @module
 */
import type { Ops } from "../ops.js";
import type { LazyEnv } from "./env.js";
import { registerMacro } from "./evaluate.js";
import { LazyTensor, opTerm } from "./tensor.js";

/** The members of the lazy ops that make terms from terms. */
export const TERM_MEMBERS: readonly string[] = [
  "neg", "exp", "log", "log1p", "expm1", "sqrt", "square", "reciprocal", "abs", "sign", "floor", "ceil", "round",
  "sigmoid", "softplus", "tanh", "sin", "cos", "tan", "atan", "lgamma", "digamma", "erf", "erfinv",
  "isFinite", "isNaN", "logicalNot", "toFloat", "stopGradient",
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr",
  "sum", "mean", "prod", "max", "min", "logsumexp", "all", "any", "clamp", "where", "argmax", "cumsum", "elementwise",
  "reshape", "expand", "squeeze", "unsqueeze", "transpose", "concat", "stack", "slice", "pad",
  "take", "index", "takeAlongAxis", "oneHot", "matmul", "cholesky", "triangularSolve", "diagonal", "diagEmbed", "custom",
];

interface Slot {
  readonly __slot: number;
}

const isSlot = (x: unknown): x is Slot => typeof x === "object" && x !== null && "__slot" in x;

/** The arguments with every term replaced by a slot, and the terms in slot order. */
function template(args: readonly unknown[], terms: LazyTensor[]): unknown[] {
  return args.map((a) => {
    if (a instanceof LazyTensor) { terms.push(a); return { __slot: terms.length - 1 } satisfies Slot; }
    if (Array.isArray(a) && a.some((x) => x instanceof LazyTensor)) return template(a, terms);
    return a;
  });
}

function fill(tpl: readonly unknown[], terms: readonly LazyTensor[]): unknown[] {
  return tpl.map((a) => (isSlot(a) ? terms[a.__slot] : Array.isArray(a) ? fill(a, terms) : a));
}

/** `ops` with every term-making member returning a `call` node when its result is not evaluated. */
export function withCallNodes(ops: Ops<LazyTensor>): void {
  const table = ops as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const member of TERM_MEMBERS) {
    const f = table[member]!;
    // Every member takes at most three arguments: a fixed arity keeps the eager path free of rest arrays.
    table[member] = function (a?: unknown, b?: unknown, c?: unknown): unknown {
      const r = f(a, b, c);
      if (!(r instanceof LazyTensor) || r.value !== undefined || r.op === "var") return r;
      const terms: LazyTensor[] = [];
      const tpl = template([a, b, c].slice(0, arguments.length), terms);
      return opTerm("call", terms, [member, tpl], r.shape, r.inputs, undefined);
    };
  }
}

registerMacro("call", (env: LazyEnv, node, args) => {
  const [member, tpl] = node.attrs as [string, unknown[]];
  const f = (env.ops as unknown as Record<string, (...a: unknown[]) => LazyTensor>)[member]!;
  return f(...fill(tpl, args));
});
