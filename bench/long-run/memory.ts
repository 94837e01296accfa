/**
 * Memory figures for the long-run scripts: live tfjs tensors and the V8 heap
 * after a forced garbage collection (run node with `--expose-gc`; without it
 * the heap is read as is and labelled so).
 *
 * @module
 */
import { ops } from "../../src/index.js";

/** A memory reading. */
export interface Reading {
  /** Live tensors of the current backend. */
  readonly tensors: number;
  /** V8 heap in use, in MB. */
  readonly heapMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether readings are taken after a forced GC. */
export const forcedGC = gc !== undefined;

/** The current reading (after two forced GCs when available). */
export function reading(): Reading {
  gc?.();
  gc?.();
  return { tensors: ops.numTensors(), heapMB: process.memoryUsage().heapUsed / 2 ** 20 };
}

/** `label: tensors N, heap X MB`. */
export function show(label: string, r: Reading): string {
  return `${label.padEnd(24)} tensors ${String(r.tensors).padStart(5)}   heap ${r.heapMB.toFixed(1).padStart(7)} MB${forcedGC ? "" : " (no --expose-gc)"}`;
}
