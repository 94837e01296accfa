/**
 * The MCMC progress bar: one `cli-progress` bar per chain on a TTY (phase,
 * step size, mean acceptance probability, divergences), and nothing at all
 * when stderr is not a terminal (logs, CI, tests).
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { IterationInfo } from "./chain.js";

/** Receives each chain's progress. */
export interface ProgressReporter {
  /** Chain `chain` starts `total` iterations. */
  start(chain: number, total: number): void;
  /** Chain `chain` finished an iteration. */
  update(chain: number, info: IterationInfo): void;
  /** The current chain finished. */
  stop(): void;
}

/** Whether stderr is an interactive terminal. */
function stderrIsTTY(): boolean {
  return typeof process !== "undefined" && process.stderr?.isTTY === true;
}

/** A reporter drawing a bar per chain on a TTY when `enabled`; otherwise undefined (no output). */
export function progressReporter(enabled: boolean, numChains: number): ProgressReporter | undefined {
  if (!enabled || !stderrIsTTY()) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(chain, total) {
      const label = numChains > 1 ? `Chain ${chain + 1}/${numChains} ` : "";
      bar = new cliProgress.SingleBar(
        {
          format: `${label}{phase} [{bar}] {value}/{total} | step size {stepSize} | acc. prob {acceptProb} | divergences {divergences} | {duration_formatted}<{eta_formatted}`,
          hideCursor: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { phase: "Warmup", stepSize: "-", acceptProb: "-", divergences: 0 });
    },
    update(_chain, info) {
      bar?.update(info.iteration + 1, {
        phase: info.phase === "warmup" ? "Warmup" : "Sample",
        stepSize: info.stepSize.toExponential(2),
        acceptProb: info.meanAcceptProb.toFixed(2),
        divergences: info.divergences,
      });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
