/**
 * Per-site diagnostics and Pyro's summary table (`print_summary` of
 * `pyro/infer/mcmc/util.py`) from the draws of every chain.
 *
 * @module
 */
import type { Shape } from "../../tensor/types.js";
import { sizeOf } from "../../tensor/shape.js";
import type { MCMCSummary, SiteDiagnostics, SummaryRow } from "./api.js";
import { DiagnosticsInputError, effectiveSampleSize, hpdi, lowerMedian, mean, splitGelmanRubin, variance } from "./diagnostics.js";

/** The draws of one site over all chains: `values` is row-major `[numChains, numDraws, ...shape]`. */
export interface SiteDraws {
  /** The site's value shape. */
  readonly shape: Shape;
  /** The number of chains. */
  readonly numChains: number;
  /** Draws per chain. */
  readonly numDraws: number;
  /** The values. */
  readonly values: Float64Array;
}

/** The draws of element `j` of a site, one array per chain. */
export function elementChains(site: SiteDraws, j: number): Float64Array[] {
  const size = sizeOf(site.shape);
  const out: Float64Array[] = [];
  for (let c = 0; c < site.numChains; c++) {
    const x = new Float64Array(site.numDraws);
    for (let i = 0; i < site.numDraws; i++) x[i] = site.values[(c * site.numDraws + i) * size + j]!;
    out.push(x);
  }
  return out;
}

/** `fn(chains)`, or NaN when the chains are too short for it (as Pyro's `_safe`). */
function safe(fn: (chains: readonly Float64Array[]) => number, chains: readonly Float64Array[]): number {
  try {
    return fn(chains);
  } catch (e) {
    if (e instanceof DiagnosticsInputError) return NaN;
    throw e;
  }
}

/** n_eff and split R-hat of each element of a site. */
export function siteDiagnostics(site: SiteDraws): SiteDiagnostics {
  const size = sizeOf(site.shape);
  const nEff = new Float64Array(size);
  const rHat = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const chains = elementChains(site, j);
    nEff[j] = safe(effectiveSampleSize, chains);
    rHat[j] = safe(splitGelmanRubin, chains);
  }
  return { shape: site.shape, nEff, rHat };
}

/** The row-major multi-index of flat position `j` in `shape`. */
function multiIndex(shape: Shape, j: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = j % shape[d]!;
    j = Math.floor(j / shape[d]!);
  }
  return idx;
}

/** A number as Python's `{:>9.2f}` prints it. */
function formatNumber(x: number): string {
  const s = Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x.toFixed(2);
  return s.padStart(9);
}

/** The HPDI column labels for `prob`, as Pyro ("5.0%", "95.0%" for 0.9). */
export function hpdiLabels(prob: number): [string, string] {
  return [`${(50 * (1 - prob)).toFixed(1)}%`, `${(50 * (1 + prob)).toFixed(1)}%`];
}

/**
 * Pyro's summary of `sites` with a `prob` HPDI: the statistics of each
 * element over all chains' draws, and the table text (a blank line, the
 * header, one row per element, a blank line, then "Number of divergences: N").
 *
 * @example
 * ```ts
 * summarize({ mu: { shape: [], numChains: 1, numDraws: 4, values } }, 0.9, 0).text;
 * ```
 */
export function summarize(sites: Readonly<Record<string, SiteDraws>>, prob: number, divergences: number): MCMCSummary {
  if (!(prob > 0 && prob < 1)) throw new DiagnosticsInputError("summary", `prob must be in (0, 1), got ${prob}`);
  const [low, high] = hpdiLabels(prob);
  const columns = ["mean", "std", "median", low, high, "n_eff", "r_hat"];
  const rows: SummaryRow[] = [];
  for (const [name, site] of Object.entries(sites)) {
    const size = sizeOf(site.shape);
    const { nEff, rHat } = siteDiagnostics(site);
    for (let j = 0; j < size; j++) {
      const chains = elementChains(site, j);
      const all = new Float64Array(site.numChains * site.numDraws);
      chains.forEach((c, i) => all.set(c, i * site.numDraws));
      const [hpdiLow, hpdiHigh] = all.length > 0 ? hpdi(all, prob) : [NaN, NaN];
      rows.push({
        label: site.shape.length === 0 ? name : `${name}[${multiIndex(site.shape, j).join(",")}]`,
        mean: mean(all),
        std: Math.sqrt(variance(all, 1)),
        median: all.length > 0 ? lowerMedian(all) : NaN,
        hpdiLow,
        hpdiHigh,
        nEff: nEff[j]!,
        rHat: rHat[j]!,
      });
    }
  }
  // Pyro sizes the name column from `name[d0-1,d1-1,...]` (with "[]" for scalars), at least 10 wide.
  const widths = Object.entries(sites).map(([name, s]) => `${name}[${s.shape.map((d) => d - 1).join(",")}]`.length);
  const width = Math.max(10, ...widths);
  const lines = [
    "",
    "".padStart(width) + columns.map((c) => ` ${c.padStart(9)}`).join(""),
    ...rows.map(
      (r) =>
        r.label.padStart(width) +
        [r.mean, r.std, r.median, r.hpdiLow, r.hpdiHigh, r.nEff, r.rHat].map((v) => ` ${formatNumber(v)}`).join(""),
    ),
    "",
    `Number of divergences: ${divergences}`,
  ];
  return { columns, rows, divergences, text: lines.join("\n") };
}
