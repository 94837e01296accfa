/**
 * Pure shape arithmetic shared by all backends and generic layers.
 *
 * @module
 */
import type { Shape } from "./types.js";
import { TensorOpError } from "./errors.js";

/** The number of elements of a tensor of this shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Formats a shape as `[2, 3]` for messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The numpy broadcast of several shapes, or `undefined` when they do not
 * broadcast.
 */
export function tryBroadcastShapes(...shapes: Shape[]): number[] | undefined {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[offset + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[offset + i] = d;
      else return undefined;
    }
  }
  return out;
}

/**
 * The numpy broadcast of several shapes.
 *
 * @throws TensorOpError naming the shapes when they do not broadcast.
 * @example
 * ```ts
 * broadcastShapes([3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const out = tryBroadcastShapes(...shapes);
  if (out === undefined) throw new TensorOpError(`shapes ${shapes.map(formatShape).join(", ")} do not broadcast`);
  return out;
}

/** A non-negative axis for a possibly negative `axis` of a rank-`rank` tensor. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new TensorOpError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}
