// Shared assertions of the error tests.
import assert from "node:assert/strict";

/** Asserts that `f` throws an instance of `cls` whose message is exactly `message`. */
export function throwsExactly(f: () => unknown, cls: abstract new (...args: never[]) => Error, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.equal(e.message, message);
    return true;
  });
}
