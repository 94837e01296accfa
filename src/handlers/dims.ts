/**
 * Allocation of batch dims to plates within one run (Pyro's `_DimAllocator`).
 *
 * @module
 */

/** The error thrown when two plates claim one dim or a plate name repeats. */
export class PlateDimError extends Error {
  /** Makes the error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "PlateDimError";
  }
}

/** Tracks which plate holds each batch dim during one run. */
export class PlateDims {
  /** `stack[-1 - dim]` is the plate at `dim`, or `null` when free. */
  private readonly stack: (string | null)[] = [];

  /** The names of the active plates. */
  active(): string[] {
    return this.stack.filter((n): n is string => n !== null);
  }

  /** Claims `dim` (or the rightmost free dim) for plate `name`; returns the dim. */
  allocate(name: string, dim: number | undefined): number {
    if (this.stack.includes(name)) throw new PlateDimError(`duplicate plate "${name}": plates must have distinct names`);
    let d = dim;
    if (d === undefined) {
      d = -1;
      while (-d <= this.stack.length && this.stack[-1 - d] !== null) d -= 1;
    }
    while (d < -this.stack.length) this.stack.push(null);
    const holder = this.stack[-1 - d];
    if (holder !== null && holder !== undefined) {
      throw new PlateDimError(
        `plates "${name}" and "${holder}" collide at dim=${d}; try moving the dim of one plate to the left, e.g. dim=${d - 1}`,
      );
    }
    this.stack[-1 - d] = name;
    return d;
  }

  /** Frees `dim`, held by plate `name`. */
  free(name: string, dim: number): void {
    const i = -1 - dim;
    if (this.stack[i] !== name) throw new PlateDimError(`plate "${name}" does not hold dim ${dim}`);
    this.stack[i] = null;
    while (this.stack.length > 0 && this.stack[this.stack.length - 1] === null) this.stack.pop();
  }
}
