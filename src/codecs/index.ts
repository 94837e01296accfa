/**
 * io-ts codecs for data that crosses the library's boundary (saved param
 * stores, constraints, tensors as JSON), with path-precise error reports.
 *
 * @module
 */
export * from "./report.js";
export * from "./tensor-values.js";
export * from "./constraint.js";
export * from "./param-store.js";
