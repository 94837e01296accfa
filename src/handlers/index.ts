/**
 * Effect handlers and the interpreter that gives the primitives Pyro's semantics.
 *
 * @module
 */
export * from "./message.js";
export * from "./interpreter.js";
export * from "./runtime.js";
export * from "./trace-record.js";
export * from "./trace.js";
export * from "./replay.js";
export * from "./block.js";
export * from "./seed.js";
export * from "./condition.js";
export * from "./substitute.js";
export * from "./scale.js";
export * from "./do.js";
export * from "./lift.js";
export * from "./uncondition.js";
export * from "./infer-config.js";
export * from "./scope.js";
export * from "./escape.js";
export * from "./plate.js";
export * from "./dims.js";
export * from "./subsample-dist.js";
export * from "./wrap.js";
export * from "./module.js";
