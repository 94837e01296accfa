#!/usr/bin/env node
// Imports the built package from dist/ with plain Node (no tsx): catches
// import specifiers that only work under a TypeScript loader.
import assert from "node:assert/strict";
const api = await import("../dist/index.js");
const { pyro, dist, handlers, pyroBackend, registeredBackends } = api;
for (const name of ["pyro", "tfjs", "minipyro"]) assert.ok(registeredBackends().includes(name), `backend ${name} registered`);
const model = pyro.model(function* () {
  return yield* pyro.sample("x", dist.Normal(0, 1));
});
for (const backend of ["pyro", "minipyro"]) {
  const tr = pyroBackend(backend, () => handlers.trace(model).getTrace());
  assert.ok(tr.nodes.has("x"), `${backend}: trace has site x`);
}
console.log(`dist smoke test passed (${registeredBackends().join(", ")})`);
