/**
 * The run loop: a stack-safe interpreter skeleton for programs.
 *
 * `runProgram` walks a program with an explicit continuation stack (a `while`
 * loop, no recursion), so a model with 100,000 sites or a 100,000-deep chain
 * of `flatMap` runs in constant JavaScript stack. What an effect or a scope
 * means is supplied by an {@link Interpreter}; this file knows nothing of
 * distributions or tensors.
 *
 * Exceptions behave as in a direct-style program: a throw inside an effect or
 * a continuation is thrown into the enclosing generators (so `try/finally` in
 * a model works), scopes are exited on the way out, and an uncaught error
 * leaves `runProgram`.
 *
 * @module
 */
import { isProgram, type Effect, type Program, type Scope } from "./program.js";
import type { Sites } from "./sites.js";

/** What a backend supplies to give effects and scopes their meaning. */
export interface Interpreter {
  /** Answers one effect request. */
  perform(effect: Effect): unknown;
  /** Enters a scope; the result is passed to the scope's body. */
  enter(scope: Scope): unknown;
  /** Leaves the innermost scope (also when its body threw). */
  exit(scope: Scope): void;
}

const enum FrameKind {
  Continue,
  Generator,
  Exit,
}

type Frame =
  | { readonly kind: FrameKind.Continue; readonly k: (a: unknown) => Program<unknown, Sites> }
  | { readonly kind: FrameKind.Generator; readonly it: Iterator<unknown, unknown, unknown> }
  | { readonly kind: FrameKind.Exit; readonly scope: Scope };

type AnyProgram = Program<unknown, Sites>;

/** The error thrown when a generator model yields something that is not a program. */
export class NotAProgramError extends Error {
  /** Makes the error for the yielded value `value`. */
  constructor(value: unknown) {
    super(
      `a model may only yield programs (use \`yield*\` with pyro.sample, pyro.param, pyro.plate or another model), got ${describe(value)}`,
    );
    this.name = "NotAProgramError";
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

function asProgram(value: unknown): AnyProgram {
  if (!isProgram(value)) throw new NotAProgramError(value);
  return value;
}

/**
 * Runs `program` with `interpreter` and returns its result.
 *
 * @example
 * ```ts
 * const answer = runProgram(program, { perform: (e) => ..., enter: () => undefined, exit: () => {} });
 * ```
 */
export function runProgram<A>(program: Program<A, Sites>, interpreter: Interpreter): A {
  const frames: Frame[] = [];
  let current: AnyProgram | undefined = program as AnyProgram;
  let value: unknown = undefined;
  let failed = false;
  let error: unknown = undefined;

  for (;;) {
    // 1. Evaluate `current` until it produces a value (or an error).
    while (current !== undefined) {
      const node: AnyProgram = current;
      current = undefined;
      try {
        switch (node.tag) {
          case "Pure":
            value = node.value;
            break;
          case "Suspend":
            value = interpreter.perform(node.effect);
            break;
          case "FlatMap":
            frames.push({ kind: FrameKind.Continue, k: node.k });
            current = node.source;
            break;
          case "Gen": {
            const it = node.start();
            const r = it.next(undefined);
            if (r.done) value = r.value;
            else {
              frames.push({ kind: FrameKind.Generator, it });
              current = asProgram(r.value);
            }
            break;
          }
          case "Scoped": {
            const entered = interpreter.enter(node.scope);
            frames.push({ kind: FrameKind.Exit, scope: node.scope });
            current = node.body(entered);
            break;
          }
        }
      } catch (e) {
        failed = true;
        error = e;
        current = undefined;
      }
    }

    // 2. Return the value (or error) to the innermost frame.
    const frame = frames.pop();
    if (frame === undefined) {
      if (failed) throw error;
      return value as A;
    }
    try {
      switch (frame.kind) {
        case FrameKind.Continue:
          if (!failed) current = frame.k(value);
          break;
        case FrameKind.Generator: {
          let r: IteratorResult<unknown, unknown>;
          if (failed) {
            if (frame.it.throw === undefined) break;
            failed = false;
            const thrown = error;
            error = undefined;
            r = frame.it.throw(thrown);
          } else {
            r = frame.it.next(value);
          }
          if (r.done) value = r.value;
          else {
            frames.push(frame);
            current = asProgram(r.value);
          }
          break;
        }
        case FrameKind.Exit:
          interpreter.exit(frame.scope);
          break;
      }
    } catch (e) {
      failed = true;
      error = e;
      current = undefined;
    }
  }
}
