/**
 * The runner of a traced ELBO evaluation: every program runs under a
 * {@link JitSiteHandler} that marks what changes from step to step.
 *
 * - **Params**: a param site whose value comes from the param store (or the
 *   caller's differentiated inputs) gets that value wrapped as a graph input
 *   named after the param, so the compiled graph reads params afresh.
 * - **Random draws**: a sample site the interpreter will draw (unobserved,
 *   no value, no key of its own) opens a *draw window*: every node made
 *   until the site's value is back belongs to the draw. The handler knows
 *   the key the interpreter will use: a run draws from its run key by
 *   successive splits, and runs take their keys from the step's key by
 *   successive splits (`Runtime.nextKey`), so the site key is a function of
 *   the step key, the run's index and the draw's index — recomputed on every
 *   compiled step.
 *
 * After a compiled attempt of the step ran (and consumed a run key), the
 * handler assigns these keys itself, so a re-trace draws exactly what the
 * uncompiled ELBO draws with the step key.
 *
 * The handler sits outside the program's own handlers (it sees a site once
 * they have set values, keys and plates) and inside the caller's (SVI's
 * param tracking), so values it wraps are what the trace records.
 *
 * @module
 */
import { handlerScope } from "../../handlers/interpreter.js";
import type { Handler, Message } from "../../handlers/message.js";
import type { Runner } from "../../handlers/trace.js";
import { scoped } from "../../program/program.js";
import { split, type RandomKey } from "../../tensor/random/key.js";
import type { LazyEnv } from "../../tensor/lazy/env.js";
import { inputTerm } from "../../tensor/lazy/node.js";
import { LazyTensor } from "../../tensor/lazy/tensor.js";
import type { DrawRecord, JitRecorder } from "./recorder.js";

/** Successive splits: `chain(key)[i]` is the i-th key split off `key` (as `Runtime.nextKey` and the interpreter draw them). */
export class KeyChain {
  private readonly keys: RandomKey[] = [];
  private state: RandomKey;

  /** Makes the chain of `key`. */
  constructor(key: RandomKey) {
    this.state = key;
  }

  /** The `i`-th key split off. */
  at(i: number): RandomKey {
    while (this.keys.length <= i) {
      const [next, sub] = split(this.state);
      this.state = next!;
      this.keys.push(sub!);
    }
    return this.keys[i]!;
  }
}

/** Marks params and draw windows of one run (see the module doc). */
export class JitSiteHandler implements Handler {
  private readonly draws: KeyChain;
  private drawCount = 0;
  private readonly open = new Map<Message, DrawRecord>();
  private readonly params = new Set<Message>();

  /**
   * Makes the handler of run `run` (relative to the recorder's first run),
   * whose key is `runKey`; with `assign`, it gives each drawing site its key
   * itself instead of relying on the interpreter's (whose run key may have
   * moved on).
   */
  constructor(
    private readonly env: LazyEnv,
    private readonly recorder: JitRecorder,
    private readonly run: number,
    runKey: RandomKey,
    private readonly assign: boolean,
  ) {
    this.draws = new KeyChain(runKey);
  }

  /** Opens a draw window, or notes a param read. */
  process(msg: Message): void {
    if (msg.type === "param") {
      if (msg.value === null) this.params.add(msg);
      return;
    }
    if (msg.type !== "sample" || msg.isObserved || msg.value !== null || msg.done || msg.key !== null || msg.fn === null) return;
    const draw = this.drawCount++;
    const key = this.draws.at(draw);
    this.open.set(msg, this.recorder.beginDraw({ site: msg.name, run: this.run, draw, key, fn: msg.fn, sampleShape: msg.sampleShape }));
    if (this.assign) msg.key = key;
  }

  /** Closes a draw window, or wraps a param's value as a graph input. */
  postprocess(msg: Message): void {
    if (this.params.delete(msg)) {
      if (msg.value instanceof LazyTensor) {
        const node = inputTerm(this.env, `param:${msg.name}`, msg.value);
        this.recorder.params.push({ name: msg.name, node });
        msg.value = node;
      }
      return;
    }
    const d = this.open.get(msg);
    if (d === undefined) return;
    this.open.delete(msg);
    d.end = this.recorder.nodes.length;
    d.value = msg.value instanceof LazyTensor ? msg.value : undefined;
  }
}

/**
 * `run` with every program under a fresh {@link JitSiteHandler}; runs are
 * numbered from the recorder's first run, their keys taken from `runKeys`.
 * With `assign` the handler sets the draws' keys (when the runtime's key
 * chain has moved past the step key's first runs, e.g. after a compiled
 * attempt read the params): the draws are then those of the step key all
 * the same.
 */
export function jitRunner(run: Runner, env: LazyEnv, recorder: JitRecorder, runKeys: KeyChain, assign: boolean): Runner {
  return (program) => {
    const index = recorder.runs++;
    const handler = new JitSiteHandler(env, recorder, index, runKeys.at(recorder.firstRun + index), assign);
    return run(scoped(handlerScope(() => handler), () => program));
  };
}
