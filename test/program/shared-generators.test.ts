/**
 * Library code starts programs from shared generator functions (module-level
 * `function*` declarations and generator methods), never from `function*`
 * expressions evaluated per run: V8 gives each new generator function its
 * own prototype and hidden class on its first call (about 2–3 µs and
 * garbage that outlives minor collections; see `gen`). One such expression
 * in an autoguide or a compiled SVI step runs on every step.
 *
 * A source scan: doc comments and line comments are skipped, and every other
 * `function*` must begin a declaration.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const SRC = join(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** `function*` occurrences outside comments that do not begin a declaration. */
function expressions(text: string): number[] {
  const lines: number[] = [];
  text.split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    if (/^\s*(\*|\/\*\*)/.test(code) || !code.includes("function*")) return;
    if (/^(export )?function\* \w+/.test(code) && code.indexOf("function*") === code.lastIndexOf("function*")) return;
    lines.push(i + 1);
  });
  return lines;
}

describe("library code uses shared generator functions", () => {
  it("no function* expression in src/", () => {
    const found = sources(SRC).flatMap((f) => expressions(readFileSync(f, "utf8")).map((l) => `${relative(SRC, f)}:${l}`));
    assert.deepEqual(found, []);
  });

  it("the scan finds expressions and passes declarations", () => {
    assert.deepEqual(expressions("export function* a() {}\nfunction* b(x) {}\n/** gen(function* () {}) */\n * pyro.plate(function* () {})\n// function* c"), []);
    assert.deepEqual(expressions("const f = () => gen(function* () {});\n  return gen(function* () {\nx(function*(){})"), [1, 2, 3]);
  });
});
