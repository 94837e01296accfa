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
  /** Chain `chain` finished. */
  stop(chain: number): void;
}

/** Whether stderr is an interactive terminal. */
function stderrIsTTY(): boolean {
  return typeof process !== "undefined" && process.stderr?.isTTY === true;
}

const FORMAT =
  "{phase} [{bar}] {value}/{total} | step size {stepSize} | acc. prob {acceptProb} | divergences {divergences} | {duration_formatted}<{eta_formatted}";

/** The bar's fields for `info`. */
function fields(info: IterationInfo): Record<string, string | number> {
  return {
    phase: info.phase === "warmup" ? "Warmup" : "Sample",
    stepSize: info.stepSize.toExponential(2),
    acceptProb: info.meanAcceptProb.toFixed(2),
    divergences: info.divergences,
  };
}

/**
 * A reporter drawing a bar per chain on a TTY when `enabled`; otherwise
 * undefined (no output). With `concurrent`, chains run at the same time
 * (worker threads) and every chain keeps its own line.
 */
export function progressReporter(enabled: boolean, numChains: number, concurrent = false): ProgressReporter | undefined {
  if (!enabled || !stderrIsTTY()) return undefined;
  if (concurrent) return multiReporter(numChains);
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(chain, total) {
      const label = numChains > 1 ? `Chain ${chain + 1}/${numChains} ` : "";
      bar = new cliProgress.SingleBar(
        {
          format: `${label}${FORMAT}`,
          hideCursor: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { phase: "Warmup", stepSize: "-", acceptProb: "-", divergences: 0 });
    },
    update(_chain, info) {
      bar?.update(info.iteration + 1, fields(info));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** One line per chain, updated as workers report (cli-progress `MultiBar`). */
function multiReporter(numChains: number): ProgressReporter {
  const multi = new cliProgress.MultiBar({ format: `Chain {chain} ${FORMAT}`, hideCursor: true, fps: 10 }, cliProgress.Presets.shades_classic);
  const bars = new Map<number, cliProgress.SingleBar>();
  let running = 0;
  return {
    start(chain, total) {
      running++;
      bars.set(chain, multi.create(total, 0, { chain: `${chain + 1}/${numChains}`, phase: "Warmup", stepSize: "-", acceptProb: "-", divergences: 0 }));
    },
    update(chain, info) {
      bars.get(chain)?.update(info.iteration + 1, fields(info));
    },
    stop() {
      running--;
      if (running <= 0) multi.stop();
    },
  };
}
