import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pipe } from "fp-ts/lib/function.js";
import {
  NotAProgramError,
  P,
  gen,
  model,
  pure,
  runProgram,
  scoped,
  suspend,
  type Effect,
  type Interpreter,
  type Program,
  type Scope,
} from "../../src/program/index.js";

/** An interpreter that answers each effect with a counter and logs scopes. */
function counting(): Interpreter & { log: string[]; count: number } {
  const log: string[] = [];
  const self = {
    log,
    count: 0,
    perform(effect: Effect) {
      self.count++;
      return `${effect.name}#${self.count}`;
    },
    enter(scope: Scope) {
      log.push(`enter ${scope.type}`);
      return "entered";
    },
    exit(scope: Scope) {
      log.push(`exit ${scope.type}`);
    },
  };
  return self;
}

const ask = (name: string): Program<string, {}> => suspend({ type: "ask", name });

describe("runProgram", () => {
  it("answers effects in order and returns the result", () => {
    const m = model(function* (n: number) {
      const a = yield* ask("a");
      const b = yield* ask("b");
      return `${a},${b},${n}`;
    });
    assert.equal(runProgram(m(7), counting()), "a#1,b#2,7");
  });

  it("re-runs a program from the start every time (generators are re-created)", () => {
    const m = model(function* () {
      return yield* ask("x");
    });
    const p = m();
    const interp = counting();
    assert.equal(runProgram(p, interp), "x#1");
    assert.equal(runProgram(p, interp), "x#2");
  });

  it("runs a 100,000-site model in constant stack", () => {
    const m = model(function* (n: number) {
      let last = "";
      for (let i = 0; i < n; i++) last = yield* ask(`x${i}`);
      return last;
    });
    const interp = counting();
    assert.equal(runProgram(m(100_000), interp), "x99999#100000");
    assert.equal(interp.count, 100_000);
  });

  it("runs a 100,000-deep left-nested flatMap chain", () => {
    let p: Program<number, {}> = pure(0);
    for (let i = 0; i < 100_000; i++) p = pipe(p, P.flatMap((n: number) => pure(n + 1)));
    assert.equal(runProgram(p, counting()), 100_000);
  });

  it("runs a 100,000-deep right-nested flatMap chain", () => {
    // Each level's continuation builds the next level only when the loop reaches it.
    const count = (n: number): Program<number, {}> =>
      n === 0 ? pure(0) : pipe(pure(n), P.flatMap((k: number) => pipe(count(k - 1), P.map((r: number) => r + 1))));
    assert.equal(runProgram(count(100_000), counting()), 100_000);
  });

  it("enters and exits scopes around their body, passing the entry value", () => {
    const interp = counting();
    const p = scoped({ type: "plate" }, (entered) => pipe(ask("inside"), P.map((v) => `${String(entered)}:${v}`)));
    assert.equal(runProgram(p, interp), "entered:inside#1");
    assert.deepEqual(interp.log, ["enter plate", "exit plate"]);
  });

  it("throws effect errors into the generator (try/finally and catch work) and exits scopes", () => {
    const interp: Interpreter & { log: string[] } = {
      ...counting(),
      perform(effect: Effect) {
        if (effect.name === "bad") throw new Error("boom");
        return effect.name;
      },
    };
    const cleaned: string[] = [];
    const recovering = gen(function* () {
      try {
        yield* ask("bad");
        return "unreachable";
      } catch (e) {
        return `caught ${(e as Error).message}`;
      }
    });
    assert.equal(runProgram(recovering, interp), "caught boom");

    const failing = scoped({ type: "s" }, () =>
      gen(function* () {
        try {
          yield* ask("bad");
        } finally {
          cleaned.push("finally ran");
        }
        return 1;
      }),
    );
    assert.throws(() => runProgram(failing, interp), /boom/);
    assert.deepEqual(cleaned, ["finally ran"]);
    assert.deepEqual(interp.log, ["enter s", "exit s"]);
  });

  it("rejects a yielded value that is not a program, with a hint about yield*", () => {
    const bad = gen(function* () {
      yield 5 as never;
      return 1;
    });
    assert.throws(() => runProgram(bad, counting()), (e: unknown) => e instanceof NotAProgramError && /yield\*/.test(e.message));
  });
});
