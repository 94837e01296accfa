import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { pipe } from "fp-ts/lib/function.js";
import { P, pure, runProgram, suspend, type Effect, type Program, type Sites } from "../../src/program/index.js";

/** Runs a program whose effects answer with a deterministic function of their name. */
function run<A>(p: Program<A, Sites>): A {
  return runProgram(p, {
    perform: (e: Effect) => e.name.length * 10,
    enter: () => undefined,
    exit: () => {},
  });
}

const effect = (name: string): Program<number, {}> => suspend({ type: "t", name });

// Arbitrary programs of numbers: pure values, effects, and effects mapped by affine functions.
const programs: fc.Arbitrary<Program<number, {}>> = fc.oneof(
  fc.integer().map((n) => pure(n)),
  fc.string({ maxLength: 5 }).map(effect),
  fc.tuple(fc.string({ maxLength: 5 }), fc.integer({ min: -5, max: 5 })).map(([s, k]) => pipe(effect(s), P.map((x) => x * k + 1))),
);
const kleisli: fc.Arbitrary<(n: number) => Program<number, {}>> = fc
  .tuple(fc.integer({ min: -3, max: 3 }), fc.string({ maxLength: 3 }))
  .map(([k, s]) => (n: number) => (k === 0 ? pure(n) : pipe(effect(s + n), P.map((x) => x + k * n))));

describe("Program fp-ts instances", () => {
  it("satisfies the monad laws (left identity, right identity, associativity)", () => {
    fc.assert(
      fc.property(fc.integer(), kleisli, (a, f) => run(pipe(P.of(a), P.flatMap(f))) === run(f(a))),
    );
    fc.assert(fc.property(programs, (m) => run(pipe(m, P.flatMap(P.of))) === run(m)));
    fc.assert(
      fc.property(programs, kleisli, kleisli, (m, f, g) => {
        const left = pipe(m, P.flatMap(f), P.flatMap(g));
        const right = pipe(m, P.flatMap((x: number) => pipe(f(x), P.flatMap(g))));
        return run(left) === run(right);
      }),
    );
  });

  it("satisfies the functor laws", () => {
    fc.assert(fc.property(programs, (m) => run(pipe(m, P.map((x: number) => x))) === run(m)));
    fc.assert(
      fc.property(programs, (m) => {
        const f = (x: number) => x * 3;
        const g = (x: number) => x - 7;
        return run(pipe(m, P.map(f), P.map(g))) === run(pipe(m, P.map((x: number) => g(f(x)))));
      }),
    );
  });

  it("builds records with Do / bind / bindTo / let and applies with ap", () => {
    const p = pipe(
      P.Do,
      P.bind("a", () => effect("ab")),
      P.bind("b", ({ a }) => pure(a + 1)),
      P.let("c", ({ a, b }) => a * b),
    );
    assert.deepEqual(run(p), { a: 20, b: 21, c: 420 });
    assert.deepEqual(run(pipe(effect("x"), P.bindTo("x"))), { x: 10 });
    assert.equal(run(pipe(P.of((n: number) => n * 2), P.ap(effect("abc")))), 60);
  });

  it("exposes lawful fp-ts instance objects", () => {
    assert.equal(run(P.Monad.chain(P.Monad.of(2), (n) => P.Monad.map(effect("a"), (x) => x + n))), 12);
    assert.equal(run(P.Applicative.ap(P.Applicative.of((n: number) => -n), P.Functor.map(pure(3), (n) => n + 1))), -4);
  });
});
