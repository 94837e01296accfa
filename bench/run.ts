/**
 * The benchmark entry point: `npm run bench` runs every case,
 * `npm run bench -- --only nuts` the cases whose names start with "nuts"
 * (comma-separated prefixes allowed). Prints a Markdown report and writes it
 * to bench/results/report.md, with every raw run in bench/results/runs.json
 * (report-<cases>.md and runs-<cases>.json for a partial run).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { enumCase } from "./cases/enum.js";
import { jitCase } from "./cases/jit.js";
import { nutsEightSchoolsCase } from "./cases/nuts-eight-schools.js";
import { nutsLogregCase } from "./cases/nuts-logreg.js";
import { opsCase } from "./cases/ops.js";
import { sviLogregCase } from "./cases/svi-logreg.js";
import { sviScalingCase } from "./cases/svi-scaling.js";
import { traceOverheadCase } from "./cases/trace-overhead.js";
import { targetTable, type CaseReport, type Target } from "./report.js";

/** `--only` named no case. */
class UnknownCaseError extends Error {
  constructor(prefixes: readonly string[], known: readonly string[]) {
    super(`--only ${prefixes.join(",")}: no case starts with that; cases: ${known.join(", ")}`);
    this.name = "UnknownCaseError";
  }
}

const cases: Record<string, () => Promise<CaseReport>> = {
  ops: opsCase,
  "svi-logreg": sviLogregCase,
  "nuts-eight-schools": nutsEightSchoolsCase,
  "nuts-logreg": nutsLogregCase,
  "svi-scaling": sviScalingCase,
  "trace-overhead": traceOverheadCase,
  enum: enumCase,
  jit: jitCase,
};

const only = process.argv.indexOf("--only");
const prefixes = only >= 0 ? (process.argv[only + 1] ?? "").split(",").filter((p) => p !== "") : [];
const selected = prefixes.length === 0 ? Object.keys(cases) : Object.keys(cases).filter((c) => prefixes.some((p) => c.startsWith(p)));
if (only >= 0 && (prefixes.length === 0 || selected.length === 0)) {
  throw new UnknownCaseError(prefixes, Object.keys(cases));
}

const command = `npm run bench${only >= 0 ? ` -- --only ${prefixes.join(",")}` : ""}`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${process.platform}`;
const startLoad = load();
const started = performance.now();
const sections: string[] = [];
const targets: Target[] = [];
const raw: Record<string, { seconds: number; results: CaseReport["results"] }> = {};
for (const name of selected) {
  const start = performance.now();
  const report = await cases[name]!();
  const seconds = (performance.now() - start) / 1000;
  raw[name] = { seconds, results: report.results };
  targets.push(...report.targets);
  const section = `## ${name}\n\n${report.markdown}\n\n(case wall time ${seconds.toFixed(0)} s)`;
  sections.push(section);
  console.log(section + "\n");
}
const total = (performance.now() - started) / 1000;
const header = [
  "# Benchmarks",
  `Machine: ${machine}; load average ${startLoad} at the start, ${load()} at the end (the machine is shared).`,
  `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}); total wall time ${(total / 60).toFixed(1)} min.`,
  "Each contender runs in its own process; timed rounds alternate between contenders, one process working at a time; " +
    "figures are medians over rounds, ratios are between contenders measured in the same run. " +
    "A contender whose answer fails its check is shown as WRONG, one that crashed as FAILED, never with a time.",
];
const summary = targets.length > 0 ? `## Targets\n\n${targetTable(targets)}` : "";
const report = [header.join("\n\n"), summary, ...sections].filter((s) => s !== "").join("\n\n") + "\n";
if (summary !== "") console.log(summary + "\n");
console.log(`total wall time ${(total / 60).toFixed(1)} min`);
// A partial run (--only) writes report-<cases>.md, so it does not overwrite the last full report.
const suffix = only >= 0 ? `-${selected.join("+")}` : "";
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/report${suffix}.md`, import.meta.url), report);
writeFileSync(
  new URL(`./results/runs${suffix}.json`, import.meta.url),
  JSON.stringify({ machine, command, date: new Date().toISOString(), loadAverage: { start: startLoad, end: load() }, totalSeconds: total, cases: raw }, null, 1) + "\n",
);
