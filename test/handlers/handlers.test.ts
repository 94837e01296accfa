import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DuplicateSiteError,
  ObservationShapeError,
  PlateShapeError,
  dist,
  handlers,
  ops,
  pyro,
  pyroBackend,
  type Tensor,
} from "../../src/index.js";

const inPyro = <A>(body: () => A): A => pyroBackend("pyro", body);
const value = (t: Tensor | null | undefined): number => ops.item(t!);

const model = pyro.model(function* (data?: Tensor) {
  const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
  const scale = yield* pyro.param("scale", 1, { constraint: dist.constraints.positive });
  return yield* pyro.sample("obs", dist.Normal(loc, scale), { obs: data });
});

describe("trace", () => {
  it("records every site in execution order with its value, distribution and the run's return value", () =>
    inPyro(() => {
      pyro.clearParamStore();
      const tr = handlers.trace(model).getTrace(ops.tensor(0.5));
      assert.deepEqual([...tr.nodes.keys()], ["loc", "scale", "obs"]);
      const obs = tr.nodes.get("obs")!;
      assert.equal(obs.isObserved, true);
      assert.equal(value(obs.value), 0.5);
      assert.equal(tr.nodes.get("scale")!.type, "param");
      assert.equal(value(tr.returnValue as Tensor), 0.5);
      // logProbSum = log N(loc; 0, 1) + log N(0.5; loc, 1)
      const loc = value(tr.nodes.get("loc")!.value);
      const lp = (x: number, m: number) => -0.5 * (x - m) ** 2 - 0.5 * Math.log(2 * Math.PI);
      const expected = lp(loc, 0) + lp(0.5, loc);
      assert.ok(Math.abs(value(tr.logProbSum(ops)) - expected) < 1e-5);
      assert.match(tr.formatShapes(), /loc\s+sample\s+\[\]\s+\[\]\s+\[\]/);
    }));

  it("rejects two sites with the same name", () =>
    inPyro(() => {
      const twice = pyro.model(function* () {
        yield* pyro.sample("x", dist.Normal(0, 1));
        yield* pyro.sample("x", dist.Normal(0, 1));
      });
      assert.throws(() => handlers.trace(twice).getTrace(), (e: unknown) => e instanceof DuplicateSiteError && /'x'/.test(e.message));
    }));
});

describe("seed", () => {
  it("gives the same draws for the same seed and different draws for another", () =>
    inPyro(() => {
      const draw = (s: number) => value(handlers.trace(handlers.seed(model, s)).getTrace().nodes.get("loc")!.value);
      assert.equal(draw(3), draw(3));
      assert.notEqual(draw(3), draw(4));
      // The body form seeds the backend's random state and restores it afterwards.
      const a = handlers.seed(7, () => value(pyro.run(pyro.sample("z", dist.Normal(0, 1)))));
      const b = handlers.seed(7, () => value(pyro.run(pyro.sample("z", dist.Normal(0, 1)))));
      assert.equal(a, b);
    }));
});

describe("replay, condition, substitute, block", () => {
  it("replay reuses recorded latent values; condition observes; substitute fixes without observing", () =>
    inPyro(() => {
      const tr = handlers.trace(model).getTrace();
      const replayed = handlers.trace(handlers.replay(model, { trace: tr })).getTrace();
      assert.equal(value(replayed.nodes.get("loc")!.value), value(tr.nodes.get("loc")!.value));

      const conditioned = handlers.trace(handlers.condition(model, { loc: 2 })).getTrace();
      assert.equal(conditioned.nodes.get("loc")!.isObserved, true);
      assert.equal(value(conditioned.nodes.get("loc")!.value), 2);

      const substituted = handlers.trace(handlers.substitute(model, { data: { loc: 3, scale: 0.5 } })).getTrace();
      assert.equal(substituted.nodes.get("loc")!.isObserved, false);
      assert.equal(value(substituted.nodes.get("loc")!.value), 3);
      assert.equal(value(substituted.nodes.get("scale")!.value), 0.5);
    }));

  it("block hides sites from outer handlers (all by default, or by name)", () =>
    inPyro(() => {
      assert.equal(handlers.trace(handlers.block(model)).getTrace().nodes.size, 0);
      const partial = handlers.trace(handlers.block(model, { hide: ["loc"] })).getTrace();
      assert.deepEqual([...partial.nodes.keys()], ["scale", "obs"]);
      const exposed = handlers.trace(handlers.block(model, { exposeTypes: ["param"] })).getTrace();
      assert.deepEqual([...exposed.nodes.keys()], ["scale"]);
    }));
});

describe("scale and mask", () => {
  it("multiply and mask each site's log-density", () =>
    inPyro(() => {
      const m = pyro.model(function* () {
        yield* pyro.sample("x", dist.Normal(ops.zeros([3]), 1).toEvent(0), { obs: ops.tensor([0, 1, 2]) });
      });
      const base = handlers.trace(m).getTrace();
      base.computeLogProb();
      const lp = Array.from(ops.toFlat(base.nodes.get("x")!.logProb!));
      const scaled = handlers.trace(handlers.scale(m, { scale: 2.5 })).getTrace();
      scaled.computeLogProb();
      assert.deepEqual(Array.from(ops.toFlat(scaled.nodes.get("x")!.logProb!)), lp.map((v) => Math.fround(v * 2.5)));
      const masked = handlers.trace(handlers.mask(m, { mask: ops.tensor([true, false, true]) })).getTrace();
      masked.computeLogProb();
      assert.deepEqual(Array.from(ops.toFlat(masked.nodes.get("x")!.logProb!)), [lp[0], 0, lp[2]]);
    }));
});

describe("plate", () => {
  it("broadcasts distributions to the plate size and allocates dims right to left", () =>
    inPyro(() => {
      const m = pyro.model(function* () {
        yield* pyro.plate("outer", 3, function* () {
          yield* pyro.sample("a", dist.Normal(0, 1));
          yield* pyro.plate("inner", 2, function* () {
            yield* pyro.sample("b", dist.Normal(0, 1));
          });
        });
      });
      const tr = handlers.trace(m).getTrace();
      assert.deepEqual(tr.nodes.get("a")!.value!.shape, [3]);
      assert.deepEqual(tr.nodes.get("b")!.value!.shape, [2, 3]);
      assert.deepEqual(
        tr.nodes.get("b")!.condIndepStack.map((f) => [f.name, f.dim]),
        [["outer", -1], ["inner", -2]],
      );
      // Each plate records its indices as a sample site named after it.
      assert.deepEqual(Array.from(ops.toFlat(tr.nodes.get("outer")!.value!)), [0, 1, 2]);
    }));

  it("subsamples: random distinct indices, scale size/subsampleSize, params and data indexed", () =>
    inPyro(() => {
      const data = ops.arange(100);
      const m = pyro.model(function* () {
        return yield* pyro.plate("data", 100, { subsampleSize: 10 }, function* (idx) {
          const locs = yield* pyro.param("locs", ops.arange(100), { eventDim: 0 });
          const batch = yield* pyro.subsample(data, { eventDim: 0 });
          yield* pyro.sample("obs", dist.Normal(locs, 1), { obs: batch });
          return { idx, locs, batch };
        });
      });
      pyro.clearParamStore();
      const tr = handlers.trace(m).getTrace();
      const { idx, locs, batch } = tr.returnValue as { idx: Tensor; locs: Tensor; batch: Tensor };
      const indices = Array.from(ops.toFlat(idx));
      assert.equal(new Set(indices).size, 10);
      assert.ok(indices.every((i) => Number.isInteger(i) && i >= 0 && i < 100));
      assert.deepEqual(Array.from(ops.toFlat(locs)), indices);
      assert.deepEqual(Array.from(ops.toFlat(batch)), indices);
      assert.equal(tr.nodes.get("obs")!.scale, 10);
    }));

  it("names the site, plate and sizes on a shape mismatch", () =>
    inPyro(() => {
      const m = pyro.model(function* () {
        yield* pyro.plate("data", 100, function* () {
          yield* pyro.sample("obs", dist.Normal(ops.zeros([1000]), 1));
        });
      });
      assert.throws(
        () => handlers.trace(m).getTrace(),
        (e: unknown) => e instanceof PlateShapeError && e.message === "Shape mismatch inside plate('data') at site obs dim -1, 100 vs 1000",
      );
    }));

  it("rejects an observation whose shape does not broadcast with its distribution", () =>
    inPyro(() => {
      const m = pyro.model(function* () {
        yield* pyro.sample("obs", dist.Normal(ops.zeros([3]), 1), { obs: ops.zeros([4]) });
      });
      assert.throws(() => pyro.run(m()), (e: unknown) => e instanceof ObservationShapeError && /site 'obs'.*\[4\]/.test(e.message));
    }));
});

describe("deterministic and factor", () => {
  it("record a value and add a log-density term", () =>
    inPyro(() => {
      const m = pyro.model(function* () {
        const x = yield* pyro.sample("x", dist.Normal(0, 1));
        yield* pyro.deterministic("twice", ops.mul(x, 2));
        yield* pyro.factor("penalty", -1.5);
        return x;
      });
      const tr = handlers.trace(m).getTrace();
      const x = value(tr.nodes.get("x")!.value);
      assert.ok(Math.abs(value(tr.nodes.get("twice")!.value) - 2 * x) < 1e-6);
      const lpX = -0.5 * x * x - 0.5 * Math.log(2 * Math.PI);
      assert.ok(Math.abs(value(tr.logProbSum(ops)) - (lpX - 1.5)) < 1e-5);
    }));
});
