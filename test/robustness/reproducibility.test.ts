// Reproducibility (issue 7, item 4): the same seed gives bit-identical SVI losses, params and MCMC
// samples — twice in one process, and in two separate processes — on every backend.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { BACKENDS, fingerprint } from "./repro-run.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./repro-run.ts", import.meta.url));

/** `a` and `b` as JSON (numbers round-trip exactly), so equal strings mean bit-identical numbers. */
const same = (a: unknown, b: unknown, what: string) => assert.equal(JSON.stringify(a), JSON.stringify(b), what);

describe("the same seed gives bit-identical results", () => {
  for (const backend of BACKENDS) {
    it(`twice in one process [${backend}]`, () => {
      const first = fingerprint(backend);
      const second = fingerprint(backend);
      same(first, second, backend);
      assert.equal(first.losses.length, 30);
      assert.ok(first.losses.every(Number.isFinite));
      if (backend !== "minipyro") assert.equal(first.samples!.loc!.length, 50);
    });
  }

  it("in two separate processes, on every backend (and the same as in this process)", async () => {
    const child = () => run(process.execPath, ["--import", "tsx", script], { cwd: fileURLToPath(new URL("../..", import.meta.url)), maxBuffer: 1 << 24 });
    const [a, b] = await Promise.all([child(), child()]);
    const pa = JSON.parse(a.stdout) as Record<string, unknown>;
    const pb = JSON.parse(b.stdout) as Record<string, unknown>;
    for (const backend of BACKENDS) {
      same(pa[backend], pb[backend], `${backend}: process 1 vs process 2`);
      same(pa[backend], fingerprint(backend), `${backend}: child process vs this process`);
    }
  });

  it("a different seed gives different results (the fingerprint is not trivially constant)", () => {
    const a = fingerprint("numpy", 7);
    const b = fingerprint("numpy", 8);
    assert.notDeepEqual(a.losses, b.losses);
    assert.notDeepEqual(a.samples, b.samples);
    assert.ok(new Set(a.losses).size > 20, "the losses vary from step to step");
  });
});
