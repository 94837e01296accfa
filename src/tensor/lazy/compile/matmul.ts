/**
 * Generated code of one (unbatched) matrix product `O = A·B`, `A` n×k, `B`
 * k×m, and of its cotangents, with the sizes baked in. Every element sums
 * its terms in a local variable, in the same order as the `matmulForward`
 * and `matmulBackward` kernels (so the same values to the bit): forward over
 * the inner index; `gA[i,q]` over j; `gB[q,j]` over i, starting from what
 * the buffer already holds.
 *
 * A matrix-vector product (m = 1) with a short inner dimension (the usual
 * `X·w` of a regression) is unrolled over k: the k entries of `B` are
 * hoisted, each row is one expression, and `gB`'s k sums run side by side in
 * one pass over `A`.
 *
 * @module
 */

/** The longest inner dimension that is unrolled (also the longest of a product fused into a loop, `fusion.ts`). */
export const UNROLL = 8;

/** The variables of a product's operands, result and cotangents (`undefined`: not differentiated). */
export interface MatmulVars {
  /** Left operand (n×k). */
  readonly a: string;
  /** Right operand (k×m). */
  readonly b: string;
  /** Result (n×m). */
  readonly out: string;
  /** The result's cotangent. */
  readonly g?: string | undefined;
  /** `a`'s cotangent buffer. */
  readonly ga?: string | undefined;
  /** `b`'s cotangent buffer. */
  readonly gb?: string | undefined;
}

const range = (k: number): number[] => Array.from({ length: k }, (_, q) => q);

/** The forward code of an n×k by k×m product. */
export function matmulForwardCode(n: number, k: number, m: number, v: MatmulVars): string {
  const { a, b, out } = v;
  if (m === 1 && k <= UNROLL) {
    const hoist = range(k).map((q) => `const b${q} = ${b}[${q}];`).join(" ");
    const terms = range(k).map((q) => ` + ${a}[r + ${q}] * b${q}`).join("");
    return `{ ${hoist} for (let i = 0, r = 0; i < ${n}; i++, r += ${k}) ${out}[i] = 0${terms}; }\n`;
  }
  return `for (let i = 0; i < ${n}; i++) for (let j = 0; j < ${m}; j++) { let s = 0; for (let q = 0; q < ${k}; q++) s += ${a}[i * ${k} + q] * ${b}[q * ${m} + j]; ${out}[i * ${m} + j] = s; }\n`;
}

/** The reverse-mode code: adds the product's contributions into `ga` and `gb`. */
export function matmulBackwardCode(n: number, k: number, m: number, v: MatmulVars): string {
  const { a, b, g, ga, gb } = v;
  if (g === undefined) return "";
  if (m === 1 && k <= UNROLL) {
    const lines: string[] = [];
    if (ga !== undefined) {
      const hoist = range(k).map((q) => `const b${q} = ${b}[${q}];`).join(" ");
      const adds = range(k).map((q) => `${ga}[r + ${q}] += gi * b${q};`).join(" ");
      lines.push(`{ ${hoist} for (let i = 0, r = 0; i < ${n}; i++, r += ${k}) { const gi = ${g}[i]; ${adds} } }\n`);
    }
    if (gb !== undefined) {
      const open = range(k).map((q) => `let s${q} = ${gb}[${q}];`).join(" ");
      const adds = range(k).map((q) => `s${q} += ${a}[r + ${q}] * gi;`).join(" ");
      const close = range(k).map((q) => `${gb}[${q}] = s${q};`).join(" ");
      lines.push(`{ ${open} for (let i = 0, r = 0; i < ${n}; i++, r += ${k}) { const gi = ${g}[i]; ${adds} } ${close} }\n`);
    }
    return lines.join("");
  }
  return [
    ga === undefined ? "" : `for (let i = 0; i < ${n}; i++) for (let q = 0; q < ${k}; q++) { let s = ${ga}[i * ${k} + q]; for (let j = 0; j < ${m}; j++) s += ${g}[i * ${m} + j] * ${b}[q * ${m} + j]; ${ga}[i * ${k} + q] = s; }\n`,
    gb === undefined ? "" : `for (let q = 0; q < ${k}; q++) for (let j = 0; j < ${m}; j++) { let s = ${gb}[q * ${m} + j]; for (let i = 0; i < ${n}; i++) s += ${a}[i * ${k} + q] * ${g}[i * ${m} + j]; ${gb}[q * ${m} + j] = s; }\n`,
  ].join("");
}
