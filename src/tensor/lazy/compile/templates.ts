/**
 * Expression templates of compiled elementwise code: each elementwise op's
 * value, and the contribution of its cotangent to each argument's, as
 * JavaScript source. `a`, `b`, `c` are the arguments' element expressions,
 * `y` the result's, `g` the result's cotangent; helpers are on `K`
 * (`kernels.ts`). The formulas are the float64 ndarray ops' own.
 *
 * @module
 */

/** A value template: argument expressions and static attributes to an expression. */
export type ValueTemplate = (args: readonly string[], attrs: readonly unknown[]) => string;

/** A cotangent template for argument `pos`: `undefined` when the op has no gradient there. */
export type GradTemplate = (g: string, y: string, args: readonly string[], attrs: readonly unknown[], pos: number) => string | undefined;

const u = (f: (a: string) => string): ValueTemplate => (args) => f(args[0]!);
const b = (f: (a: string, b: string) => string): ValueTemplate => (args) => f(args[0]!, args[1]!);
const num = (x: unknown): string => {
  const v = x as number;
  return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : `(${String(v)})`;
};

/** Forward templates of the elementwise ops. */
export const VALUE: Readonly<Record<string, ValueTemplate>> = {
  neg: u((a) => `(-${a})`),
  exp: u((a) => `Math.exp(${a})`),
  log: u((a) => `Math.log(${a})`),
  log1p: u((a) => `Math.log1p(${a})`),
  expm1: u((a) => `Math.expm1(${a})`),
  sqrt: u((a) => `Math.sqrt(${a})`),
  square: u((a) => `(${a} * ${a})`),
  reciprocal: u((a) => `(1 / ${a})`),
  abs: u((a) => `Math.abs(${a})`),
  sign: u((a) => `Math.sign(${a})`),
  floor: u((a) => `Math.floor(${a})`),
  ceil: u((a) => `Math.ceil(${a})`),
  round: u((a) => `K.round(${a})`),
  sigmoid: u((a) => `K.sigmoid(${a})`),
  softplus: u((a) => `K.softplus(${a})`),
  tanh: u((a) => `Math.tanh(${a})`),
  sin: u((a) => `Math.sin(${a})`),
  cos: u((a) => `Math.cos(${a})`),
  tan: u((a) => `Math.tan(${a})`),
  atan: u((a) => `Math.atan(${a})`),
  lgamma: u((a) => `K.lgamma(${a})`),
  digamma: u((a) => `K.digamma(${a})`),
  erf: u((a) => `K.erf(${a})`),
  erfinv: u((a) => `K.erfinv(${a})`),
  isFinite: u((a) => `(Number.isFinite(${a}) ? 1 : 0)`),
  isNaN: u((a) => `(${a} !== ${a} ? 1 : 0)`),
  logicalNot: u((a) => `(${a} === 0 ? 1 : 0)`),
  toFloat: u((a) => a),
  stopGradient: u((a) => a),
  clamp: (args, attrs) => `(${args[0]} < ${num(attrs[0])} ? ${num(attrs[0])} : ${args[0]} > ${num(attrs[1])} ? ${num(attrs[1])} : ${args[0]})`,
  add: b((x, y) => `(${x} + ${y})`),
  sub: b((x, y) => `(${x} - ${y})`),
  mul: b((x, y) => `(${x} * ${y})`),
  div: b((x, y) => `(${x} / ${y})`),
  pow: b((x, y) => `Math.pow(${x}, ${y})`),
  maximum: b((x, y) => `Math.max(${x}, ${y})`),
  minimum: b((x, y) => `Math.min(${x}, ${y})`),
  eq: b((x, y) => `(${x} === ${y} ? 1 : 0)`),
  ne: b((x, y) => `(${x} !== ${y} ? 1 : 0)`),
  lt: b((x, y) => `(${x} < ${y} ? 1 : 0)`),
  le: b((x, y) => `(${x} <= ${y} ? 1 : 0)`),
  gt: b((x, y) => `(${x} > ${y} ? 1 : 0)`),
  ge: b((x, y) => `(${x} >= ${y} ? 1 : 0)`),
  logicalAnd: b((x, y) => `(${x} !== 0 && ${y} !== 0 ? 1 : 0)`),
  logicalOr: b((x, y) => `(${x} !== 0 || ${y} !== 0 ? 1 : 0)`),
  where: (args) => `(${args[0]} !== 0 ? ${args[1]} : ${args[2]})`,
};

const only0 = (f: (g: string, y: string, a: string, attrs: readonly unknown[]) => string): GradTemplate =>
  (g, y, args, attrs, pos) => (pos === 0 ? f(g, y, args[0]!, attrs) : undefined);

/** Cotangent templates of the differentiable elementwise ops. */
export const GRAD: Readonly<Record<string, GradTemplate>> = {
  neg: only0((g) => `(-${g})`),
  exp: only0((g, y) => `(${g} * ${y})`),
  log: only0((g, _y, a) => `(${g} / ${a})`),
  log1p: only0((g, _y, a) => `(${g} / (1 + ${a}))`),
  expm1: only0((g, y) => `(${g} * (${y} + 1))`),
  sqrt: only0((g, y) => `((0.5 * ${g}) / ${y})`),
  square: only0((g, _y, a) => `(2 * ${g} * ${a})`),
  reciprocal: only0((g, y) => `(-${g} * ${y} * ${y})`),
  abs: only0((g, _y, a) => `(${a} > 0 ? ${g} : ${a} < 0 ? -${g} : 0)`),
  sigmoid: only0((g, y) => `(${g} * ${y} * (1 - ${y}))`),
  softplus: only0((g, _y, a) => `(${g} * K.sigmoid(${a}))`),
  tanh: only0((g, y) => `(${g} * (1 - ${y} * ${y}))`),
  sin: only0((g, _y, a) => `(${g} * Math.cos(${a}))`),
  cos: only0((g, _y, a) => `(-${g} * Math.sin(${a}))`),
  tan: only0((g, y) => `(${g} * (1 + ${y} * ${y}))`),
  atan: only0((g, _y, a) => `(${g} / (1 + ${a} * ${a}))`),
  lgamma: only0((g, _y, a) => `(${g} * K.digamma(${a}))`),
  digamma: only0((g, _y, a) => `(${g} * K.trigamma(${a}))`),
  erf: only0((g, _y, a) => `(${g} * K.erfD(${a}))`),
  erfinv: only0((g, y) => `(${g} * K.erfinvD(${y}))`),
  toFloat: only0((g) => g),
  clamp: only0((g, _y, a, attrs) => `(${a} >= ${num(attrs[0])} && ${a} <= ${num(attrs[1])} ? ${g} : 0)`),
  add: (g) => g,
  sub: (g, _y, _a, _t, pos) => (pos === 0 ? g : `(-${g})`),
  mul: (g, _y, [a, c], _t, pos) => (pos === 0 ? `(${g} * ${c})` : `(${g} * ${a})`),
  div: (g, y, [, c], _t, pos) => (pos === 0 ? `(${g} / ${c})` : `(-((${g} * ${y}) / ${c}))`),
  pow: (g, y, [a, c], _t, pos) =>
    pos === 0 ? `(${g} * (${c} === 0 ? 0 : ${c} * Math.pow(${a}, ${c} - 1)))` : `(${g} * (${a} === 0 ? 0 : ${y} * Math.log(${a})))`,
  maximum: (g, _y, [a, c], _t, pos) =>
    pos === 0 ? `(${g} * (${a} > ${c} ? 1 : ${a} === ${c} ? 0.5 : 0))` : `(${g} * (${c} > ${a} ? 1 : ${a} === ${c} ? 0.5 : 0))`,
  minimum: (g, _y, [a, c], _t, pos) =>
    pos === 0 ? `(${g} * (${a} < ${c} ? 1 : ${a} === ${c} ? 0.5 : 0))` : `(${g} * (${c} < ${a} ? 1 : ${a} === ${c} ? 0.5 : 0))`,
  where: (g, _y, [c], _t, pos) => (pos === 1 ? `(${c} !== 0 ? ${g} : 0)` : pos === 2 ? `(${c} !== 0 ? 0 : ${g})` : undefined),
};

/**
 * An elementwise op whose differentiated forward keeps a value its gradient
 * needs: `aux(a)` is computed once per element and kept, `value(a, e)` and
 * `grad(g, a, e)` read it as `e`. The results equal the plain templates' to
 * the bit.
 */
export interface AuxTemplate {
  /** The kept value. */
  readonly aux: (a: string) => string;
  /** The op's value from the kept value. */
  readonly value: (a: string, e: string) => string;
  /** The argument's cotangent from the kept value. */
  readonly grad: (g: string, a: string, e: string) => string;
}

/**
 * Ops with an auxiliary template: `softplus` keeps `e = exp(−|x|)`, so its
 * gradient `sigmoid(x)` (`1/(1+e)` for x ≥ 0, `e/(1+e)` below) costs no
 * second exponential — `K.softplus` and `K.sigmoid` are these formulas.
 */
export const AUX: Readonly<Record<string, AuxTemplate>> = {
  softplus: {
    aux: (a) => `Math.exp(-Math.abs(${a}))`,
    value: (a, e) => `((${a} > 0 ? ${a} : 0) + Math.log1p(${e}))`,
    grad: (g, a, e) => `(${g} * (${a} >= 0 ? 1 / (1 + ${e}) : ${e} / (1 + ${e})))`,
  },
};
