// Every example runs to completion on the pyro, numpy and funsor backends (with few
// steps: this checks that they run, not what they print).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";

function run(file: string, backend: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", `examples/${file}`, backend], {
      env: { ...process.env, EXAMPLE_STEPS: "20" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("examples", () => {
  for (const file of readdirSync("examples").filter((f) => f.endsWith(".ts")).sort()) {
    for (const backend of ["pyro", "numpy", "funsor"]) {
      it(`${file} runs on ${backend}`, async () => {
        const { code, out } = await run(file, backend);
        assert.equal(code, 0, out);
        assert.ok(out.trim().length > 0, "prints its results");
      });
    }
  }
});
