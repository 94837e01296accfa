/**
 * The kernels of the binary elementwise ops (arithmetic, comparisons, logical
 * ops) and helpers of their vector-Jacobian products. Each is its own
 * function so its loop stays monomorphic; the contiguous and scalar-operand
 * cases get their own loops.
 *
 * @module
 */
import type { BinaryKernel } from "./iter.js";

/** Kernel: `a + b`. */
export const addK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! + b[bi + i]!;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! + y;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x + b[bi + i]!;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! + b[bi]!;
};

/** Kernel: `a - b`. */
export const subK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! - b[bi + i]!;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! - y;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x - b[bi + i]!;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! - b[bi]!;
};

/** Kernel: `a · b`. */
export const mulK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! * b[bi + i]!;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! * y;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x * b[bi + i]!;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * b[bi]!;
};

/** Kernel: `a / b`. */
export const divK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! / b[bi + i]!;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! / y;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x / b[bi + i]!;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / b[bi]!;
};

/** Kernel: `aᵇ`. */
export const powK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.pow(a[ai + i]!, b[bi + i]!);
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.pow(a[ai + i]!, y);
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.pow(x, b[bi + i]!);
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.pow(a[ai]!, b[bi]!);
};

/** Kernel: elementwise maximum (NaN propagates). */
export const maximumK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.max(a[ai + i]!, b[bi + i]!);
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.max(a[ai + i]!, y);
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.max(x, b[bi + i]!);
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.max(a[ai]!, b[bi]!);
};

/** Kernel: elementwise minimum (NaN propagates). */
export const minimumK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = Math.min(a[ai + i]!, b[bi + i]!);
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.min(a[ai + i]!, y);
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = Math.min(x, b[bi + i]!);
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.min(a[ai]!, b[bi]!);
};

/** Kernel: `a == b` as 0/1. */
export const eqK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! === b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! === y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x === b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! === b[bi]! ? 1 : 0;
};

/** Kernel: `a != b` as 0/1. */
export const neK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x !== b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! !== b[bi]! ? 1 : 0;
};

/** Kernel: `a < b` as 0/1. */
export const ltK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! < b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! < y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x < b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! < b[bi]! ? 1 : 0;
};

/** Kernel: `a <= b` as 0/1. */
export const leK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! <= b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! <= y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x <= b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! <= b[bi]! ? 1 : 0;
};

/** Kernel: `a > b` as 0/1. */
export const gtK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! > b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! > y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x > b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! > b[bi]! ? 1 : 0;
};

/** Kernel: `a >= b` as 0/1. */
export const geK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! >= b[bi + i]! ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! >= y ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x >= b[bi + i]! ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! >= b[bi]! ? 1 : 0;
};

/** Kernel: logical and of masks as 0/1. */
export const andK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== 0 && b[bi + i]! !== 0 ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== 0 && y !== 0 ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x !== 0 && b[bi + i]! !== 0 ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! !== 0 && b[bi]! !== 0 ? 1 : 0;
};

/** Kernel: logical or of masks as 0/1. */
export const orK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  if (so === 1 && sa === 1 && sb === 1) for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== 0 || b[bi + i]! !== 0 ? 1 : 0;
  else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[bi]!;
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i]! !== 0 || y !== 0 ? 1 : 0;
  } else if (so === 1 && sa === 0 && sb === 1) {
    const x = a[ai]!;
    for (let i = 0; i < n; i++) o[oi + i] = x !== 0 || b[bi + i]! !== 0 ? 1 : 0;
  } else for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! !== 0 || b[bi]! !== 0 ? 1 : 0;
};

/** Kernel: `-(a / b)`, for the VJP of div. */
export const negDivK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = -(a[ai]! / b[bi]!);
};

/** Kernel: `b·aᵇ⁻¹` (0 where `b = 0`): ∂aᵇ/∂a. */
export const powGradBaseK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = b[bi]! === 0 ? 0 : b[bi]! * Math.pow(a[ai]!, b[bi]! - 1);
};

/** Kernel: `y·log a` with `y = aᵇ` (0 where `a = 0`): ∂aᵇ/∂b, operands `(y, a)`. */
export const powGradExpK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = b[bi]! === 0 ? 0 : a[ai]! * Math.log(b[bi]!);
};

/** Kernel: the share of the cotangent of `maximum(a, b)` that goes to `a` (ties split evenly). */
export const maxWeightK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! > b[bi]! ? 1 : a[ai]! === b[bi]! ? 0.5 : 0;
};

/** Kernel: the share of the cotangent of `minimum(a, b)` that goes to `a` (ties split evenly). */
export const minWeightK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! < b[bi]! ? 1 : a[ai]! === b[bi]! ? 0.5 : 0;
};
