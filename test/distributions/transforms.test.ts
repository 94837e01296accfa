/**
 * Transforms: forward/inverse round trips, log-abs-det-Jacobians against
 * finite differences (log |det| of the numeric Jacobian for stick-breaking),
 * `inv`, `sign`, and `transformTo` / `bijectTo` mapping random reals into each
 * constraint.
 *
 * Tolerances:
 * - Round trips on |x| ≤ 2: each op errs by ε relative; the worst step is
 *   `log(1 - y)` for y = σ(x), which amplifies the error of y by
 *   y/(1 - y) ≤ e² ≈ 7.4, so 1e3·ε·(1 + |x|) bounds the error. The
 *   `transformTo` round trips draw x = 2·N(0, 1) (|x| up to ~7), where that
 *   amplification is e^|x|: 1e3·ε·(1 + |x|)·e^|x|.
 * - Central differences with step h = ε^(1/3)·max(1, |x|) err by
 *   ~(ε/h)·|f| + (h²/6)·|f'''| ≈ ε^(2/3)·(|f| + |f'''|); on |x| ≤ 2 the
 *   transforms here have |f| + |f'''| ≤ 10·|f'| (sigmoid's f' ≥ 0.1), so
 *   the relative error of f', hence the absolute error of log|f'|, is below
 *   10·ε^(2/3); we allow 100·ε^(2/3) (× n for an n × n determinant).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConstraintTransformError, constraints, type Constraint, type Transform } from "../../src/distributions/index.js";
import { normal, PRNGKey } from "../../src/tensor/random/index.js";
import { assertNear, assertThrowsWith, backends, flat, type Backend } from "./helpers.js";

const XS = [-1.7, -0.3, 0, 0.4, 1.9];

/** log |det A| of a square matrix (rows), by Gaussian elimination with partial pivoting. */
function logAbsDet(a: number[][]): number {
  const m = a.map((r) => [...r]);
  const n = m.length;
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    [m[k], m[p]] = [m[p]!, m[k]!];
    s += Math.log(Math.abs(m[k]![k]!));
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / m[k]![k]!;
      for (let j = k; j < n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return s;
}

/** `x` rounded to the backend's dtype. */
const rounder = (be: Backend) => (be.ops.dtype === "float32" ? Math.fround : (x: number) => x);

for (const be of backends) {
  describe(`transforms on ${be.name}`, () => {
    const { dist, ops, eps } = be;
    const T = dist.transforms;
    const round = rounder(be);
    const fdTol = 100 * eps ** (2 / 3);

    const elementwise: [string, () => Transform][] = [
      ["ExpTransform", () => T.ExpTransform()],
      ["SigmoidTransform", () => T.SigmoidTransform()],
      ["AffineTransform(1, -2.5)", () => T.AffineTransform(1, -2.5)],
      ["ComposeTransform([Exp, Affine(2, 3)])", () => T.ComposeTransform([T.ExpTransform(), T.AffineTransform(2, 3)])],
      ["ComposeTransform([Sigmoid, Affine(-1, 4)])", () => T.ComposeTransform([T.SigmoidTransform(), T.AffineTransform(-1, 4)])],
      ["ExpTransform().inv.inv", () => T.ExpTransform().inv.inv],
    ];

    for (const [name, make] of elementwise) {
      it(`${name}: round trip and log|dy/dx| vs central differences`, () => {
        const t = make();
        const x = ops.tensor(XS);
        const y = t.forward(x);
        flat(ops, t.inverse(y)).forEach((v, i) => assertNear(v, XS[i]!, 1e3 * eps * (1 + Math.abs(XS[i]!)), `inverse(forward(${XS[i]}))`));
        const ladj = flat(ops, t.logAbsDetJacobian(x, y));
        XS.forEach((xi, i) => {
          const h = eps ** (1 / 3) * Math.max(1, Math.abs(xi));
          const [lo, hi] = [round(xi - h), round(xi + h)];
          const [flo, fhi] = flat(ops, t.forward([lo, hi]));
          assertNear(ladj[i]!, Math.log(Math.abs((fhi! - flo!) / (hi - lo))), fdTol, `ladj at ${xi}`);
        });
      });
    }

    it("StickBreakingTransform: simplex output, round trip, log|det J| vs the numeric Jacobian", () => {
      const t = T.StickBreakingTransform();
      assert.deepEqual([...t.forwardShape([5, 3])], [5, 4]);
      assert.deepEqual([...t.inverseShape([5, 4])], [5, 3]);
      flat(ops, t.forward([0, 0])).forEach((v) => assertNear(v, 1 / 3, 8 * eps));
      for (const x of [[0.3, -1.2, 1.5], [-2, 0.1, 0.7], [1.9, 1.9, -1.9]]) {
        const y = t.forward(x);
        assert.ok(flat(ops, constraints.simplex.check(ops, y))[0]);
        flat(ops, t.inverse(y)).forEach((v, i) => assertNear(v, x[i]!, 1e3 * eps * (1 + Math.abs(x[i]!)), "round trip"));
        const n = x.length;
        // Column j of the Jacobian of x ↦ y[:n] (y[n] = 1 - Σ y[:n] is determined by the others).
        const cols = x.map((xj, j) => {
          const h = eps ** (1 / 3) * Math.max(1, Math.abs(xj));
          const at = (d: number) => x.map((v, i) => (i === j ? round(v + d) : v));
          const [plus, minus] = [at(h), at(-h)];
          const [fp, fm] = [flat(ops, t.forward(plus)), flat(ops, t.forward(minus))];
          return Array.from({ length: n }, (_, i) => (fp[i]! - fm[i]!) / (plus[j]! - minus[j]!));
        });
        const jac = Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
        assertNear(ops.item(t.logAbsDetJacobian(x, y)), logAbsDet(jac), n * fdTol, `log|det J| at ${x}`);
      }
    });

    it("IndependentTransform sums over the reinterpreted dims; inv negates; signs", () => {
      const t = T.IndependentTransform(T.ExpTransform(), 1);
      assert.equal(t.domain.name, "independent(real, 1)");
      assert.equal(t.codomain.name, "independent(positive, 1)");
      assertNear(ops.item(t.logAbsDetJacobian([1, 2], t.forward([1, 2]))), 3, 8 * eps);
      const e = T.ExpTransform();
      assert.equal(e.inv.inv, e);
      assert.equal(e.inv.domain.name, "positive");
      assertNear(ops.item(e.inv.logAbsDetJacobian(Math.E, 1)), -1, 8 * eps);
      assert.equal(e.sign, 1);
      assert.deepEqual(flat(ops, T.AffineTransform(0, [-2, 3]).sign as never), [-1, 1]);
      assert.deepEqual(flat(ops, T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0, -2)]).sign as never), [-1]);
    });

    const cases: [Constraint, number[]][] = [
      [constraints.real, [6]],
      [constraints.positive, [6]],
      [constraints.nonnegative, [6]],
      [constraints.unitInterval, [6]],
      [constraints.interval(-1, 3), [6]],
      [constraints.interval(ops.tensor([0, 10]), ops.tensor([1, 20])), [3, 2]],
      [constraints.greaterThan(2), [6]],
      [constraints.greaterThanEq(-2), [6]],
      [constraints.lessThan(-1), [6]],
      [constraints.simplex, [4, 3]],
      [constraints.realVector, [4, 3]],
      [constraints.independent(constraints.positive, 1), [4, 3]],
      [constraints.independent(constraints.interval(0, 2), 2), [2, 3, 2]],
    ];
    for (const [c, shape] of cases) {
      it(`transformTo and bijectTo map random reals into ${c.name}`, () => {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = ops.fromFlat(normal(PRNGKey(shape.length), size).map((v) => 2 * v), shape);
        for (const t of [dist.transformTo(c), dist.bijectTo(c)]) {
          const y = t.forward(x);
          assert.ok(flat(ops, c.check(ops, y)).every((v) => v === 1), `${t.name} left ${c.name}`);
          const back = flat(ops, t.inverse(y));
          flat(ops, x).forEach((v, i) => assertNear(back[i]!, v, 1e3 * eps * (1 + Math.abs(v)) * Math.exp(Math.abs(v)), "round trip"));
          const ladjShape = [...x.shape].slice(0, x.shape.length - t.domain.eventDim);
          assert.deepEqual([...t.logAbsDetJacobian(x, y).shape], ladjShape, "ladj shape");
        }
      });
    }

    it("discrete constraints have no transform", () => {
      assertThrowsWith(() => dist.transformTo(constraints.boolean), ConstraintTransformError,
        "transformTo: no transform to the discrete constraint boolean");
      assertThrowsWith(() => dist.bijectTo(constraints.integerInterval(0, 5)), ConstraintTransformError,
        "bijectTo: no transform to the discrete constraint integerInterval(0, 5)");
    });

    it("TransformedDistribution cdf/icdf through a decreasing transform", () => {
      const d = dist.TransformedDistribution(dist.Normal(0, 1), [T.AffineTransform(0, -1)]);
      const base = dist.Normal(0, 1);
      const c = flat(ops, d.cdf([-1, 0.5]));
      const want = flat(ops, base.cdf([-1, 0.5]));
      c.forEach((v, i) => assertNear(v, want[i]!, 64 * eps));
      flat(ops, d.icdf(d.cdf([-1, 0.5]))).forEach((v, i) => assertNear(v, [-1, 0.5][i]!, 1e3 * eps));
    });
  });
}
