/**
 * Elementwise tfjs ops: unary and binary math, comparisons, masks and
 * `where`. All broadcast as numpy does; comparisons return `bool` masks.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CoreOps } from "../ops.js";
import { shapesEqual } from "../shape.js";
import { release, toMask, toTf, type Arg } from "./convert.js";

type Unary = (x: Arg) => tf.Tensor;
type Binary = (a: Arg, b: Arg) => tf.Tensor;

/** A unary op on a float32 argument `x`. */
function unary(op: string, f: (x: tf.Tensor) => tf.Tensor): Unary {
  return (x) => {
    const t = toTf(x, op, "x");
    if (t === x) return f(t);
    try {
      return f(t);
    } finally {
      t.dispose();
    }
  };
}

/** A binary op on float32 arguments `a` and `b`. */
function binary(op: string, f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Binary {
  return (a, b) => {
    const ta = toTf(a, op, "a");
    const tb = toTf(b, op, "b");
    if (ta === a && tb === b) return f(ta, tb);
    try {
      return f(ta, tb);
    } finally {
      release(ta, a);
      release(tb, b);
    }
  };
}

/**
 * `f(a, b)` on operands broadcast to a common shape first: tfjs's gradients of
 * Maximum and Minimum do not sum over broadcast axes, broadcastTo's does.
 */
function broadcastFirst(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (shapesEqual(a.shape, b.shape)) return f(a, b);
  return tf.tidy(() => {
    const s = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return f(shapesEqual(a.shape, s) ? a : tf.broadcastTo(a, s), shapesEqual(b.shape, s) ? b : tf.broadcastTo(b, s));
  });
}

/** A unary op on a mask argument `x`. */
function unaryMask(op: string, f: (x: tf.Tensor) => tf.Tensor): Unary {
  return (x) => {
    const t = toMask(x, op, "x");
    try {
      return f(t);
    } finally {
      release(t, x);
    }
  };
}

/** A binary op on mask arguments `a` and `b`. */
function binaryMask(op: string, f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Binary {
  return (a, b) => {
    const ta = toMask(a, op, "a");
    const tb = toMask(b, op, "b");
    try {
      return f(ta, tb);
    } finally {
      release(ta, a);
      release(tb, b);
    }
  };
}

/** The elementwise members of the tfjs core. */
export type MathOps = Pick<
  CoreOps<tf.Tensor>,
  | "neg" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "abs" | "sign" | "floor" | "ceil" | "round"
  | "sigmoid" | "softplus" | "tanh" | "sin" | "cos" | "tan" | "atan" | "square" | "reciprocal"
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "clamp"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "isFinite" | "isNaN"
  | "logicalAnd" | "logicalOr" | "logicalNot" | "where" | "toFloat"
>;

/**
 * The elementwise members of the tfjs core, natively in tfjs (`square`,
 * `reciprocal` and `clamp` too, which `completeOps` would otherwise derive).
 */
export const mathOps: MathOps = {
  neg: unary("neg", tf.neg),
  exp: unary("exp", tf.exp),
  log: unary("log", tf.log),
  log1p: unary("log1p", tf.log1p),
  expm1: unary("expm1", tf.expm1),
  sqrt: unary("sqrt", tf.sqrt),
  square: unary("square", tf.square),
  reciprocal: unary("reciprocal", tf.reciprocal),
  abs: unary("abs", tf.abs),
  sign: unary("sign", tf.sign),
  floor: unary("floor", tf.floor),
  ceil: unary("ceil", tf.ceil),
  round: unary("round", tf.round),
  sigmoid: unary("sigmoid", tf.sigmoid),
  softplus: unary("softplus", tf.softplus),
  tanh: unary("tanh", tf.tanh),
  sin: unary("sin", tf.sin),
  cos: unary("cos", tf.cos),
  tan: unary("tan", tf.tan),
  atan: unary("atan", tf.atan),

  add: binary("add", tf.add),
  sub: binary("sub", tf.sub),
  mul: binary("mul", tf.mul),
  div: binary("div", tf.div),
  pow: binary("pow", tf.pow),
  maximum: binary("maximum", (a, b) => broadcastFirst(tf.maximum, a, b)),
  minimum: binary("minimum", (a, b) => broadcastFirst(tf.minimum, a, b)),
  clamp: (x, lo, hi) => {
    const t = toTf(x, "clamp", "x");
    try {
      return tf.clipByValue(t, lo, hi);
    } finally {
      release(t, x);
    }
  },

  eq: binary("eq", tf.equal),
  ne: binary("ne", tf.notEqual),
  lt: binary("lt", tf.less),
  le: binary("le", tf.lessEqual),
  gt: binary("gt", tf.greater),
  ge: binary("ge", tf.greaterEqual),
  isFinite: unary("isFinite", tf.isFinite),
  isNaN: unary("isNaN", tf.isNaN),
  logicalAnd: binaryMask("logicalAnd", tf.logicalAnd),
  logicalOr: binaryMask("logicalOr", tf.logicalOr),
  logicalNot: unaryMask("logicalNot", tf.logicalNot),

  where: (cond, a, b) => {
    const tc = toMask(cond, "where", "cond");
    const ta = toTf(a, "where", "a");
    const tb = toTf(b, "where", "b");
    try {
      return tf.where(tc, ta, tb);
    } finally {
      release(tc, cond);
      release(ta, a);
      release(tb, b);
    }
  },
  toFloat: (x) => (x instanceof tf.Tensor ? tf.cast(x, "float32") : toTf(x, "toFloat", "x")),
};
