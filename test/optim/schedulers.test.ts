// Learning-rate schedulers: torch's lr sequences, their use by the optimizer, and SVI.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OptimizerArgumentError, dist, infer, ops, optim, pyro, pyroBackend, type Tensor } from "../../src/index.js";
import type { Optimizer } from "../../src/optim/optimizer.js";
import type { PyroLRScheduler } from "../../src/optim/scheduler.js";

/** A test body run on the numpy backend. */
const onNumpy = (body: () => void) => () => pyroBackend("numpy", body);

/** The lr at epochs 0..n-1, calling `scheduler.step()` between epochs. */
function lrs(scheduler: PyroLRScheduler<{ lr: number }>, n: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < n; e++) {
    assert.equal(scheduler.epoch, e);
    out.push(scheduler.getLastLr());
    scheduler.step();
  }
  return out;
}

/** Elementwise agreement to `tol` relative. */
function closeAll(got: readonly number[], want: readonly number[], tol: number, what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= tol * Math.abs(want[i]!) + 1e-300, `${what}[${i}]: ${g} vs ${want[i]}`));
}

describe("learning-rate schedules", () => {
  it("ExponentialLR: lr·γ^epoch", onNumpy(() => {
    const s = optim.ExponentialLR({ optimizer: optim.SGD, optimArgs: { lr: 0.8 }, gamma: 0.5 });
    closeAll(lrs(s, 5), [0.8, 0.4, 0.2, 0.1, 0.05], 1e-15, "ExponentialLR");
  }));

  it("StepLR: lr·γ^⌊epoch/stepSize⌋, γ defaulting to 0.1", onNumpy(() => {
    const s = optim.StepLR({ optimizer: optim.SGD, optimArgs: { lr: 1 }, stepSize: 3 });
    closeAll(lrs(s, 8), [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01], 1e-15, "StepLR");
  }));

  it("MultiStepLR: lr·γ^(milestones passed), unsorted milestones accepted", onNumpy(() => {
    const s = optim.MultiStepLR({ optimizer: optim.SGD, optimArgs: { lr: 2 }, milestones: [5, 2], gamma: 0.5 });
    closeAll(lrs(s, 7), [2, 2, 1, 1, 1, 0.5, 0.5], 1e-15, "MultiStepLR");
  }));

  it("CosineAnnealingLR: the closed form equals torch's recursive form, periodic past tMax", onNumpy(() => {
    const [base, tMax, etaMin] = [1, 4, 0.1];
    const s = optim.CosineAnnealingLR({ optimizer: optim.Adam, optimArgs: { lr: base }, tMax, etaMin });
    const got = lrs(s, 13);
    // Hand-computed: etaMin + (base - etaMin)(1 + cos(πe/4))/2 with cos(π/4) = √2/2.
    const c = Math.SQRT1_2;
    const quarter = [1, 0.1 + 0.45 * (1 + c), 0.55, 0.1 + 0.45 * (1 - c), 0.1];
    closeAll(got.slice(0, 5), quarter, 1e-15, "cosine, first half period");
    closeAll(got.slice(4, 9), [...quarter].reverse(), 1e-14, "cosine, rising again");
    // torch's CosineAnnealingLR.get_lr (the recursive form used by scheduler.step()).
    const torch: number[] = [base];
    for (let e = 1; e < 13; e++) {
      const prev = torch[e - 1]!;
      torch.push(
        (e - 1 - tMax) % (2 * tMax) === 0
          ? prev + ((base - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2
          : ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (prev - etaMin) + etaMin,
      );
    }
    closeAll(got, torch, 1e-12, "cosine vs torch recursion");
  }));

  it("LambdaLR: lr·lrLambda(epoch)", onNumpy(() => {
    const s = optim.LambdaLR({ optimizer: optim.Adam, optimArgs: { lr: 0.3 }, lrLambda: (e) => 1 / (1 + e) });
    closeAll(lrs(s, 4), [0.3, 0.15, 0.1, 0.075], 1e-15, "LambdaLR");
  }));

  it("schedules each param's own base lr when optimArgs is a function of the name", onNumpy(() => {
    const s = optim.ExponentialLR({ optimizer: optim.Adam, optimArgs: (n) => ({ lr: n === "a" ? 1 : 0.1 }), gamma: 0.5 });
    s.step();
    assert.equal(s.getLastLr("a"), 0.5);
    assert.equal(s.getLastLr("b"), 0.05);
  }));
});

describe("scheduled optimizer steps", () => {
  for (const [backend, tol] of [["numpy", 1e-15], ["pyro", 1e-6]] as const) {
    it(`SGD moves by the current epoch's lr (gradient 1) on ${backend}`, () =>
      pyroBackend(backend, () => {
        const s = optim.StepLR({ optimizer: optim.SGD, optimArgs: { lr: 0.5 }, stepSize: 2, gamma: 0.1 });
        let x: Tensor = ops.tensor(10);
        const xs: number[] = [];
        for (let epoch = 0; epoch < 5; epoch++) {
          x = s.step(ops, new Map([["x", { value: x, grad: ops.tensor(1) }]])).get("x")!;
          xs.push(ops.item(x));
          s.step();
        }
        // lrs 0.5, 0.5, 0.05, 0.05, 0.005
        closeAll(xs, [9.5, 9, 8.95, 8.9, 8.895], tol, "iterates");
      }));
  }
});

describe("schedulers in SVI", () => {
  const model = pyro.model(function* (data: Tensor) {
    const loc = yield* pyro.sample("loc", dist.Normal(0, 1));
    yield* pyro.plate("data", 3, function* () {
      yield* pyro.sample("obs", dist.Normal(loc, 1), { obs: data });
    });
  });
  const guide = pyro.model(function* (_data: Tensor) {
    const m = yield* pyro.param("m", 0);
    const s = yield* pyro.param("s", 1, { constraint: dist.constraints.positive });
    yield* pyro.sample("loc", dist.Normal(m, s));
  });

  /** Runs `epochs` × 5 SVI steps from a fresh store and seed 0, calling `onEpoch` after each epoch; returns [m, s]. */
  function train(opt: Optimizer, epochs: number, onEpoch: () => void = () => {}): number[] {
    pyro.clearParamStore();
    pyro.setRngSeed(0);
    const svi = new infer.SVI(model, guide, opt, new infer.TraceELBO());
    const data = ops.tensor([1.2, 0.4, 2.1]);
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < 5; i++) assert.ok(Number.isFinite(svi.step(data)), "finite loss");
      onEpoch();
    }
    return [ops.item(pyro.getParam("m")), ops.item(pyro.getParam("s"))];
  }

  it("a constant schedule (γ = 1) is exactly the wrapped optimizer", onNumpy(() => {
    const scheduler = optim.ExponentialLR({ optimizer: optim.Adam, optimArgs: { lr: 0.05 }, gamma: 1 });
    const scheduled = train(scheduler, 4, () => scheduler.step());
    const plain = train(optim.Adam({ lr: 0.05 }), 4);
    assert.deepEqual(scheduled, plain);
    assert.equal(scheduler.epoch, 4);
  }));

  it("params stop moving once the schedule reaches 0", onNumpy(() => {
    const make = () => optim.LambdaLR({ optimizer: optim.SGD, optimArgs: { lr: 0.01 }, lrLambda: (e) => (e < 2 ? 1 : 0) });
    const first = make();
    const two = train(first, 2, () => first.step());
    assert.notDeepEqual(two, [0, 1]);
    // Same seed, fresh scheduler, two more epochs at lr 0: the params are those after two epochs.
    const second = make();
    const four = train(second, 4, () => second.step());
    assert.deepEqual(four, two);
  }));
});

describe("scheduler argument validation", () => {
  it("throws OptimizerArgumentError naming the scheduler and argument", onNumpy(() => {
    const sgd = { optimizer: optim.SGD, optimArgs: { lr: 0.1 } };
    const cases: readonly [() => unknown, RegExp][] = [
      [() => optim.ExponentialLR({ ...sgd, gamma: 0 }), /optim\.ExponentialLR: gamma must be a finite number > 0, got 0/],
      [() => optim.StepLR({ ...sgd, stepSize: 1.5 }), /optim\.StepLR: stepSize must be an integer ≥ 1, got 1\.5/],
      [() => optim.StepLR({ ...sgd, stepSize: 2, gamma: -1 }), /optim\.StepLR: gamma must be a finite number > 0, got -1/],
      [() => optim.MultiStepLR({ ...sgd, milestones: [3, -1] }), /optim\.MultiStepLR: milestones\[1\] must be an integer ≥ 0, got -1/],
      [() => optim.CosineAnnealingLR({ ...sgd, tMax: 0 }), /optim\.CosineAnnealingLR: tMax must be an integer ≥ 1, got 0/],
      [() => optim.CosineAnnealingLR({ ...sgd, tMax: 10, etaMin: -1 }), /optim\.CosineAnnealingLR: etaMin must be a finite number ≥ 0/],
      [() => optim.LambdaLR({ ...sgd, lrLambda: 2 as unknown as (e: number) => number }), /optim\.LambdaLR: lrLambda must be a function of the epoch, got 2/],
      [() => optim.ExponentialLR({ optimizer: "Adam" as never, gamma: 0.5 }), /optim\.ExponentialLR: optimizer must be an optimizer factory such as optim\.Adam, got Adam/],
      [() => optim.ExponentialLR(undefined as never), /optim\.ExponentialLR: args must be an object/],
      // The wrapped optimizer's hyperparameters are checked when the scheduler is made.
      [() => optim.ExponentialLR({ optimizer: optim.Adam, optimArgs: { lr: -1 }, gamma: 0.5 }), /optim\.Adam: lr must be a finite number > 0, got -1/],
    ];
    for (const [make, pattern] of cases) {
      assert.throws(make, (e: unknown) => e instanceof OptimizerArgumentError && pattern.test(e.message), String(pattern));
    }
    // optimArgs are typed by the optimizer: a misspelled hyperparameter does not compile.
    // @ts-expect-error `momentun` is not an SGD hyperparameter
    optim.StepLR({ optimizer: optim.SGD, optimArgs: { momentun: 0.9 }, stepSize: 1 });
  }));

  it("a lrLambda returning NaN fails at the step that uses it, naming the epoch", onNumpy(() => {
    const s = optim.LambdaLR({ optimizer: optim.SGD, optimArgs: { lr: 0.1 }, lrLambda: (e) => (e === 0 ? 1 : Number.NaN) });
    const params = new Map([["x", { value: ops.tensor(1), grad: ops.tensor(1) }]]);
    assert.equal(ops.item(s.step(ops, params).get("x")!), 0.9);
    s.step();
    assert.throws(() => s.step(ops, params), (e: unknown) =>
      e instanceof OptimizerArgumentError && /optim\.LambdaLR: lrLambda must be a function returning a finite number ≥ 0 \(epoch 1\), got NaN/.test(e.message));
  }));
});
