/**
 * The structured transforms and constraints: OrderedTransform, PowerTransform,
 * LowerCholeskyTransform, CorrCholeskyTransform, CholeskyTransform and the
 * `bijectTo` of `orderedVector`, `positiveOrderedVector`, `lowerCholesky`,
 * `corrCholesky` and `positiveDefinite` — round trips, log-det-Jacobians
 * against log|det| of the numeric Jacobian (central differences on the free
 * coordinates: the vector in, the lower triangle or strict lower triangle
 * out), support membership of `transformTo(c)` of random reals, and the
 * constraints' checks.
 *
 * Tolerances (as `transforms.test.ts`): round trips 1e3·ε·(1 + |x|)·e^|x|
 * (the exp/log and tanh/atanh steps amplify the error by up to e^|x|);
 * central differences with h = ε^(1/3)·max(1, |x|) give each Jacobian entry a
 * relative error ~10·ε^(2/3), so log|det| of an n × n Jacobian errs by at most
 * ~n·10·ε^(2/3); we allow n·100·ε^(2/3).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConstraintTransformError, constraints, type Constraint, type Transform } from "../../src/distributions/index.js";
import { normal, PRNGKey } from "../../src/tensor/random/index.js";
import { assertNear, assertThrowsWith, backends, flat, type Backend } from "./helpers.js";
import { logAbsDet, numericJacobian } from "./matrix-helpers.js";

const rounder = (be: Backend) => (be.ops.dtype === "float32" ? Math.fround : (x: number) => x);
/** Flat positions of `(i, j)` with `j <= i + diagonal` in an `n × n` matrix, row by row. */
const tril = (n: number, diagonal: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j <= Math.min(i + diagonal, n - 1); j++) out.push(i * n + j);
  return out;
};

for (const be of backends) {
  describe(`structured transforms on ${be.name}`, () => {
    const { dist, ops, eps } = be;
    const T = dist.transforms;
    const round = rounder(be);
    const fdTol = 100 * eps ** (2 / 3);
    const h = (x: number) => eps ** (1 / 3) * Math.max(1, Math.abs(x));

    /**
     * Checks round trip and log|det J| of `t` at the vector `x`: `outIdx` picks
     * the free coordinates of `forward(x)` (flattened).
     */
    function checkJacobian(t: Transform, x: number[], outIdx: (y: number[]) => number[], what: string): void {
      const y = t.forward(x);
      const back = flat(ops, t.inverse(y));
      const bound = Math.max(...x.map(Math.abs));
      back.forEach((v, i) => assertNear(v, x[i]!, 1e3 * eps * (1 + bound) * Math.exp(bound), `${what} round trip [${i}]`));
      const f = (v: number[]) => outIdx(flat(ops, t.forward(v)));
      const jac = numericJacobian(f, x, h, round);
      assertNear(ops.item(t.logAbsDetJacobian(x, y)), logAbsDet(jac), x.length * fdTol, `${what} log|det J|`);
    }

    it("OrderedTransform: increasing output, round trip, log|det J|", () => {
      const t = T.OrderedTransform();
      assert.deepEqual(flat(ops, t.forward([0, 0, 0])), [0, 1, 2]);
      for (const x of [[0.3, -1.2, 1.5, 0], [-2, 0.1, 0.7]]) {
        assert.equal(flat(ops, constraints.orderedVector.check(ops, t.forward(x)))[0], 1);
        checkJacobian(t, x, (y) => y, `Ordered ${x}`);
      }
    });

    it("PowerTransform: round trip, log|dy/dx|, sign", () => {
      for (const e of [-1, 0.5, 3]) {
        const t = T.PowerTransform(e);
        for (const x of [0.3, 1, 2.5]) checkJacobian(t, [x], (y) => y, `Power(${e}) at ${x}`);
        assert.deepEqual(flat(ops, t.sign as never), [Math.sign(e)]);
      }
    });

    it("LowerCholeskyTransform: vector ↔ factor, log|det J| on the lower triangle", () => {
      const t = T.LowerCholeskyTransform();
      assert.deepEqual(flat(ops, t.forward([0.5, 0, 0])), [1, 0, 0.5, 1]);
      assert.deepEqual([...t.forwardShape([4, 6])], [4, 3, 3]);
      assert.deepEqual([...t.inverseShape([4, 3, 3])], [4, 6]);
      for (const x of [[0.3, -1.2, 1.5, 0.2, -0.4, 0.9], [1, -0.5, 0.25]]) {
        const n = x.length === 6 ? 3 : 2;
        assert.equal(flat(ops, constraints.lowerCholesky.check(ops, t.forward(x)))[0], 1);
        checkJacobian(t, x, (y) => tril(n, 0).map((p) => y[p]!), `LowerCholesky ${x}`);
      }
      assertThrowsWith(() => t.forward([1, 2]), Error, "not the lower triangle of a square matrix");
    });

    it("CorrCholeskyTransform: unit rows, round trip, log|det J| on the strict lower triangle", () => {
      const t = T.CorrCholeskyTransform();
      assert.deepEqual(flat(ops, t.forward([0])), [1, 0, 0, 1]);
      assert.deepEqual([...t.inverseShape([2, 4, 4])], [2, 6]);
      for (const x of [[0.3, -1.2, 1.5], [0.3, -1.2, 1.5, 0.2, -0.4, 0.9], [1.1]]) {
        const n = x.length === 6 ? 4 : x.length === 3 ? 3 : 2;
        assert.equal(flat(ops, constraints.corrCholesky.check(ops, t.forward(x)))[0], 1);
        checkJacobian(t, x, (y) => tril(n, -1).map((p) => y[p]!), `CorrCholesky ${x}`);
      }
    });

    it("CholeskyTransform and bijectTo(positiveDefinite): log|det J| on the symmetric lower triangle", () => {
      const t = T.CholeskyTransform();
      assert.deepEqual(flat(ops, t.forward([[4, 2], [2, 5]])), [2, 0, 1, 2]);
      const s = [[2, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 1.5]];
      const pos = tril(3, 0);
      // Perturb Σ_ij and Σ_ji together: the coordinates are the lower triangle of a symmetric matrix.
      const sym = (v: number[]) => {
        const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
        pos.forEach((p, k) => { m[Math.floor(p / 3)]![p % 3] = v[k]!; m[p % 3]![Math.floor(p / 3)] = v[k]!; });
        return m;
      };
      const x = pos.map((p) => s[Math.floor(p / 3)]![p % 3]!);
      const f = (v: number[]) => { const y = flat(ops, t.forward(sym(v))); return pos.map((p) => y[p]!); };
      const jac = numericJacobian(f, x, h, round);
      assertNear(ops.item(t.logAbsDetJacobian(s, t.forward(s))), logAbsDet(jac), 6 * fdTol, "Cholesky log|det J|");
      flat(ops, t.inverse(t.forward(s))).forEach((v, i) => assertNear(v, s.flat()[i]!, 1e3 * eps, "L Lᵀ"));

      const b = dist.bijectTo(constraints.positiveDefinite);
      const u = [0.3, -1.2, 0.5, 0.2, -0.4, 0.9];
      assert.equal(flat(ops, constraints.positiveDefinite.check(ops, b.forward(u)))[0], 1);
      checkJacobian(b, u, (y) => pos.map((p) => y[p]!), "bijectTo(positiveDefinite)");
    });

    it("bijectTo(positiveOrderedVector) = exp ∘ ordered: round trip and log|det J|", () => {
      const b = dist.bijectTo(constraints.positiveOrderedVector);
      const x = [0.3, -1.2, 1.5];
      assert.equal(flat(ops, constraints.positiveOrderedVector.check(ops, b.forward(x)))[0], 1);
      checkJacobian(b, x, (y) => y, "positiveOrdered");
    });

    it("transformTo(c)(random reals) lies in c, with consistent shapes", () => {
      const cases: [Constraint, number[]][] = [
        [constraints.orderedVector, [7, 4]],
        [constraints.positiveOrderedVector, [7, 4]],
        [constraints.lowerCholesky, [7, 3, 3]],
        [constraints.corrCholesky, [7, 4, 4]],
        [constraints.positiveDefinite, [7, 3, 3]],
        [constraints.independent(constraints.corrCholesky, 1), [7, 2, 3, 3]],
      ];
      for (const [c, shape] of cases) {
        for (const t of [dist.transformTo(c), dist.bijectTo(c)]) {
          const uShape = t.inverseShape(shape);
          assert.deepEqual([...t.forwardShape(uShape)], shape, `${c.name} shapes`);
          const size = uShape.reduce((a, v) => a * v, 1);
          const u = ops.mul(2, ops.fromFlat(normal(PRNGKey(3), size), uShape));
          const y = t.forward(u);
          assert.deepEqual([...y.shape], shape);
          assert.ok(flat(ops, c.check(ops, y)).every((v) => v === 1), `${c.name}: transformTo(c) lands in c`);
          assert.deepEqual([...t.logAbsDetJacobian(u, y).shape], shape.slice(0, shape.length - c.eventDim));
        }
      }
      assertThrowsWith(() => dist.bijectTo(constraints.oneHot), ConstraintTransformError, "discrete constraint oneHot");
      assertThrowsWith(() => dist.transformTo(constraints.multinomial(3)), ConstraintTransformError, "multinomial(3)");
    });

    it("constraint checks accept members and reject non-members", () => {
      const c = constraints;
      const cases: [Constraint, unknown, number[]][] = [
        [c.orderedVector, [[1, 2, 3], [1, 1, 2], [3, 2, 1]], [1, 0, 0]],
        [c.positiveOrderedVector, [[1, 2, 3], [-1, 2, 3]], [1, 0]],
        [c.lowerCholesky, [[[1, 0], [2, 3]], [[1, 1], [0, 1]], [[1, 0], [0, -1]]], [1, 0, 0]],
        [c.corrCholesky, [[[1, 0], [0.6, 0.8]], [[1, 0], [0.6, 0.7]]], [1, 0]],
        [c.positiveDefinite, [[[2, 1], [1, 2]], [[1, 2], [2, 1]], [[2, 1], [0, 2]]], [1, 0, 0]],
        [c.oneHot, [[0, 1, 0], [1, 1, 0], [0, 0, 0]], [1, 0, 0]],
        [c.multinomial(4), [[1, 3, 0], [1, 2, 0], [-1, 5, 0], [0.5, 3.5, 0]], [1, 0, 0, 0]],
      ];
      for (const [con, value, want] of cases) {
        assert.deepEqual(flat(ops, con.check(ops, value as never)), want, con.name);
      }
      assert.deepEqual(flat(ops, c.lowerCholesky.check(ops, ops.zeros([2, 3]))), [0]);
    });
  });
}
