/**
 * Reverse-mode automatic differentiation for the `ndarray` backend.
 *
 * There is no global tape. While a gradient is being taken, every op with at
 * least one tracked input (an input that has a {@link GradNode}) attaches a
 * node to its output: its inputs and a vector-Jacobian product (VJP) closure.
 * `valueAndGrad(f, xs)` wraps each `x` in a fresh tracked leaf, runs `f`,
 * orders the nodes reachable from the output that lead back to those leaves
 * (an iterative depth-first search, so deep graphs do not overflow the stack)
 * and accumulates cotangents from the output back to the leaves. Ops on
 * untracked arrays record nothing and cost one field test.
 *
 * VJPs are written with the backend's own ops and run with recording switched
 * off, so the backward pass builds no graph. Higher-order gradients are not
 * supported; nested `valueAndGrad` calls are (the inner gradient is a
 * constant to the outer one, the inner value is not). When the outermost call
 * returns, the nodes of its graph let go of their inputs and VJPs (see
 * {@link release}).
 *
 * @module
 */
import type { ValueAndGrad } from "../ops.js";
import { alloc } from "./alloc.js";
import { fresh, NDArray, type GradNode, type Vjp } from "./array.js";
import { fail, fmt, nd, sameShape } from "./convert.js";
import { mapBinary, type BinaryKernel } from "./iter.js";

let recording = true;
let calls = 0;
/** `valueAndGrad` calls in progress (more than one when nested). */
let active = 0;

/** Whether ops currently record autodiff nodes (false during a backward pass). */
export function isRecording(): boolean {
  return recording;
}

/** Whether an op on `a` (and `b`, `c`) must record a node. */
export function tracked(a: NDArray, b?: NDArray, c?: NDArray): boolean {
  return recording && (a.node !== undefined || (b !== undefined && b.node !== undefined) || (c !== undefined && c.node !== undefined));
}

/**
 * Attaches an autodiff node to `y`, the output of `op` on `parents`; returns
 * `y`. Pass `freshGrads` only when every cotangent `vjp` returns is a new
 * array, distinct per input and referenced nowhere else (see
 * {@link GradNode.freshGrads}).
 */
export function record(y: NDArray, op: string, parents: readonly NDArray[], vjp: Vjp, freshGrads = false): NDArray {
  y.node = { op, parents, vjp, leafOf: 0, visit: 0, reach: false, slot: -1, freshGrads };
  return y;
}

const identityVjp: Vjp = (g) => [g];

/** `x` with gradients blocked: the same values, untracked. */
export function stopGradient(x0: unknown): NDArray {
  const x = nd(x0, "stopGradient", "x");
  if (x.node === undefined) return x;
  return new NDArray(x.data, x.shape, x.strides, x.offset, x.size, x.contiguous);
}

const addK: BinaryKernel = (o, oi, so, a, ai, sa, b, bi, sb, n) => {
  for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! + b[bi]!;
};

/** The order in which a backward pass visits nodes, with the slots of their parents. */
interface Plan {
  /** The nodes that lead to the call's leaves, inputs first (the output last). */
  readonly order: GradNode[];
  /** `parentSlots[firstParent[k] + i]` is the slot of parent `i` of `order[k]`, -1 if it leads to no leaf. */
  readonly parentSlots: number[];
  readonly firstParent: number[];
}

/**
 * The nodes below `root` that lead to leaves of call `call`, in post-order, by
 * an iterative depth-first search. The bookkeeping fields of the nodes are
 * only used here, before any VJP (user code) runs, so a `valueAndGrad` nested
 * in a VJP cannot disturb the backward pass that called it.
 */
function topoOrder(root: GradNode, call: number): Plan {
  const order: GradNode[] = [];
  const parentSlots: number[] = [];
  const firstParent: number[] = [];
  const stack: GradNode[] = [root];
  const next: number[] = [0];
  root.visit = call;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const n = stack[top]!;
    const ps = n.parents;
    if (n.leafOf !== call) {
      const i = next[top]!;
      if (i < ps.length) {
        next[top] = i + 1;
        const p = ps[i]!.node;
        if (p !== undefined && p.visit !== call) {
          p.visit = call;
          p.reach = false;
          stack.push(p);
          next.push(0);
        }
        continue;
      }
    }
    stack.pop();
    next.pop();
    let reach = n.leafOf === call;
    if (!reach) for (let i = 0; i < ps.length; i++) if (ps[i]!.node?.reach === true) reach = true;
    n.reach = reach;
    if (!reach) continue;
    n.slot = order.length;
    order.push(n);
    firstParent.push(parentSlots.length);
    if (n.leafOf === call) continue;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!.node;
      parentSlots.push(p !== undefined && p.visit === call && p.reach ? p.slot : -1);
    }
  }
  return { order, parentSlots, firstParent };
}

/** Whether `x` is a whole contiguous array: `x.data` holds exactly its elements, in order. */
function whole(x: NDArray): boolean {
  return x.contiguous && x.offset === 0 && x.data.length === x.size;
}

/**
 * Runs the VJPs from the output back to the leaves of `call`; returns the
 * cotangent of each slot.
 *
 * A slot that receives several cotangents sums them. The sum is taken in
 * place when the slot's array is owned by this pass — allocated by it (an
 * earlier sum) or by a VJP that promises fresh arrays — and the incoming
 * cotangent has the same layout: the same additions in the same order as a
 * new array would get, without allocating one per extra cotangent.
 */
function backward(plan: Plan, seed: NDArray, call: number): (NDArray | undefined)[] {
  const { order, parentSlots, firstParent } = plan;
  const grads = new Array<NDArray | undefined>(order.length);
  const owned = new Uint8Array(order.length);
  grads[order.length - 1] = seed;
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const g = grads[k];
    if (node.leafOf === call || g === undefined) continue;
    const ps = node.parents;
    const first = firstParent[k]!;
    const need = new Array<boolean>(ps.length);
    for (let i = 0; i < ps.length; i++) need[i] = parentSlots[first + i]! >= 0;
    const gs = node.vjp(g, need);
    for (let i = 0; i < ps.length; i++) {
      const slot = parentSlots[first + i]!;
      const gi = gs[i];
      if (slot < 0 || gi === null || gi === undefined) continue;
      if (!sameShape(gi.shape, ps[i]!.shape)) {
        fail(node.op, `internal autodiff error: cotangent of shape ${fmt(gi.shape)} for an input of shape ${fmt(ps[i]!.shape)}`);
      }
      const prev = grads[slot];
      if (prev === undefined) {
        grads[slot] = gi;
        owned[slot] = node.freshGrads && whole(gi) ? 1 : 0;
      } else if (owned[slot] === 1 && whole(gi)) {
        addK(prev.data, 0, 1, prev.data, 0, 1, gi.data, 0, 1, prev.size);
      } else {
        const sum = mapBinary(addK, prev, gi, "valueAndGrad");
        grads[slot] = sum;
        owned[slot] = whole(sum) ? 1 : 0;
      }
    }
  }
  return grads;
}

/**
 * The value of the scalar function `f` at `xs` and its gradient with respect
 * to each `x`, by reverse-mode autodiff. Inputs that `f` does not use get
 * zero gradients.
 *
 * @example
 * ```ts
 * const { value, grads } = valueAndGrad(([x]) => sum(mul(x, x)), [tensor([1, 2])]);
 * // value 5, grads [[2, 4]]
 * ```
 */
export function valueAndGrad(f: (xs: readonly NDArray[]) => NDArray, xs: readonly unknown[]): ValueAndGrad<NDArray> {
  active++;
  try {
    return differentiate(f, xs);
  } finally {
    active--;
  }
}

/** {@link valueAndGrad} inside the count of active calls. */
function differentiate(f: (xs: readonly NDArray[]) => NDArray, xs: readonly unknown[]): ValueAndGrad<NDArray> {
  const call = ++calls;
  const outer = recording;
  const leaves = xs.map((x0, i) => {
    const x = nd(x0, "valueAndGrad", `xs[${i}]`);
    const leaf = new NDArray(x.data, x.shape, x.strides, x.offset, x.size, x.contiguous);
    const parents = outer && x.node !== undefined ? [x] : [];
    leaf.node = { op: "input", parents, vjp: identityVjp, leafOf: call, visit: 0, reach: false, slot: -1, freshGrads: false };
    return leaf;
  });
  let y: NDArray;
  recording = true;
  try {
    y = nd(f(leaves), "valueAndGrad", "the result of f");
  } finally {
    recording = outer;
  }
  if (y.size !== 1) fail("valueAndGrad", `f must return a one-element array, got shape ${fmt(y.shape)}`);
  let out: NDArray[];
  if (y.node === undefined) {
    out = leaves.map((l) => fresh(alloc(l.size), l.shape));
  } else {
    const plan = topoOrder(y.node, call);
    const slots = leaves.map((l) => (l.node!.visit === call && l.node!.reach ? l.node!.slot : -1));
    const seed = alloc(1);
    seed[0] = 1;
    recording = false;
    let grads: (NDArray | undefined)[];
    try {
      grads = plan.order.length > 0 ? backward(plan, fresh(seed, y.shape), call) : [];
    } finally {
      recording = outer;
    }
    out = leaves.map((l, i) => (slots[i]! >= 0 ? grads[slots[i]!] : undefined) ?? fresh(alloc(l.size), l.shape));
    if (active === 1) release(plan.order);
  }
  // The value keeps its node, so an enclosing valueAndGrad can differentiate it.
  return { value: y, grads: out };
}

const NO_PARENTS: readonly NDArray[] = Object.freeze([]);

const releasedVjp: Vjp = () => fail("valueAndGrad", "internal autodiff error: a released node was differentiated again");

/**
 * Drops the inputs and VJPs of the nodes of an outermost call's graph once
 * its gradients are taken. Only that call's backward pass can use them: a
 * later call reaches only its own leaves, made after these nodes, and an
 * enclosing call (the reason a nested call keeps its graph) does not exist.
 * Without this, an array the caller keeps (a trace's value, say) pins the
 * whole tape and the forward arrays its VJPs hold.
 */
function release(order: readonly GradNode[]): void {
  for (const n of order) {
    n.parents = NO_PARENTS;
    n.vjp = releasedVjp;
  }
}
