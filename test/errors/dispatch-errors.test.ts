// Errors of the param store and of dispatch (issue 7, item 1): a param read before it exists, an
// unknown backend alias, and NotImplementedError for every member a backend lacks — each a typed
// class exported from the package, with an exact message. Also what minipyro (the small reference
// interpreter) does with the bad models of site-errors.test.ts.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as pkg from "../../src/index.js";
import {
  DuplicateSiteError,
  NotImplementedError,
  ParamNotFoundError,
  UnknownBackendError,
  dist,
  handlers,
  infer,
  modules,
  ops,
  optim,
  pyro,
  pyroBackend,
  registeredBackends,
} from "../../src/index.js";
import { DistributionArgumentError } from "../../src/distributions/errors.js";
import { MODULE_NAMES } from "../../src/backends/backend.js";
import { throwsExactly } from "./helpers.js";

describe("param store and dispatch errors", () => {
  for (const backend of ["pyro", "numpy", "minipyro"]) {
    it(`pyro.param(name) read before it exists: ParamNotFoundError [${backend}]`, () =>
      pyroBackend(backend, () => {
        pyro.clearParamStore();
        const m = pyro.model(function* () {
          yield* pyro.param("loc");
        });
        const message = 'pyro.param("loc") was read before it exists: give an initial value on first use (the param store is empty)';
        throwsExactly(() => handlers.trace(m).getTrace(), ParamNotFoundError, message);
        throwsExactly(() => pyro.getParam("loc"), ParamNotFoundError, message);
      }));
  }

  it("a param read before it exists lists the params that do exist", () =>
    pyroBackend("numpy", () => {
      pyro.clearParamStore();
      pyro.run(pyro.model(function* () {
        yield* pyro.param("scale", 1);
      })());
      assert.throws(() => pyro.getParam("sclae"), (e: unknown) => e instanceof ParamNotFoundError && e.message.includes("scale"));
      pyro.clearParamStore();
    }));

  it("an unknown backend alias: UnknownBackendError listing the registered ones", () => {
    throwsExactly(
      () => pyroBackend("jax", () => 1),
      UnknownBackendError,
      `unknown Pyro backend "jax"; registered backends: ${registeredBackends().join(", ")}`,
    );
  });

  it("every member one backend has and another lacks throws NotImplementedError naming both", () => {
    const backends = ["pyro", "numpy", "minipyro"];
    let missing = 0;
    for (const name of MODULE_NAMES) {
      const all = new Set<string>();
      for (const b of backends) pyroBackend(b, (m) => Object.keys(m[name]).forEach((k) => all.add(k)));
      for (const b of backends) {
        pyroBackend(b, () => {
          const module = modules[name] as unknown as Record<string, unknown>;
          for (const member of all) {
            if (member in module) {
              assert.notEqual(module[member], undefined, `${b}: ${name}.${member} is present but undefined`);
              continue;
            }
            missing++;
            throwsExactly(() => module[member], NotImplementedError, `This Pyro backend does not implement ${name}.${member} (backend: ${b})`);
          }
        });
      }
    }
    assert.ok(missing > 10, `minipyro lacks many members (${missing} checked)`);
  });

  it("a full-backend effect or feature run by minipyro: NotImplementedError", () =>
    pyroBackend("minipyro", () => {
      const det = pyroBackend("pyro", () => pyro.deterministic("d", 1));
      throwsExactly(() => pyro.run(det), NotImplementedError, "This Pyro backend does not implement pyro.deterministic (backend: minipyro)");
      const sub = pyro.model(function* () {
        yield* pyro.plate("p", 10, { subsampleSize: 3 }, function* () {});
      });
      throwsExactly(() => pyro.run(sub()), NotImplementedError, "This Pyro backend does not implement pyro.plate with subsampling (backend: minipyro)");
    }));

  it(
    "minipyro's SVI lacks run/runAsync/evaluateLoss and should throw NotImplementedError for them",
    () =>
      pyroBackend("minipyro", () => {
        const m = pyro.model(function* () {});
        const svi = new infer.SVI(m, m, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()) as unknown as { run: (o: object) => unknown };
        assert.throws(() => svi.run({ numSteps: 1 }), NotImplementedError);
      }),
  );
});

describe("minipyro on bad models", () => {
  it("duplicate sites: DuplicateSiteError, as the full backends", () =>
    pyroBackend("minipyro", () => {
      const m = pyro.model(function* () {
        yield* pyro.sample("x", dist.Normal(0, 1));
        yield* pyro.sample("x", dist.Normal(0, 1));
      });
      assert.throws(() => handlers.trace(m).getTrace(), DuplicateSiteError);
    }));

  it("a plate/batch shape mismatch: a typed error (DistributionArgumentError from expand, without the site name)", () =>
    pyroBackend("minipyro", () => {
      const m = pyro.model(function* () {
        yield* pyro.plate("data", 100, function* () {
          yield* pyro.sample("obs", dist.Normal(ops.zeros([1000]), 1));
        });
      });
      throwsExactly(() => handlers.trace(m).getTrace(), DistributionArgumentError, "Normal: cannot expand batch shape [1000] to [100]");
    }));

  it(
    "an observed value that does not broadcast, and a non-finite ELBO, are errors on minipyro too",
    () =>
      pyroBackend("minipyro", () => {
        const bad = pyro.model(function* () {
          yield* pyro.sample("y", dist.Normal(ops.zeros([3]), 1), { obs: ops.zeros([4]) });
        });
        assert.throws(() => handlers.trace(bad).getTrace());
        const model = pyro.model(function* () {
          yield* pyro.sample("y", dist.Normal(0, 1), { obs: Infinity });
        });
        const guide = pyro.model(function* () {});
        assert.throws(() => new infer.SVI(model, guide, optim.Adam({ lr: 0.1 }), new infer.TraceELBO()).step());
      }),
  );
});

/** `export class X extends ...Error` declarations under `dir`. */
function errorClasses(dir: string): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...errorClasses(path));
    else if (entry.endsWith(".ts")) {
      for (const m of readFileSync(path, "utf8").matchAll(/export class (\w+) extends (\w*Error)\b/g)) out.push({ name: m[1]!, file: path });
    }
  }
  return out;
}

describe("every error class is exported from the package", () => {
  // Errors users catch must be importable from "pyroapi" (the public surface), so `instanceof` works.
  // NonlocalExit is control flow (escape's exception), not an error users see.
  const internal = new Set(["NonlocalExit"]);
  const classes = errorClasses(join(import.meta.dirname, "../../src")).filter((c) => !internal.has(c.name));
  const exported = new Set(Object.keys(pkg));
  const missing = classes.filter((c) => !exported.has(c.name));

  it("the errors this issue's table relies on are exported", () => {
    for (const name of ["PlateShapeError", "DuplicateSiteError", "ObservationShapeError", "NonFiniteLogProbError", "ParamNotFoundError",
      "UnknownBackendError", "NotImplementedError", "SiteShapeError", "ModelGuideMismatchError", "MCMCOptionError", "DecodeError"]) {
      assert.ok(exported.has(name), `${name} is not exported from src/index.ts`);
    }
  });

  it(
    "all error classes under src/ are exported from src/index.ts",
    () => {
      assert.deepEqual(missing.map((c) => `${c.name} (${c.file.replace(/.*\/src\//, "src/")})`), []);
    },
  );
});
