/**
 * Benchmark harness: every contender of a case runs in its own child process
 * (its own V8 isolate, heap, garbage collector and peak-RSS counter), and the
 * parent alternates timed rounds between them, one process working at a time,
 * so drift of a shared machine hits all contenders alike. Results are medians
 * over rounds; a contender whose answer fails its check is reported as wrong,
 * never as a time.
 *
 * Why processes and not `worker_threads` Workers: both give each contender a
 * separate isolate, so generic library code called with tfjs tensors in one
 * contender and with float64 ndarrays in another stays monomorphic in each.
 * A process also gives each contender its own peak resident memory
 * (`process.resourceUsage().maxRSS`), which the scaling case reports and
 * Workers cannot separate, and a contender that runs out of memory or
 * crashes is reported instead of taking the run down.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { ChildReply, ParentMessage } from "./protocol.js";

/** Named numbers a contender reports (per round or at the end). */
export type Figures = Record<string, number>;

/** What one repetition may report besides its time. */
export interface RoundOutcome {
  /** Figures of this repetition (e.g. ESS/s of one MCMC run); the harness keeps every value and their medians. */
  readonly figures?: Figures;
  /** Set when this repetition's answer is wrong (e.g. posterior means outside the tolerance). */
  readonly wrong?: string;
}

/** A prepared contender, living in its own child process. */
export interface Timed {
  /** One repetition of the measured work. */
  run(): void | RoundOutcome | Promise<void | RoundOutcome>;
  /** After the rounds (untimed): undefined when the final answer is right, else what is wrong. */
  check?(): string | undefined | Promise<string | undefined>;
  /** Figures to report once, after the check. */
  extra?(): Figures;
  /** Live tensors or other objects the contender owns (sampled around the memory run in memory mode, to show leaks). */
  liveObjects?(): number;
}

/** Makes a contender inside its child process from structured-cloneable parameters. */
export type Factory = (params: never) => Timed | Promise<Timed>;

/** One contender of a case, as the parent sees it. */
export interface ContenderSpec {
  /** Row label ("numpy", "pyro (tfjs)", "WebPPL (tensor)"). */
  readonly name: string;
  /** URL of the case module (its `import.meta.url`); the module exports `factories`. */
  readonly module: string;
  /** The key of the factory in the module's `factories`. */
  readonly factory: string;
  /** Parameters passed to the factory (structured-cloneable). */
  readonly params?: unknown;
  /** Timed rounds for this contender (default: the case's). */
  readonly rounds?: number;
  /** Repetitions per round (default: the case's). */
  readonly inner?: number;
  /** Timed milliseconds a round lasts at least (default: the case's). */
  readonly minRoundMs?: number;
  /** Untimed repetitions run at setup, to let the JIT warm up (default: the case's). */
  readonly warmup?: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed rounds per contender (default 5). */
  readonly rounds?: number;
  /** Repetitions per round (default 1). */
  readonly inner?: number;
  /**
   * Timed milliseconds a round lasts at least (default 0): a round runs more
   * than `inner` repetitions (up to {@link MAX_INNER_FACTOR} × `inner`) until its
   * repetitions took this long. A contender idles while the others run its
   * rounds, and its first repetitions after idling are slow (cold caches, a
   * CPU woken from a low clock); a round of a few milliseconds measures that
   * wake-up more than the repetitions, and penalises the fastest contenders most.
   */
  readonly minRoundMs?: number;
  /** Untimed repetitions run at setup, to let the JIT warm up (default 0). */
  readonly warmup?: number;
  /**
   * After the timed rounds, measure live memory (after forced collections),
   * run as many untimed repetitions as were timed, and measure it again
   * (default false). Not between timed rounds: a forced full collection
   * resets V8's allocation limits, and the steps after it collect several
   * times more often (at N = 10⁶ an SVI step took 3× as long).
   */
  readonly memory?: boolean;
  /** Give up on a contender whose setup, round or check takes longer than this (default 180 s). */
  readonly timeoutMs?: number;
}

/** The most repetitions a round runs to reach its minimum duration, as a multiple of `inner`. */
export const MAX_INNER_FACTOR = 20;

/** Memory figures of one contender's process. */
export interface MemoryReport {
  /** Resident set size after importing the case module (the library, tfjs, WebPPL), before setup (bytes). */
  readonly idleRss: number;
  /** Peak resident set size of the whole process (bytes). */
  readonly peakRss: number;
  /** Live memory before and after the untimed memory run (memory mode only; see {@link MeasureOptions.memory}). */
  readonly live?: LiveMemory;
}

/** V8 heap used + external (ArrayBuffer) memory after forced collections, around an untimed run of `steps` repetitions. */
export interface LiveMemory {
  /** The number of repetitions between the two measurements. */
  readonly steps: number;
  /** Live bytes before them. */
  readonly before: number;
  /** Live bytes after them. */
  readonly after: number;
  /** `liveObjects()` before and after, when the contender reports it. */
  readonly objects?: readonly [number, number];
}

/** What one case measured for one contender. */
export interface Result {
  /** The case name. */
  readonly case: string;
  /** The contender's row label. */
  readonly contender: string;
  /** Milliseconds per repetition, one entry per completed round. */
  readonly runs: number[];
  /** The median of `runs` (NaN when no round completed). */
  readonly median: number;
  /** Every value of each per-repetition figure, in order. */
  readonly figures: Record<string, number[]>;
  /** The median of each per-repetition figure. */
  readonly figureMedians: Figures;
  /** Figures reported once at the end. */
  readonly extra: Figures;
  /** Set when the answer is wrong (a failed check, or any wrong repetition). */
  readonly wrong?: string;
  /** Errors of rounds that threw, or of setup. */
  readonly failures: string[];
  /** Repetitions that completed. */
  readonly repetitions: number;
  /** Memory figures of the contender's process. */
  readonly memory?: MemoryReport;
}

/** The median of a list of numbers (NaN for an empty list). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/** A contender's child process and what it has reported so far. */
interface Slot {
  readonly spec: ContenderSpec;
  readonly rounds: number;
  readonly inner: number;
  readonly minRoundMs: number;
  child?: ChildProcess;
  dead?: string;
  runs: number[];
  figures: Record<string, number[]>;
  wrongs: string[];
  failures: string[];
  repetitions: number;
  extra: Figures;
  wrong?: string;
  memory?: MemoryReport;
}

const childUrl = new URL("./child.ts", import.meta.url);

/** Sends `msg` to the slot's child and resolves with its reply (or a failure on exit/timeout). */
function request(slot: Slot, msg: ParentMessage, timeoutMs: number): Promise<ChildReply> {
  return new Promise((resolve) => {
    const child = slot.child;
    if (child === undefined || slot.dead !== undefined) return resolve({ type: "fatal", message: slot.dead ?? "not started" });
    let settled = false;
    const settle = (r: ChildReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(r);
    };
    const onMessage = (m: ChildReply) => settle(m);
    const onExit = (code: number | null, signal: string | null) => {
      slot.dead = `process exited (${signal ?? `code ${code}`})`;
      settle({ type: "fatal", message: slot.dead });
    };
    const timer = setTimeout(() => {
      slot.dead = `timed out after ${(timeoutMs / 1000).toFixed(0)} s`;
      child.kill("SIGKILL");
      settle({ type: "fatal", message: slot.dead });
    }, timeoutMs);
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.send(msg);
  });
}

/**
 * V8 flags of every contender's process. `--no-memory-reducer`: V8 shrinks
 * the heap of a process that has gone idle, and the alternation idles every
 * contender between its rounds, which a training or sampling loop never
 * does; with the reducer on, a round measured the young generation growing
 * back (an SVI step that allocates took 1.6× as long after one second idle:
 * 0.58 ms against 0.36 ms, and 0.40 ms with the flag).
 */
const CHILD_FLAGS = ["--expose-gc", "--no-memory-reducer"];

/** Starts a child process and has it set up the contender. */
async function setUp(slot: Slot, memory: boolean, warmup: number, timeoutMs: number): Promise<void> {
  slot.child = fork(childUrl, [], {
    execArgv: ["--import", "tsx", ...CHILD_FLAGS],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const reply = await request(slot, { type: "setup", module: slot.spec.module, factory: slot.spec.factory, params: slot.spec.params, memory, warmup: slot.spec.warmup ?? warmup }, timeoutMs);
  if (reply.type === "ready") {
    slot.failures.push(...reply.warmupErrors.map((e) => `warm-up: ${e}`));
    return;
  }
  slot.failures.push(`setup: ${reply.type === "fatal" || reply.type === "error" ? reply.message : `unexpected reply ${reply.type}`}`);
  slot.dead ??= "setup failed";
  slot.child.kill();
}

/** Runs `tasks` with at most `limit` of them at a time. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/**
 * Measures a case: sets every contender up in its own process (two at a
 * time; setup and warm-up repetitions are not timed), then runs timed rounds, one contender at a time,
 * rotating the order each round, then asks each for its final check.
 */
export async function measure(caseName: string, specs: readonly ContenderSpec[], options: MeasureOptions = {}): Promise<Result[]> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const memory = options.memory ?? false;
  const slots: Slot[] = specs.map((spec) => ({
    spec,
    rounds: spec.rounds ?? options.rounds ?? 5,
    inner: spec.inner ?? options.inner ?? 1,
    minRoundMs: spec.minRoundMs ?? options.minRoundMs ?? 0,
    runs: [],
    figures: {},
    wrongs: [],
    failures: [],
    repetitions: 0,
    extra: {},
  }));
  await pool(slots.map((s) => () => setUp(s, memory, options.warmup ?? 0, timeoutMs)), 2);
  const maxRounds = Math.max(...slots.map((s) => s.rounds));
  for (let r = 0; r < maxRounds; r++) {
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[(r + k) % slots.length]!;
      if (r >= slot.rounds || slot.dead !== undefined) continue;
      const reply = await request(slot, { type: "round", inner: slot.inner, minMs: slot.minRoundMs, maxInner: slot.inner * MAX_INNER_FACTOR }, timeoutMs);
      if (reply.type === "round") {
        if (reply.completed > 0) slot.runs.push(reply.msPerRep);
        slot.repetitions += reply.completed;
        for (const f of reply.figures) for (const [key, v] of Object.entries(f)) (slot.figures[key] ??= []).push(v);
        slot.wrongs.push(...reply.wrongs);
        slot.failures.push(...reply.errors);
      } else if (reply.type === "error" || reply.type === "fatal") {
        slot.failures.push(reply.message);
      }
    }
  }
  for (const slot of slots) {
    const reply = await request(slot, { type: "finish", memorySteps: memory ? slot.repetitions : 0 }, timeoutMs);
    if (reply.type === "finished") {
      slot.extra = reply.extra;
      if (reply.wrong !== undefined) slot.wrong = reply.wrong;
      slot.memory = reply.memory;
    } else if (reply.type === "error" || reply.type === "fatal") {
      slot.failures.push(`check: ${reply.message}`);
    }
    slot.child?.kill();
  }
  return slots.map((s) => {
    const wrong = s.wrong ?? (s.wrongs.length > 0 ? `${s.wrongs.length} of ${s.repetitions} runs wrong; first: ${s.wrongs[0]}` : undefined);
    const figureMedians: Figures = {};
    for (const [key, v] of Object.entries(s.figures)) figureMedians[key] = median(v);
    return {
      case: caseName,
      contender: s.spec.name,
      runs: s.runs,
      median: median(s.runs),
      figures: s.figures,
      figureMedians,
      extra: s.extra,
      ...(wrong === undefined ? {} : { wrong }),
      failures: s.failures,
      repetitions: s.repetitions,
      ...(s.memory === undefined ? {} : { memory: s.memory }),
    };
  });
}
