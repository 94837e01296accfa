import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ParamConstraintError,
  ParamNotFoundError,
  dist,
  handlers,
  ops,
  pyro,
  pyroBackend,
} from "../../src/index.js";

describe("param store", () => {
  it("stores constrained values as unconstrained tensors and returns them constrained", () =>
    pyroBackend("pyro", () => {
      const store = pyro.getParamStore();
      store.clear();
      store.set("scale", 2.5, { constraint: dist.constraints.positive });
      assert.ok(Math.abs(ops.item(store.getUnconstrained("scale")) - Math.log(2.5)) < 1e-6);
      assert.ok(Math.abs(ops.item(pyro.getParam("scale")) - 2.5) < 1e-6);
      store.set("p", [0.2, 0.3, 0.5], { constraint: dist.constraints.simplex });
      const p = Array.from(ops.toFlat(store.get("p")));
      p.forEach((v, i) => assert.ok(Math.abs(v - [0.2, 0.3, 0.5][i]!) < 1e-6));
      assert.deepEqual(store.names(), ["scale", "p"]);
    }));

  it("keeps the first value of a param: later inits are ignored, as in Pyro", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const m = pyro.model(function* (init: number) {
        return yield* pyro.param("w", init);
      });
      assert.equal(ops.item(pyro.run(m(1))), 1);
      assert.equal(ops.item(pyro.run(m(5))), 1);
    }));

  it("throws a named error when a param is read before it exists", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const m = pyro.model(function* () {
        return yield* pyro.param("missing");
      });
      assert.throws(() => pyro.run(m()), (e: unknown) => e instanceof ParamNotFoundError && /pyro\.param\("missing"\) was read before it exists/.test(e.message));
      assert.throws(() => pyro.getParam("missing"), ParamNotFoundError);
    }));

  it("rejects an initial value its constraint's transform cannot map, leaving the store unchanged", () =>
    pyroBackend("pyro", () => {
      pyro.clearParamStore();
      const m = pyro.model(function* () {
        return yield* pyro.param("sd", -1, { constraint: dist.constraints.positive });
      });
      assert.throws(() => handlers.trace(m).getTrace(), (e: unknown) => e instanceof ParamConstraintError && /"sd".*positive/.test(e.message));
      assert.equal(pyro.getParamStore().has("sd"), false);
    }));
});
