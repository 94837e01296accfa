/**
 * The random draws of one MCMC iteration, all derived from one key: the
 * i-th request draws from `fold(key, i)` (momenta with `normal`, coin flips
 * and Metropolis tests with `uniform`), so an iteration is a pure function of
 * its key.
 *
 * @module
 */
import { fold, normal, uniform, type RandomKey } from "../../tensor/random/index.js";

/** Successive independent draws from one key. */
export class KeyDraws {
  private counter = 0;

  /** Draws from `key`. */
  constructor(private readonly key: RandomKey) {}

  /** `n` standard normals. */
  normals(n: number): Float64Array {
    return normal(fold(this.key, this.counter++), n);
  }

  /** One uniform on (0, 1). */
  uniform(): number {
    return uniform(fold(this.key, this.counter++), 1)[0]!;
  }
}
