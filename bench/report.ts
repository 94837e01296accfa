/**
 * Markdown for the benchmark report: number formatting, tables, the status
 * of a contender (WRONG / FAILED are shown instead of a time), and the
 * targets the issues set, with whether each is met.
 */
import type { Result } from "./harness.js";

/** A target from an issue, as measured in this run. */
export interface Target {
  /** Which issue and what it asks, e.g. "issue 6: NUTS eight schools ≥ 10× WebPPL's best ESS/s". */
  readonly target: string;
  /** The measured ratio, e.g. "0.71× (numpy 312 ESS/s ÷ WebPPL MH 440 ESS/s)". */
  readonly measured: string;
  /** Whether it is met (undefined for a figure without a target, or one that could not be measured). */
  readonly met: boolean | undefined;
}

/** What a case hands back to the entry point. */
export interface CaseReport {
  /** The case's Markdown (tables and notes). */
  readonly markdown: string;
  /** The raw results, for the JSON file. */
  readonly results: Result[];
  /** The targets this case measures. */
  readonly targets: Target[];
}

/** A number with 3–4 significant digits (integers from 100 up). */
export function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : a >= 0.01 ? x.toFixed(3) : x.toExponential(2);
}

/** A ratio as "12.3×". */
export function times(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "–" : `${fmt(x)}×`;
}

/** Bytes as MB. */
export function mb(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? "–" : (bytes / 2 ** 20).toFixed(1);
}

/** A Markdown table; the first column is left-aligned, the others right-aligned. */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const sep = head.map((_, i) => (i === 0 ? "---" : "---:"));
  return [head, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** Whether a result has a usable, right answer. */
export function ok(r: Result | undefined): r is Result {
  return r !== undefined && r.wrong === undefined && r.runs.length > 0;
}

/** "WRONG: …" or "FAILED: …" for a result without a usable answer, else undefined. */
export function badStatus(r: Result): string | undefined {
  if (r.wrong !== undefined) return `WRONG: ${r.wrong}`;
  if (r.runs.length === 0) return `FAILED: ${r.failures[0] ?? "no run completed"}`;
  return undefined;
}

/**
 * A table row: the contender's name, then `cells(r)`, or for a result
 * without a usable answer its status in the first data column and blanks.
 */
export function row(r: Result, width: number, cells: (r: Result) => string[]): string[] {
  const bad = badStatus(r);
  if (bad !== undefined) return [r.contender, bad, ...Array.from({ length: width - 2 }, () => "")];
  return [r.contender, ...cells(r)];
}

/** Notes on failed rounds (e.g. a WebPPL HMC run that threw), one line per contender that had any. */
export function failureNotes(results: readonly Result[]): string {
  const lines = results
    .filter((r) => r.failures.length > 0 && r.runs.length > 0)
    .map((r) => `- ${r.contender}: ${r.failures.length} run(s) failed and are not in the medians; first: ${r.failures[0]}`);
  return lines.length === 0 ? "" : `\n\nFailed runs:\n${lines.join("\n")}`;
}

/** A Markdown table of targets. */
export function targetTable(targets: readonly Target[]): string {
  return mdTable(
    ["target", "measured", "met"],
    targets.map((t) => [t.target, t.measured, t.met === undefined ? "–" : t.met ? "yes" : "**no**"]),
  );
}

/** The result named `name`. */
export function find(results: readonly Result[], name: string): Result | undefined {
  return results.find((r) => r.contender === name);
}
