/**
 * Running WebPPL programs (npm `webppl` 0.9.15) from the benchmarks: compile
 * a `.wppl` file once, then run it as often as needed with data and options
 * in WebPPL's global store (passing thousands of rows as a code literal
 * overflows WebPPL's CPS transform), seeded, synchronously.
 *
 * A run can also be paused and resumed: WebPPL executes on a trampoline, and
 * the runner used here stops bouncing when asked to and keeps the next
 * bounce. The SVI cases use this to time WebPPL's optimizer in rounds,
 * alternating with the other contenders, like `svi.step`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** One bounce of WebPPL's trampoline. */
type Thunk = (() => Thunk) | undefined | null;
/** WebPPL's trampoline runner. */
type Runner = (t: Thunk) => void;

interface WebpplMain {
  compile(code: string, options?: { filename?: string }): { code: string };
  runEvaled(main: unknown, runner: Runner, addressCell: { value: unknown }, store: object, k: (s: unknown, x: unknown) => void, a: string): void;
}

const webppl = require("webppl") as WebpplMain;
const wpplUtil = require("webppl/src/util.js") as { seedRNG(seed: number): void };

/** WebPPL's tensor class (adnn's), to pass data sets as tensors through the store. */
export const WebpplTensor = require("webppl/src/tensor.js") as new (dims: number[]) => { fromFlatArray(a: ArrayLike<number>): unknown };

/** A float64 matrix as a WebPPL tensor of shape `dims`. */
export function webpplTensor(dims: number[], data: ArrayLike<number>): unknown {
  return new WebpplTensor(dims).fromFlatArray(data);
}

/** A compiled WebPPL program. */
export class WebpplProgram {
  private readonly main: unknown;
  private saved: Thunk = undefined;
  private pauseRequested = false;
  private done = false;
  private result: unknown;

  /** Compiles `bench/webppl/<file>` (once). */
  constructor(file: string) {
    const code = readFileSync(new URL(`./webppl/${file}`, import.meta.url), "utf8");
    const compiled = webppl.compile(code, { filename: file });
    this.main = (0, eval)(compiled.code);
  }

  /** The trampoline runner: bounces until the program ends or a pause is requested. */
  private readonly runner: Runner = (t) => {
    let next = t;
    while (next) {
      if (this.pauseRequested) {
        this.pauseRequested = false;
        this.saved = next;
        return;
      }
      next = next();
    }
  };

  /** Asks the running program to pause at its next bounce (call from a callback the program makes). */
  pause(): void {
    this.pauseRequested = true;
  }

  /** Whether the last started run has finished. */
  get finished(): boolean {
    return this.done;
  }

  /**
   * Starts a run with `store` as the global store and WebPPL's random number
   * generator seeded with `seed`; returns when the run finishes or pauses.
   * Errors (e.g. a NaN parameter after a divergent HMC trajectory) are thrown.
   */
  start(store: object, seed: number): void {
    wpplUtil.seedRNG(seed);
    this.done = false;
    this.saved = undefined;
    this.pauseRequested = false;
    webppl.runEvaled(this.main, this.runner, { value: undefined }, store, (_s, x) => {
      this.done = true;
      this.result = x;
    }, "");
  }

  /** Resumes a paused run; returns when it finishes or pauses again. */
  resume(): void {
    if (this.done) throw new Error("WebPPL program: nothing to resume, the run has finished");
    const t = this.saved;
    this.saved = undefined;
    this.runner(t);
  }

  /** Runs to the end with `store` and `seed`; returns the program's value. */
  run(store: object, seed: number): unknown {
    this.start(store, seed);
    if (!this.done) throw new Error("WebPPL program paused unexpectedly");
    return this.result;
  }

  /** The value of the finished run. */
  value(): unknown {
    if (!this.done) throw new Error("WebPPL program has not finished");
    return this.result;
  }
}

/** A marginal's samples as WebPPL's MCMC returns them, in order. */
export interface WebpplSamples<V> {
  readonly samples: readonly { readonly value: V; readonly score: number }[];
}

/**
 * A WebPPL program that runs `Optimize` and returns `getParams()`, driven one
 * step at a time: its `onStep` must call `options.clock.mark(i, objective)`,
 * where the run pauses until the next {@link WebpplOptimizer.step}.
 */
export class WebpplOptimizer {
  private readonly prog: WebpplProgram;
  private readonly store: object;
  private target = 0;
  private started = false;
  /** Steps run so far. */
  done = 0;
  /** The loss (−ELBO estimate) at the first and at the latest step. */
  firstLoss = NaN;
  lastLoss = NaN;

  /** Compiles `file`; `data` and `options` (plus the clock) go into the global store. */
  constructor(
    file: string,
    data: unknown,
    options: Record<string, unknown> & { steps: number },
    private readonly seed = 1,
  ) {
    this.prog = new WebpplProgram(file);
    const clock = {
      mark: (i: number, objective: number) => {
        this.done = i + 1;
        if (this.done === 1) this.firstLoss = -objective;
        this.lastLoss = -objective;
        if (this.done >= this.target) this.prog.pause();
      },
    };
    this.store = { data, options: { ...options, clock } };
    this.totalSteps = options.steps;
  }

  /** The number of steps the program runs in all. */
  readonly totalSteps: number;

  private advance(to: number): void {
    this.target = to;
    if (!this.started) {
      this.started = true;
      this.prog.start(this.store, this.seed);
    } else this.prog.resume();
  }

  /** Runs one optimization step. */
  step(): void {
    if (this.done >= this.totalSteps) throw new Error(`WebPPL: all ${this.totalSteps} steps already run`);
    this.advance(this.done + 1);
  }

  /** Runs the remaining steps; returns the params by name (flat values). */
  params(): Record<string, number[]> {
    if (!this.prog.finished) this.advance(Infinity);
    const raw = this.prog.value() as Record<string, { data: ArrayLike<number> }>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.from(v.data)]));
  }
}
