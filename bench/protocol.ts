/**
 * The messages between the benchmark harness (parent) and a contender's child
 * process.
 */
import type { Figures, MemoryReport } from "./harness.js";

/** Parent → child. */
export type ParentMessage =
  | {
      /** Import `module`, call `factories[factory](params)`. */
      readonly type: "setup";
      readonly module: string;
      readonly factory: string;
      readonly params: unknown;
      /** Record memory after each round (forces a GC, untimed). */
      readonly memory: boolean;
      /** Untimed repetitions to run after setup. */
      readonly warmup: number;
    }
  | {
      /** Run `inner` timed repetitions, and more (up to `maxInner`) until they took `minMs` in all. */
      readonly type: "round";
      readonly inner: number;
      readonly minMs: number;
      readonly maxInner: number;
    }
  | {
      /** Run the final check and report. */
      readonly type: "finish";
      /** In memory mode, the untimed repetitions between the two live-memory measurements. */
      readonly memorySteps: number;
    };

/** Child → parent. */
export type ChildReply =
  | {
      readonly type: "ready";
      /** Errors of warm-up repetitions that threw. */
      readonly warmupErrors: string[];
    }
  | {
      readonly type: "round";
      /** Mean milliseconds per completed repetition. */
      readonly msPerRep: number;
      /** Repetitions that completed. */
      readonly completed: number;
      /** Figures of each completed repetition that reported some. */
      readonly figures: Figures[];
      /** Wrong answers of repetitions. */
      readonly wrongs: string[];
      /** Errors of repetitions that threw. */
      readonly errors: string[];
    }
  | {
      readonly type: "finished";
      readonly wrong?: string;
      readonly extra: Figures;
      readonly memory: MemoryReport;
    }
  | {
      /** A setup or check threw. */
      readonly type: "error";
      readonly message: string;
    }
  | {
      /** Made by the parent: the process died or timed out. */
      readonly type: "fatal";
      readonly message: string;
    };

/** The first line of an error's message, at most 240 characters (WebPPL errors carry whole source maps). */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
  const line = text.split("\n")[0] ?? "";
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}
