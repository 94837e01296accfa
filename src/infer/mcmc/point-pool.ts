/**
 * Reference-counted phase points in reused buffers, for NUTS: a leapfrog
 * step writes a new point into a free buffer (see `leapfrogInto`) and the
 * point is never written again while anything holds it, so a subtree's
 * ends, its sampled point and the trajectory's edges can all be references
 * to the same buffers instead of copies. A point returns to the free list
 * when its last holder drops it; {@link PointPool.reset} frees every point
 * at once (a transition that stopped early leaves holders behind).
 *
 * @module
 */
import type { MutablePoint } from "./integrator.js";
import { velocityInto, type InverseMassMatrix } from "./mass-matrix.js";

/** A phase point in pooled buffers, with its sharp momentum M⁻¹p and its number of holders. */
export interface PooledPoint extends MutablePoint {
  /** The sharp momentum M⁻¹p (set by {@link kineticAndSharp}). */
  readonly sharp: Float64Array;
  /** How many holders keep the point (free at 0). */
  refs: number;
}

/** The points of one dimension: taken, held and dropped, never allocated once the pool has grown. */
export class PointPool {
  private readonly all: PooledPoint[] = [];
  /** `free[0 .. top)`: the free points (a stack). */
  private readonly free: PooledPoint[] = [];
  private top = 0;

  /** A pool of points of dimension `n`. */
  constructor(readonly n: number) {}

  /** A free point (contents unspecified), held once by the caller. */
  take(): PooledPoint {
    let z: PooledPoint;
    if (this.top > 0) {
      z = this.free[--this.top]!;
    } else {
      const n = this.n;
      z = { q: new Float64Array(n), p: new Float64Array(n), potential: NaN, grad: new Float64Array(n), sharp: new Float64Array(n), refs: 0 };
      this.all.push(z);
    }
    z.refs = 1;
    return z;
  }

  /** Adds a holder of `z`; returns `z`. */
  hold(z: PooledPoint): PooledPoint {
    z.refs++;
    return z;
  }

  /** Removes a holder of `z` (freeing it when none is left). */
  drop(z: PooledPoint): void {
    if (--z.refs === 0) this.free[this.top++] = z;
  }

  /** Frees every point, whatever holds it: the holders must not be used again. */
  reset(): void {
    const { all, free } = this;
    for (let k = 0; k < all.length; k++) {
      all[k]!.refs = 0;
      free[k] = all[k]!;
    }
    this.top = all.length;
  }
}

/**
 * The kinetic energy ½·pᵀM⁻¹p of `z`, writing its sharp momentum M⁻¹p into
 * `z.sharp` in the same pass (the same sums, in the same order, as
 * `kineticEnergy` and `velocityInto`).
 */
export function kineticAndSharp(minv: InverseMassMatrix, z: PooledPoint): number {
  const { p, sharp } = z;
  let s = 0;
  if (minv.kind === "diagonal") {
    const d = minv.diagonal;
    for (let i = 0; i < p.length; i++) {
      const v = d[i]! * p[i]!;
      sharp[i] = v;
      s += p[i]! * v;
    }
  } else {
    velocityInto(minv, p, sharp);
    for (let i = 0; i < p.length; i++) s += p[i]! * sharp[i]!;
  }
  return 0.5 * s;
}
