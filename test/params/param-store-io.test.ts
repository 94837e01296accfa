// Param store I/O: toJSON/fromJSON, save/load, and corrupt or mismatched files
// that must fail with a path-precise error and leave the store exactly as it was.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ParamStoreDecodeError } from "../../src/codecs/param-store.js";
import { GreaterThan } from "../../src/distributions/constraints.js";
import { dist, ops, pyro, pyroBackend, type ParamStore, type Tensor } from "../../src/index.js";
import { ParamStoreIOError } from "../../src/params/param-store-file.js";
import { ParamStoreEncodeError } from "../../src/params/param-store-state.js";

const dir = mkdtempSync(join(tmpdir(), "pyroapi-param-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const BACKENDS = ["numpy", "pyro"] as const;

/** Fills the store with params of several constraints, shapes and event dims. */
function fill(store: ParamStore): void {
  const c = dist.constraints;
  store.clear();
  store.set("loc", [0.1 + 0.2, 1 / 3, -Math.PI]);
  store.set("scale", [0.5, 2, 1e-3], { constraint: c.positive });
  store.set("probs", [0.2, 0.3, 0.5], { constraint: c.simplex });
  store.set("w", [[0.25, 1.5], [1.75, 0.01]], { constraint: c.interval(0, 2), eventDim: 1 });
  store.set("rate", [3, 4], { constraint: c.independent(c.greaterThan(2), 1), eventDim: 1 });
  store.set("1", 7); // a numeric-looking name: JSON objects would list it first
  // A zero-size param (not on tfjs, whose `all` of an empty mask is false, so the store refuses it).
  if (ops.dtype === "float64") store.set("empty", ops.zeros([0, 2]));
}

interface Snapshot {
  readonly names: string[];
  readonly params: { tensor: Tensor; values: number[]; constraint: unknown; eventDim: number | undefined }[];
}

function snapshot(store: ParamStore): Snapshot {
  const names = store.names();
  return {
    names,
    params: names.map((n) => ({
      tensor: store.getUnconstrained(n),
      values: Array.from(ops.toFlat(store.getUnconstrained(n))),
      constraint: store.constraintOf(n),
      eventDim: store.eventDimOf(n),
    })),
  };
}

/** The store holds the very same tensors, with bit-identical values, constraints and event dims. */
function assertUnchanged(store: ParamStore, before: Snapshot): void {
  assert.deepEqual(store.names(), before.names);
  before.names.forEach((n, i) => {
    const p = before.params[i]!;
    assert.equal(store.getUnconstrained(n), p.tensor, `${n}: same tensor`);
    assert.equal(store.constraintOf(n), p.constraint, `${n}: same constraint`);
    assert.equal(store.eventDimOf(n), p.eventDim, `${n}: same eventDim`);
    const now = Array.from(ops.toFlat(store.getUnconstrained(n)));
    assert.ok(now.length === p.values.length && now.every((v, j) => Object.is(v, p.values[j])), `${n}: bit-identical values`);
  });
}

/** The stores agree bit for bit: names, constraints (by name), event dims, unconstrained and constrained values. */
function assertSameParams(store: ParamStore, before: Snapshot, constrained: Map<string, number[]>): void {
  assert.deepEqual(store.names(), before.names);
  before.names.forEach((n, i) => {
    const p = before.params[i]!;
    assert.equal(store.constraintOf(n).name, (p.constraint as { name: string }).name, n);
    assert.equal(store.eventDimOf(n), p.eventDim, n);
    assert.deepEqual(store.getUnconstrained(n).shape, p.tensor.shape, n);
    assert.deepEqual(Array.from(ops.toFlat(store.getUnconstrained(n))), p.values, `${n}: unconstrained`);
    assert.deepEqual(Array.from(ops.toFlat(store.get(n))), constrained.get(n), `${n}: constrained`);
  });
}

function constrainedValues(store: ParamStore): Map<string, number[]> {
  return new Map(store.names().map((n) => [n, Array.from(ops.toFlat(store.get(n)))]));
}

describe("param store round trips", () => {
  for (const backend of BACKENDS) {
    it(`toJSON → fromJSON restores every param bit for bit on ${backend}`, () =>
      pyroBackend(backend, () => {
        const store = pyro.getParamStore();
        fill(store);
        const before = snapshot(store);
        const constrained = constrainedValues(store);
        const text = JSON.stringify(store);
        const state = store.toJSON();
        assert.equal(state.dtype, backend === "numpy" ? "float64" : "float32");
        assert.deepEqual(state.params.scale!.constraint, { name: "positive" });
        assert.deepEqual(state.params.w!.constraint, { name: "interval", lower: 0, upper: 2 });
        assert.equal(state.params.w!.eventDim, 1);
        assert.deepEqual(state.params.probs!.shape, [2]); // stick-breaking: K - 1 unconstrained values
        store.clear();
        store.set("stale", 1);
        store.fromJSON(text);
        assertSameParams(store, before, constrained);
        assert.equal(store.has("stale"), false);
        // The rebuilt singletons are the very constraint objects.
        assert.equal(store.constraintOf("scale"), dist.constraints.positive);
      }));

    it(`save → load in a temporary directory restores every param on ${backend}, leaving no temporary file`, () =>
      pyroBackend(backend, () => {
        const store = pyro.getParamStore();
        fill(store);
        const before = snapshot(store);
        const constrained = constrainedValues(store);
        const path = join(dir, `round-trip-${backend}.json`);
        store.save(path);
        store.save(path); // overwriting is fine
        assert.deepEqual(readdirSync(dir).filter((f) => f.includes(`round-trip-${backend}`)), [`round-trip-${backend}.json`]);
        store.clear();
        store.load(path);
        assertSameParams(store, before, constrained);
      }));
  }

  it("a store trained on pyro (float32) loads exactly on numpy (float64)", () => {
    const path = join(dir, "cross.json");
    const saved = pyroBackend("pyro", () => {
      const store = pyro.getParamStore();
      store.clear();
      store.set("s", [0.1, 0.7], { constraint: dist.constraints.positive });
      store.save(path);
      return Array.from(ops.toFlat(store.getUnconstrained("s")));
    });
    pyroBackend("numpy", () => {
      const store = pyro.getParamStore();
      store.load(path);
      assert.deepEqual(Array.from(ops.toFlat(store.getUnconstrained("s"))), saved);
    });
  });

  it("merge: true keeps the params the file does not mention (Pyro's set_state)", () =>
    pyroBackend("numpy", () => {
      const store = pyro.getParamStore();
      store.clear();
      store.set("a", 1);
      store.set("b", 2);
      const text = JSON.stringify(store);
      store.set("b", 5);
      store.set("c", 3);
      store.fromJSON(text, { merge: true });
      assert.deepEqual(store.names(), ["a", "b", "c"]);
      assert.deepEqual(store.names().map((n) => ops.item(store.get(n))), [1, 2, 3]);
      store.fromJSON(text);
      assert.deepEqual(store.names(), ["a", "b"]);
    }));
});

/** A valid saved store, as parsed JSON, for corrupting. */
function validState(): Record<string, unknown> {
  return pyroBackend("numpy", () => {
    const store = pyro.getParamStore();
    store.clear();
    store.set("loc", [1, 2, 3]);
    store.set("scale", [1, 2, 3], { constraint: dist.constraints.positive });
    store.set("w", [[1, 2], [3, 4]]);
    return JSON.parse(JSON.stringify(store)) as Record<string, unknown>;
  });
}

type Obj = Record<string, unknown>;
/** Param `name` of a parsed state, for corrupting. */
const param = (s: Obj, name: string): Obj => (s.params as Record<string, Obj>)[name]!;

type Corruption = readonly [what: string, corrupt: (s: Obj) => unknown, message: string];

const CORRUPTIONS: readonly Corruption[] = [
  ["wrong type of values", (s) => ((param(s, "scale").unconstrained = "x"), s),
    'params.scale.unconstrained: expected a number array of 3 elements, got "x"'],
  ["truncated array", (s) => ((param(s, "scale").unconstrained = [0.1, 0.2]), s),
    "params.scale.unconstrained: expected a number array of 3 elements, got an array of 2 elements"],
  ["a shape of the right size but another rank", (s) => ((param(s, "w").shape = [4]), s),
    "params.w.unconstrained: expected a number array of 4 elements, got an array of 2 elements"],
  ["a shape with one dim too many", (s) => ((param(s, "w").shape = [2, 2, 1]), s),
    "params.w.unconstrained[0][0]: expected a number array of 1 element, got 1"],
  ["a flat array for a matrix", (s) => ((param(s, "w").unconstrained = [1, 2, 3, 4]), s),
    "params.w.unconstrained: expected a nested number array of shape [2, 2], got an array of 4 elements"],
  ["one row too short", (s) => ((param(s, "w").unconstrained = [[1, 2], [3]]), s),
    "params.w.unconstrained[1]: expected a number array of 2 elements, got an array of 1 element"],
  ["a null (NaN written by JSON.stringify)", (s) => (((param(s, "loc").unconstrained as unknown[])[1] = null), s),
    "params.loc.unconstrained[1]: expected a finite number, got null"],
  ["unknown constraint", (s) => ((param(s, "scale").constraint = { name: "postive" }), s),
    'params.scale.constraint.name: unknown constraint "postive"; known constraints: boolean,'],
  ["missing shape", (s) => (delete param(s, "loc").shape, s),
    "params.loc.shape: expected an array of nonnegative integers, got undefined (missing)"],
  ["negative eventDim", (s) => ((param(s, "loc").eventDim = -1), s),
    "params.loc.eventDim: expected a nonnegative integer, got -1"],
  ["another version", (s) => ((s.version = 2), s), "version: expected 1, got 2"],
  ["another format", (s) => ((s.format = "torch"), s), 'format: expected "pyroapi/param-store", got "torch"'],
  ["unknown dtype", (s) => ((s.dtype = "int8"), s), 'dtype: expected "float32" or "float64", got "int8"'],
  ["names not matching params", (s) => ((s.names = ["loc", "loc", "extra"]), s),
    'names: expected each name of params exactly once: "loc" is listed twice, "extra" is not in params, param "scale" is missing, param "w" is missing'],
  ["params not an object", (s) => ((s.params = [1, 2]), s), "params: expected an object of params by name, got [1,2]"],
  ["not an object at all", () => 42, "expected a saved param store { format, version, dtype, params }, got 42"],
  // Decodes, but does not fit: checked when the params are built, still before the swap.
  ["a discrete constraint", (s) => ((param(s, "loc").constraint = { name: "boolean" }), s),
    "params.loc.constraint: transformTo: no transform to the discrete constraint boolean"],
  ["a value whose constrained value overflows", (s) => ((param(s, "scale").unconstrained = [0, 1000, 0]), s),
    "params.scale.unconstrained: maps to a non-finite value under positive"],
  ["a simplex param with a scalar unconstrained value", (s) => (((s.params as Obj).loc = { constraint: { name: "simplex" }, shape: [], unconstrained: 0.5 }), s),
    "params.loc.shape: expected at least 1 dim(s) for an unconstrained value of simplex, got []"],
  ["a lowerCholesky param whose length is not a triangle number", (s) => ((param(s, "w").constraint = { name: "lowerCholesky" }), s),
    "params.w.unconstrained: does not fit lowerCholesky: "],
];

describe("corrupt or mismatched states leave the store untouched", () => {
  for (const backend of BACKENDS) {
    it(`each corruption fails with its path-precise message on ${backend}`, () => {
      const texts = CORRUPTIONS.map(([, corrupt]) => JSON.stringify(corrupt(validState())));
      pyroBackend(backend, () => {
        const store = pyro.getParamStore();
        fill(store);
        const before = snapshot(store);
        CORRUPTIONS.forEach(([what, , message], i) => {
          const path = join(dir, `corrupt-${backend}-${i}.json`);
          writeFileSync(path, texts[i]!);
          assert.throws(() => store.load(path), (e: unknown) => {
            assert.ok(e instanceof ParamStoreDecodeError, `${what}: ${String(e)}`);
            assert.ok(e.message.startsWith(`ParamStore.load(${JSON.stringify(path)}):`), e.message);
            assert.ok(e.message.includes(message), `${what}:\n  got      ${e.message}\n  expected ${message}`);
            return true;
          }, what);
          assertUnchanged(store, before);
        });
      });
    });

    it(`bad JSON, a truncated file and a missing file fail and leave the store untouched on ${backend}`, () =>
      pyroBackend(backend, () => {
        const store = pyro.getParamStore();
        fill(store);
        const before = snapshot(store);
        const good = join(dir, `good-${backend}.json`);
        store.save(good);
        const text = readFileSync(good, "utf8");
        const truncated = join(dir, `truncated-${backend}.json`);
        writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
        assert.throws(() => store.load(truncated), (e: unknown) =>
          e instanceof ParamStoreDecodeError && /^ParamStore\.load\(".*truncated.*"\): invalid JSON: /.test(e.message));
        assert.throws(() => store.fromJSON("{ not json"), (e: unknown) =>
          e instanceof ParamStoreDecodeError && /^ParamStore\.fromJSON: invalid JSON/.test(e.message));
        assert.throws(() => store.load(join(dir, "missing.json")), (e: unknown) =>
          e instanceof ParamStoreIOError && /ParamStore\.load\(".*missing\.json"\): ENOENT/.test(e.message));
        assertUnchanged(store, before);
      }));
  }

  it("lists every problem of a state, five in the message", () =>
    pyroBackend("numpy", () => {
      const s = validState();
      for (const p of ["loc", "scale", "w"]) param(s, p).shape = "?";
      param(s, "loc").constraint = 3;
      s.dtype = "float16";
      s.names = 7;
      assert.throws(() => pyro.getParamStore().setState(s), (e: unknown) => {
        assert.ok(e instanceof ParamStoreDecodeError);
        assert.equal(e.problems.length, 6);
        assert.deepEqual(e.problems.map((p) => p.path), ["dtype", "params.loc.constraint", "params.loc.shape", "params.scale.shape", "params.w.shape", "names"]);
        assert.match(e.message, /\n {2}dtype: .*\n {2}params\.loc\.constraint: .*\n(.*\n){3} {2}\.\.\. and 1 more$/);
        return true;
      });
    }));
});

describe("saving", () => {
  it("refuses a non-finite value or a constraint without a codec, naming the param, and leaves the file as it was", () =>
    pyroBackend("numpy", () => {
      const store = pyro.getParamStore();
      store.clear();
      store.set("a", 1);
      const path = join(dir, "refused.json");
      store.save(path);
      const text = readFileSync(path, "utf8");
      store.set("bad", [1, 2]);
      // The store refuses non-finite inits, but an optimizer step can diverge.
      store.setUnconstrained(new Map([["bad", ops.tensor([1, Number.POSITIVE_INFINITY])]]));
      assert.throws(() => store.save(path), (e: unknown) =>
        e instanceof ParamStoreEncodeError && /cannot save param "bad": its unconstrained value has NaN or infinite entries/.test(e.message));
      store.delete("bad");
      // A subclass of GreaterThan: it has a transform (inherited) but no codec of its own.
      class Positive2 extends GreaterThan {
        constructor() {
          super(0, { name: "positive2" });
        }
      }
      store.set("odd", 1, { constraint: new Positive2() });
      assert.throws(() => store.save(path), (e: unknown) =>
        e instanceof ParamStoreEncodeError && /cannot save param "odd": cannot save constraint positive2: no codec/.test(e.message));
      assert.equal(readFileSync(path, "utf8"), text);
    }));

  it("a failed write (no such directory) throws ParamStoreIOError and leaves nothing behind", () =>
    pyroBackend("numpy", () => {
      fill(pyro.getParamStore());
      const target = join(dir, "no-such-dir", "p.json");
      assert.throws(() => pyro.getParamStore().save(target), (e: unknown) =>
        e instanceof ParamStoreIOError && /ParamStore\.save\(".*no-such-dir\/p\.json"\): ENOENT/.test(e.message));
      // Renaming over a directory fails after the temporary file was written: it is removed.
      const asDir = join(dir, "is-a-dir");
      mkdirSync(asDir);
      const before = readdirSync(dir).sort();
      assert.throws(() => pyro.getParamStore().save(asDir), ParamStoreIOError);
      assert.deepEqual(readdirSync(dir).sort(), before);
    }));
});
