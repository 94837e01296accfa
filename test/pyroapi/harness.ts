/**
 * The conformance harness: runs a pyroapi test body on every backend, like
 * tfjs's `describeWithFlags(..., ALL_ENVS)`, and records a support matrix.
 *
 * A test that throws `NotImplementedError` is recorded as "not supported"
 * (and reported as skipped, never as passed) unless the test is required on
 * that backend, in which case it fails.
 */
import { after, it, type TestContext } from "node:test";
import { NotImplementedError, pyroBackend, registeredBackends } from "../../src/index.js";
import { resolveBackend } from "../../src/dispatch/registry.js";

type Outcome = "pass" | "not supported" | "FAIL";
const matrix = new Map<string, Map<string, Outcome>>();

/** The registered backends, without aliases that resolve to an earlier backend's modules. */
export function canonicalBackends(): string[] {
  const seen: object[] = [];
  const out: string[] = [];
  for (const alias of registeredBackends()) {
    const pyro = resolveBackend(alias).pyro;
    if (seen.includes(pyro)) continue;
    seen.push(pyro);
    out.push(alias);
  }
  return out;
}

function record(test: string, backend: string, outcome: Outcome): void {
  let row = matrix.get(test);
  if (row === undefined) matrix.set(test, (row = new Map()));
  row.set(backend, outcome);
}

/** Which backends must pass a test (a NotImplementedError there is a failure). */
export type Required = "all" | readonly string[];

/**
 * Registers `name` as one node:test per backend; `body` runs inside
 * `pyroBackend(backend)`.
 */
export function conformance(name: string, required: Required, body: (backend: string) => void): void {
  for (const backend of canonicalBackends()) {
    it(`${name} [${backend}]`, (t: TestContext) => {
      try {
        pyroBackend(backend, () => body(backend));
        record(name, backend, "pass");
      } catch (e) {
        const mustPass = required === "all" || required.includes(backend);
        if (e instanceof NotImplementedError && !mustPass) {
          record(name, backend, "not supported");
          t.skip(`not supported: ${e.message}`);
          return;
        }
        record(name, backend, "FAIL");
        throw e;
      }
    });
  }
}

/** Prints the backend × test support matrix once this file's tests are done. */
export function printMatrixAfter(title: string): void {
  after(() => {
    const backends = canonicalBackends();
    const width = Math.max(...[...matrix.keys()].map((k) => k.length), 4);
    const lines = [
      `\n${title}: support matrix (pass / not supported / FAIL)`,
      `${"test".padEnd(width)}  ${backends.map((b) => b.padEnd(13)).join(" ")}`,
    ];
    for (const [test, row] of matrix) {
      lines.push(`${test.padEnd(width)}  ${backends.map((b) => (row.get(b) ?? "-").padEnd(13)).join(" ")}`);
    }
    console.log(lines.join("\n"));
  });
}
