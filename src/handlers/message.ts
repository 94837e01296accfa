/**
 * Messages and handlers: Pyro's effect-handling semantics.
 *
 * Each effect a model performs becomes a {@link Message} that travels through
 * the run's handler stack: `process` runs innermost-first before a value
 * exists (a handler may set the value, observe the site, or `stop` outer
 * handlers from seeing it), the default behaviour then fills in the value
 * (drawing from `fn`, reading the param store), and `postprocess` runs on the
 * way back out. This is Pyro's `apply_stack`, except that the stack is a value
 * owned by one run, not a module global.
 *
 * @module
 */
import type { Distribution } from "../distributions/distribution.js";
import type { Constraint } from "../distributions/constraint.js";
import type { RandomKey } from "../tensor/random/key.js";
import type { Shape, Tensor } from "../tensor/types.js";

/** One enclosing plate of a site (Pyro's `CondIndepStackFrame`). */
export interface CondIndepFrame {
  /** The plate's name. */
  readonly name: string;
  /** The batch dim the plate occupies (negative), or `null` for a sequential plate. */
  readonly dim: number | null;
  /** The plate's full size. */
  readonly size: number;
  /** The number of indices actually visited (≤ size). */
  readonly subsampleSize: number;
  /** Iteration counter of a sequential plate (0 for vectorized plates). */
  readonly counter: number;
}

/** Per-site inference configuration (Pyro's `infer` dict). */
export interface InferConfig {
  /** Enumerate this discrete site ("parallel" or "sequential"). */
  readonly enumerate?: "parallel" | "sequential";
  /** Expand enumerated values to the full batch shape. */
  readonly expand?: boolean;
  /** Marks an auxiliary site that the model need not have. */
  readonly isAuxiliary?: boolean;
  /** Other entries algorithms may read. */
  readonly [key: string]: unknown;
}

/** What kind of effect a message carries. */
export type MessageType = "sample" | "param" | "subsample";

/** A site's scale: a number or a tensor broadcastable to its log-density. */
export type Scale = number | Tensor;

/**
 * One effect in flight through the handler stack.
 *
 * Fields are mutable on purpose: handlers rewrite them, as in Pyro.
 */
export interface Message {
  /** The effect kind. */
  type: MessageType;
  /** The site name. */
  name: string;
  /** The distribution of a sample site (`null` for param and subsample sites). */
  fn: Distribution | null;
  /** The value, once known. */
  value: Tensor | null;
  /** Whether the value is observed data. */
  isObserved: boolean;
  /** Multiplier of the site's log-density (plates' subsampling, `scale` handler). */
  scale: Scale;
  /** Mask of the site's log-density, or `null` for none. */
  mask: Tensor | boolean | null;
  /** The enclosing plates, innermost last. */
  condIndepStack: CondIndepFrame[];
  /** Inference configuration. */
  infer: InferConfig;
  /** Stop outer handlers from processing this message. */
  stop: boolean;
  /** The value is final; the default behaviour must not replace it. */
  done: boolean;
  /** The random key the default behaviour draws with (set by `seed`). */
  key: RandomKey | null;
  /** Extra leading dims of a draw (Pyro's `sample_shape`). */
  sampleShape: Shape;
  /** A param site's initial value or initializer. */
  init?: Tensor | (() => Tensor) | undefined;
  /** A param site's constraint. */
  constraint?: Constraint | undefined;
  /** A param or subsample site's event dims (how plates index it). */
  eventDim?: number | undefined;
  /** The site's log-density after scale and mask, once a trace computed it. */
  logProb?: Tensor | undefined;
  /** The site's log-density before scale and mask. */
  unscaledLogProb?: Tensor | undefined;
  /** The sum of `logProb`. */
  logProbSum?: Tensor | undefined;
}

/**
 * An effect handler (Pyro's Messenger): the hooks a handler may implement.
 *
 * @example
 * ```ts
 * const doubleScale: Handler = { process(msg) { msg.scale = 2; } };
 * ```
 */
export interface Handler {
  /** Called innermost-first before the default behaviour. */
  process?(msg: Message): void;
  /** Called on the way back out, after the value is known. */
  postprocess?(msg: Message): void;
  /** Called when the handler's scope is entered; the result goes to the scope body. */
  enter?(): unknown;
  /** Called when the scope is left (also when the body threw). */
  exit?(): void;
}

const NO_FRAMES: CondIndepFrame[] = [];
const NO_SHAPE: Shape = [];

/**
 * A fresh message with Pyro's defaults. Every field, optional ones included,
 * is created here in one order, so all messages share one object shape (V8
 * keeps property access on them monomorphic on the hot path).
 */
export function makeMessage(type: MessageType, name: string, fields: Partial<Message> = {}): Message {
  const msg: Message = {
    type,
    name,
    fn: null,
    value: null,
    isObserved: false,
    scale: 1,
    mask: null,
    condIndepStack: NO_FRAMES,
    infer: {},
    stop: false,
    done: false,
    key: null,
    sampleShape: NO_SHAPE,
    init: undefined,
    constraint: undefined,
    eventDim: undefined,
    logProb: undefined,
    unscaledLogProb: undefined,
    logProbSum: undefined,
  };
  return Object.assign(msg, fields);
}

/**
 * Pyro's `apply_stack`: runs `msg` through `stack` (outermost first in the
 * array) and the default behaviour.
 */
export function applyStack(stack: readonly Handler[], msg: Message, defaultProcess: (msg: Message) => void): void {
  let reached = stack.length;
  for (let i = stack.length - 1; i >= 0; i--) {
    reached = i;
    stack[i]!.process?.(msg);
    if (msg.stop) break;
  }
  defaultProcess(msg);
  for (let i = reached; i < stack.length; i++) stack[i]!.postprocess?.(msg);
}
