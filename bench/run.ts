/**
 * The benchmark entry point: `npm run bench` runs every case,
 * `npm run bench -- --only svi-logreg` one of them. Prints a Markdown report
 * and writes it, with the raw runs, under bench/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { opsCase } from "./cases/ops.js";
import { sviLogregCase } from "./cases/svi-logreg.js";

const cases: Record<string, () => Promise<string>> = {
  ops: () => opsCase(7),
  "svi-logreg": () => sviLogregCase(7, 300),
};

const only = process.argv.indexOf("--only");
const selected = only >= 0 ? (process.argv[only + 1] ?? "").split(",") : Object.keys(cases);
for (const name of selected) if (!(name in cases)) throw new Error(`unknown case "${name}"; cases: ${Object.keys(cases).join(", ")}`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
const sections: string[] = [`# Benchmarks\n\nMachine: ${machine}. Medians of alternating runs; ratios against a peer measured in the same run.`];
for (const name of selected) {
  const start = performance.now();
  const md = await cases[name]!();
  sections.push(`## ${name}\n\n${md}\n\n(${((performance.now() - start) / 1000).toFixed(1)} s)`);
  console.log(sections[sections.length - 1] + "\n");
}
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/report.md", import.meta.url), sections.join("\n\n") + "\n");
