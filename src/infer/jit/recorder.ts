/**
 * What a traced ELBO evaluation records beyond its term graph: the random
 * draws (one window of nodes per drawing sample site, with the key the
 * interpreter draws it with), the param inputs, and the runs.
 *
 * @module
 */
import type { Distribution } from "../../distributions/distribution.js";
import type { RandomKey } from "../../tensor/random/key.js";
import { GraphRecorder } from "../../tensor/lazy/compile/trace.js";
import type { LazyTensor } from "../../tensor/lazy/tensor.js";
import type { Shape } from "../../tensor/types.js";

/** One sample site drawn by the interpreter during a traced evaluation. */
export interface DrawRecord {
  /** The site name. */
  readonly site: string;
  /** The run it happened in, counted from the evaluation's first run. */
  readonly run: number;
  /** Its position among the run's draws from the run key. */
  readonly draw: number;
  /** The key the interpreter drew it with. */
  readonly key: RandomKey;
  /** Its distribution. */
  readonly fn: Distribution;
  /** Its sample shape. */
  readonly sampleShape: Shape;
  /** The index of the first node made while drawing. */
  readonly start: number;
  /** One past the index of the last node made while drawing. */
  end: number;
  /** The drawn value. */
  value: LazyTensor | undefined;
}

/** A param read marked as a graph input. */
export interface ParamRecord {
  /** The param name. */
  readonly name: string;
  /** The input node carrying its (constrained) value. */
  readonly node: LazyTensor;
}

/** A {@link GraphRecorder} that also records draws and params (filled by the JIT site handler). */
export class JitRecorder extends GraphRecorder {
  /** The drawing sites, in order. */
  readonly draws: DrawRecord[] = [];
  /** The param inputs, in order. */
  readonly params: ParamRecord[] = [];
  /** The number of runs the evaluation made. */
  runs = 0;

  /** Makes a recorder whose runs are numbered from `firstRun` (absolute, within the step). */
  constructor(
    /** The absolute index of the evaluation's first run. */
    readonly firstRun: number,
  ) {
    super();
  }

  /** Opens the draw window of a site. */
  beginDraw(d: Omit<DrawRecord, "start" | "end" | "value">): DrawRecord {
    const record: DrawRecord = { ...d, start: this.nodes.length, end: this.nodes.length, value: undefined };
    this.draws.push(record);
    return record;
  }

  /** The draw whose window contains node index `i`, if any. */
  drawAt(i: number): DrawRecord | undefined {
    return this.draws.find((d) => i >= d.start && i < d.end);
  }
}
