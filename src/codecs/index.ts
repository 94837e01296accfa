/**
 * io-ts codecs for data that crosses the library's boundary (model data,
 * options objects, saved param stores and traces, constraints, tensors as
 * JSON), with path-precise error reports.
 *
 * @module
 */
export * from "./report.js";
export * from "./tensor-values.js";
export * from "./constraint.js";
export * from "./param-store.js";
export * from "./options.js";
export * from "./inference-options.js";
export * from "./data.js";
export * from "./trace.js";
