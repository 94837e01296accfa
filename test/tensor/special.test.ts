/**
 * Tests of the float64 special functions (src/tensor/special).
 *
 * Reference values marked "mpmath" were computed with mpmath 1.3 at 50 significant digits, at
 * the exact binary value of each float64 argument, and are quoted to 17 digits (so the reference
 * itself is exact to ≤ 0.5 ulp).
 *
 * Tolerances. Each method's rounding analysis (see the module comments) bounds its error by a
 * few tens of ulp: e.g. lgamma's series/recurrence perform ≤ 40 roundings, erfc's continued
 * fraction ≤ 110. We therefore use REL = 1e-14 ≈ 45 ulp of relative error for values from
 * well-conditioned formulas. Where an identity is checked through another rounded operation,
 * the tolerance adds that operation's condition number × ulp, derived at the assertion.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  digamma,
  erf,
  erfc,
  erfcx,
  erfinv,
  gammaP,
  gammaQ,
  lgamma,
  logNdtr,
  ndtr,
  ndtri,
  standardGammaGrad,
  trigamma,
} from "../../src/tensor/special/index.js";
import { PRNGKey, standardGamma } from "../../src/tensor/random/index.js";

const EPS = 2 ** -52;
const REL = 1e-14;
const EULER = 0.5772156649015329;

/** Asserts |actual − expected| ≤ rel·|expected| + abs. */
function close(actual: number, expected: number, rel: number, abs = 0, what = ""): void {
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rel * Math.abs(expected) + abs,
    `${what} expected ${expected}, got ${actual} (error ${err.toExponential(2)})`,
  );
}

test("lgamma: Γ(1/2) = √π, Γ(n) = (n−1)!, and mpmath values on every branch", () => {
  close(lgamma(0.5), 0.5 * Math.log(Math.PI), REL, 0, "lgamma(0.5)");
  assert.equal(lgamma(1), 0);
  assert.equal(lgamma(2), 0);
  let fact = 1; // (n−1)! exact in float64 for n ≤ 19
  for (let n = 2; n <= 19; n++) {
    fact *= n - 1;
    close(lgamma(n), Math.log(fact), REL, 0, `lgamma(${n})`);
  }
  const mp: [number, number][] = [
    [1e-8, 18.420680738180209],
    [0.1, 2.2527126517342059],
    [0.7, 0.26086724653166657],
    [1.3, -0.10817480950786048],
    [1.9, -0.038984275923083362],
    [2.2, 0.096947466790638873],
    [3.7, 1.4280723266653881],
    [9.99, 12.779315214350193],
    [10.01, 12.824350262448247],
    [123.4, 469.33609744219059],
    [1e5, 1.0512877089736569e6],
    [1e10, 2.2025850928881058e11],
    // Next to the zeros at 1 and 2 the result is still relatively accurate.
    [1.0000000001, -5.772157125783244e-11],
    [0.9999999999, 5.7721571274281784e-11],
    [2.0000000001, 4.2278437011204659e-11],
    [1.9999999999, -4.2278437004755317e-11],
    // Negative non-integers (reflection).
    [-2.5, -0.056243716497674051],
    [-0.5, 1.2655121234846454],
    [-100.3, -363.76620618267626],
  ];
  for (const [x, v] of mp) close(lgamma(x), v, REL, 0, `lgamma(${x})`);
  assert.equal(lgamma(0), Infinity);
  assert.equal(lgamma(-3), Infinity);
  assert.equal(lgamma(Infinity), Infinity);
  assert.ok(Number.isNaN(lgamma(NaN)));
});

test("digamma: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(n+1) = −γ + H_n, mpmath values, poles", () => {
  close(digamma(1), -EULER, REL, 0, "ψ(1)");
  close(digamma(0.5), -EULER - 2 * Math.LN2, REL, 0, "ψ(1/2)");
  let h = 0;
  for (let n = 1; n <= 30; n++) {
    h += 1 / n;
    close(digamma(n + 1), -EULER + h, REL, 0, `ψ(${n + 1})`);
  }
  const mp: [number, number][] = [
    [0.1, -10.423754940411076],
    [3.3, 1.0348224890596217],
    [25, 3.198742512851974],
    [1e6, 13.815510057964191],
    [-0.5, 0.036489973978576521],
    [-2.2, 5.3228702211726444],
  ];
  for (const [x, v] of mp) close(digamma(x), v, REL, 0, `ψ(${x})`);
  // At the positive root x0 only absolute accuracy is possible: |ψ(x0)| ≲ ulp(ψ near x0)·few.
  close(digamma(1.4616321449683622), 0, 0, 4 * EPS, "ψ(x0)");
  assert.equal(digamma(0), -Infinity);
  assert.ok(Number.isNaN(digamma(-2)));
});

test("trigamma: ψ'(1) = π²/6, ψ'(1/2) = π²/2, mpmath values, poles", () => {
  close(trigamma(1), (Math.PI * Math.PI) / 6, REL, 0, "ψ'(1)");
  close(trigamma(0.5), (Math.PI * Math.PI) / 2, REL, 0, "ψ'(1/2)");
  const mp: [number, number][] = [
    [0.1, 101.43329915079275],
    [3.3, 0.35350154184106183],
    [25, 0.040810663257225579],
    [1e6, 1.0000005000001667e-6],
    [-0.5, 8.9348022005446793],
    [-2.2, 28.200530152194035],
  ];
  for (const [x, v] of mp) close(trigamma(x), v, REL, 0, `ψ'(${x})`);
  assert.equal(trigamma(0), Infinity);
  assert.equal(trigamma(-4), Infinity);
});

test("derivative identities: ψ ≈ central difference of lgamma, ψ' ≈ central difference of ψ", () => {
  // Central difference D = (f(x+h) − f(x−h))/2h has truncation error ≤ h²/6·max|f'''| and
  // rounding error ≤ (ulp(f) + relative error of f)·|f|/h ≈ 2·REL·|f|/h. For f = lgamma,
  // f''' = ψ'' with |ψ''(y)| = Σ 2/(y+k)³ ≤ 2/y³ + 1/y²; for f = ψ, |ψ'''(y)| ≤ 6/y⁴ + 2/y³
  // (sum bounded by its first term plus the integral), evaluated at y = x − h.
  const h = 1e-4;
  for (const x of [0.5, 0.8, 1, 1.5, 2.7, 5, 11, 40, 150]) {
    const y = x - h;
    const d1 = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
    const tol1 = ((h * h) / 6) * (2 / y ** 3 + 1 / y ** 2) + (2 * REL * (Math.abs(lgamma(x)) + 1)) / h;
    close(d1, digamma(x), 0, tol1, `ψ(${x}) vs Δlgamma`);
    const d2 = (digamma(x + h) - digamma(x - h)) / (2 * h);
    const tol2 = ((h * h) / 6) * (6 / y ** 4 + 2 / y ** 3) + (2 * REL * (Math.abs(digamma(x)) + 1)) / h;
    close(d2, trigamma(x), 0, tol2, `ψ'(${x}) vs Δψ`);
  }
});

test("erf, erfc, erfcx: known values, symmetry, and tails", () => {
  close(erf(0.5), 0.5204998778130465, REL, 0, "erf(0.5)");
  close(erfc(10), 2.088487583762545e-45, REL, 0, "erfc(10)");
  assert.equal(erf(0), 0);
  assert.equal(erfc(0), 1);
  const mp: [number, number, number, number][] = [
    [0.1, 0.1124629160182849, 0.8875370839817151, 0.89645697996912664],
    [0.9, 0.79690821242283214, 0.20309178757716786, 0.45653165132311703],
    [1, 0.84270079294971487, 0.15729920705028513, 0.427583576155807],
    [1.1, 0.88020506957408173, 0.11979493042591827, 0.40173046063649507],
    [2, 0.99532226501895273, 0.0046777349810472658, 0.25539567631050574],
    [3, 0.99997790950300141, 2.2090496998585441e-5, 0.17900115118138995],
    [5, 0.99999999999846254, 1.5374597944280349e-12, 0.11070463773306863],
    [26, 1.0, 5.6631924088561428e-296, 0.021683584850562907],
  ];
  for (const [x, vErf, vErfc, vErfcx] of mp) {
    close(erf(x), vErf, REL, 0, `erf(${x})`);
    close(erf(-x), -vErf, REL, 0, `erf(${-x})`);
    close(erfc(x), vErfc, REL, 0, `erfc(${x})`);
    close(erfc(-x), 2 - vErfc, REL, 0, `erfc(${-x})`);
    close(erfcx(x), vErfcx, REL, 0, `erfcx(${x})`);
  }
  close(erfcx(30), 0.018795888861416751, REL, 0, "erfcx(30)");
  assert.equal(erfc(40), 0); // below 2^-1074
  // Infinities and NaN.
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erfc(-Infinity), 2);
  assert.equal(erfcx(Infinity), 0);
  assert.equal(erfcx(-Infinity), Infinity);
  assert.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)) && Number.isNaN(erfcx(NaN)));
});

test("normal CDF: ndtr, logNdtr, ndtri (mpmath values) and round trips", () => {
  const quantiles: [number, number][] = [
    [1e-300, -37.047096299361199],
    [1e-20, -9.2623400897984076],
    [0.001, -3.0902323061678135],
    [0.3, -0.52440051270804082],
    [0.975, 1.9599639845400539],
    [0.999999, 4.7534243088170878],
  ];
  for (const [p, x] of quantiles) close(ndtri(p), x, REL, 0, `ndtri(${p})`);
  assert.equal(ndtri(0.5), 0);
  assert.equal(ndtri(0), -Infinity);
  assert.equal(ndtri(1), Infinity);
  assert.ok(Number.isNaN(ndtri(1.5)));
  const logs: [number, number][] = [
    [-40, -804.60844201375379],
    [-5, -15.064998393988726],
    [0, -0.69314718055994531],
    [3, -0.0013508099647481938],
    [5, -2.8665161296376359e-7],
  ];
  for (const [x, v] of logs) close(logNdtr(x), v, REL, 0, `logNdtr(${x})`);
  assert.equal(logNdtr(-Infinity), -Infinity);
  assert.ok(logNdtr(Infinity) === 0); // −0 or 0
  assert.equal(ndtr(-Infinity), 0);
  assert.equal(ndtr(Infinity), 1);
  // ndtr(ndtri(p)) = p: ndtri(p) = x carries relative error δ ≲ REL, which moves Φ by a
  // relative φ(x)|x|δ/Φ(x) ≤ (x² + 1)δ (Mills ratio: φ(x)/Φ(x) ≤ |x| + 1/|x| for x < 0).
  for (const p of [1e-300, 1e-100, 1e-10, 0.01, 0.2, 0.5, 0.7, 0.99]) {
    const x = ndtri(p);
    close(ndtr(x), p, (x * x + 2) * REL, 0, `ndtr(ndtri(${p}))`);
  }
});

test("erfinv: mpmath values and erfinv(erf(x)) ≈ x", () => {
  const mp: [number, number][] = [
    [1e-20, 8.8622692545275797e-21],
    [0.5, 0.47693627620446987],
    [0.99, 1.8213863677184495],
    [-0.999999999, -4.320005388105362],
  ];
  for (const [y, x] of mp) close(erfinv(y), x, REL, 0, `erfinv(${y})`);
  assert.equal(erfinv(1), Infinity);
  assert.equal(erfinv(-1), -Infinity);
  assert.ok(Number.isNaN(erfinv(1.0001)));
  // y = erf(x) is rounded (≤ REL·|y| plus ulp(y) ≤ EPS): erfinv magnifies an error in y by
  // 1/erf'(x) = (√π/2)e^{x²}; plus erfinv's own relative error REL·|x|.
  for (let x = -5.5; x <= 5.5; x += 0.25) {
    const y = erf(x);
    const dy = REL * Math.abs(y) + EPS;
    close(erfinv(y), x, REL, (Math.sqrt(Math.PI) / 2) * Math.exp(x * x) * dy + 1e-300, `erfinv(erf(${x}))`);
  }
});

test("gammaP, gammaQ: P(1,x) = 1−e^{−x}, P(½,x) = erf(√x), mpmath values", () => {
  for (const x of [1e-8, 1e-3, 0.5, 1, 2, 5, 20, 50]) {
    close(gammaP(1, x), -Math.expm1(-x), REL, 0, `P(1, ${x})`);
    close(gammaQ(1, x), Math.exp(-x), REL, 0, `Q(1, ${x})`);
    // √x carries ≤ ½ ulp, which moves erf(√x) by a relative ≤ ½·EPS·2x (and erfc(√x) likewise:
    // d log erfc(t)/d log t ≈ 2t² in the tail).
    close(gammaP(0.5, x), erf(Math.sqrt(x)), REL + x * EPS, 0, `P(0.5, ${x})`);
    close(gammaQ(0.5, x), erfc(Math.sqrt(x)), REL + x * EPS, 0, `Q(0.5, ${x})`);
  }
  const mp: [number, number, number, number][] = [
    [1e-3, 1e-10, 0.9778006565986258, 0.022199343401374196],
    [1e-5, 0.3, 0.99999094321728279, 9.056782717213817e-6],
    [0.3, 1.9, 0.97499159086000233, 0.025008409139997672],
    [3.3, 0.2, 0.00047844303895031915, 0.99952155696104968],
    [10, 5, 0.031828057306204812, 0.96817194269379519],
    [10, 20, 0.99500458769169241, 0.0049954123083075872],
    [100, 90, 0.15822098918643017, 0.84177901081356983],
    [1e4, 1e4, 0.5013298083399552, 0.4986701916600448],
    [1e6, 1.001e6, 0.84134478636834029, 0.15865521363165971],
    [1e6, 0.999e6, 0.15865521357430365, 0.84134478642569635],
  ];
  for (const [a, x, p, q] of mp) {
    close(gammaP(a, x), p, REL, 0, `P(${a}, ${x})`);
    close(gammaQ(a, x), q, REL, 0, `Q(${a}, ${x})`);
  }
  assert.equal(gammaP(2, 0), 0);
  assert.equal(gammaQ(2, Infinity), 0);
  assert.ok(Number.isNaN(gammaP(-1, 1)));
  assert.ok(Number.isNaN(gammaP(1, -1)));
});

test("standardGammaGrad: mpmath values of −∂P/∂α / p over α ∈ [1e-3, 1e6]", () => {
  const mp: [number, number, number][] = [
    [1e-3, 1e-200, 4.5994144666699882e-195],
    [1e-3, 0.5, 461.99216718924001],
    [0.3, 0.05, 0.49471098700413128],
    [0.5, 1.9, 2.4624878885902653],
    [1, 1, 1.1735630272247269],
    [2.5, 5.7, 1.5682177718733755],
    [7.5, 3, 0.62413418123489938],
    [7.5, 18, 1.5338940481918583],
    [100, 80, 0.89406066835618287],
    [1e4, 1.02e4, 1.0099508242883197],
    [1e6, 999700, 0.99985015163942992],
  ];
  for (const [a, z, g] of mp) close(standardGammaGrad(a, z), g, REL, 0, `dz/dα(${a}, ${z})`);
  assert.equal(standardGammaGrad(2, 0), 0);
  assert.ok(Number.isNaN(standardGammaGrad(0, 1)));
});

test("standardGammaGrad agrees with a finite difference of gammaP (Monte-Carlo-free identity)", () => {
  // Richardson-extrapolated central difference R = (4D(h/2) − D(h))/3 of P in α, with h = 1e-3·s
  // and s the α-scale on which P varies (α for α < 1, the sd √α above). Truncation: C·(h/s)⁴
  // relative with C the scaled fifth derivative; we allow C ≤ 100, i.e. 1e-10. Rounding: each
  // D(k) errs by ≤ ε_P/k with ε_P = REL·|P| (previous test), so R errs by ≤ (4/3·2 + 1/3)ε_P/h
  // = 3ε_P/h absolutely, i.e. 3·REL·|P|/(h·|∂P/∂α|) relatively.
  for (const [a, z] of [
    [0.05, 0.3],
    [0.5, 0.2],
    [0.5, 3],
    [2, 1.5],
    [7.5, 6],
    [7.5, 12],
    [300, 280],
    [1e4, 1e4 + 150],
  ] as const) {
    const s = a < 1 ? a : Math.sqrt(a);
    const h = 1e-3 * s;
    const P = (al: number): number => (z < al + 1 ? gammaP(al, z) : -gammaQ(al, z));
    const D = (hh: number): number => (P(a + hh) - P(a - hh)) / (2 * hh);
    const dP = (4 * D(h / 2) - D(h)) / 3;
    const density = Math.exp((a - 1) * Math.log(z) - z - lgamma(a));
    const fd = -dP / density;
    const roundErr = (3 * REL * Math.abs(P(a))) / (h * Math.abs(dP));
    close(standardGammaGrad(a, z), fd, 1e-10 + roundErr, 0, `dz/dα(${a}, ${z}) vs FD`);
  }
});

test("standardGammaGrad at large α matches the Wilson–Hilferty approximation", () => {
  // Wilson–Hilferty: z ≈ α(1 − 1/(9α) + w/(3√α))³ for the normal quantile w. Its error, the next
  // Cornish–Fisher term, is of relative order α^{-3/2} with a quadratic coefficient in w, so we
  // allow (1 + w²)·α^{-3/2} (a sanity check of the regime; the mpmath test above is the sharp one).
  for (const a of [1e4, 1e6]) {
    for (const w of [-3, -1, 0, 1, 3]) {
      const B = 1 - 1 / (9 * a) + w / (3 * Math.sqrt(a));
      const dB = 1 / (9 * a * a) - w / (6 * a ** 1.5);
      const z = a * B ** 3;
      const dzWH = B ** 3 + 3 * a * B * B * dB;
      close(standardGammaGrad(a, z), dzWH, (1 + w * w) * a ** -1.5, 0, `WH α=${a} w=${w}`);
    }
  }
});

test("E[dz/dα] = 1 over Gamma(α) draws (since E[z] = α)", () => {
  // Mean of n i.i.d. gradients: within 4 standard errors, SE = sample sd / √n.
  const n = 20000;
  for (const [i, a] of [0.1, 0.5, 1, 7.5, 1e3].entries()) {
    const z = standardGamma(PRNGKey(100 + i), new Float64Array(n).fill(a));
    let sum = 0;
    let sum2 = 0;
    for (const zi of z) {
      const g = standardGammaGrad(a, zi);
      sum += g;
      sum2 += g * g;
    }
    const mean = sum / n;
    const sd = Math.sqrt((sum2 - n * mean * mean) / (n - 1));
    close(mean, 1, 0, (4 * sd) / Math.sqrt(n), `E[dz/dα] at α=${a}`);
  }
});
