/**
 * Benchmark harness: timed runs of several contenders of one case,
 * alternating between them (so drift of a shared machine hits all alike),
 * reported as medians and as ratios against a named peer measured in the
 * same run. A contender whose answer fails its check is reported as wrong,
 * never as a time.
 */

/** One contender of a case: a setup that returns the function to time. */
export interface Contender {
  /** Row label ("numpy", "pyro (tfjs)", "hand-written loop", "WebPPL"). */
  readonly name: string;
  /** Prepares the work once; returns the timed function (one repetition) and a check of the final answer. */
  setup(): Promise<Timed> | Timed;
}

/** A prepared contender. */
export interface Timed {
  /** One repetition of the measured work. */
  run(): Promise<void> | void;
  /** After the runs: undefined when the answer is right, else what is wrong. */
  check?(): string | undefined;
  /** Extra figures to report (e.g. ESS/s). */
  extra?(): Record<string, number>;
}

/** What one case measured for one contender. */
export interface Result {
  readonly case: string;
  readonly contender: string;
  /** Milliseconds per repetition of every run. */
  readonly runs: number[];
  /** The median of `runs`. */
  readonly median: number;
  /** Extra figures. */
  readonly extra: Record<string, number>;
  /** A failed answer check, if any. */
  readonly wrong?: string;
}

/** The median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/**
 * Times `repeats` rounds; each round runs every contender's function `inner`
 * times and records the mean time per call.
 */
export async function measure(caseName: string, contenders: readonly Contender[], repeats: number, inner = 1): Promise<Result[]> {
  const prepared: { name: string; timed?: Timed; error?: string; runs: number[] }[] = [];
  for (const c of contenders) {
    try {
      prepared.push({ name: c.name, timed: await c.setup(), runs: [] });
    } catch (e) {
      prepared.push({ name: c.name, error: (e as Error).message.split("\n")[0], runs: [] });
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (const p of prepared) {
      if (p.timed === undefined) continue;
      const start = performance.now();
      for (let i = 0; i < inner; i++) await p.timed.run();
      p.runs.push((performance.now() - start) / inner);
    }
  }
  return prepared.map((p) => {
    const wrong = p.error ?? p.timed?.check?.();
    return {
      case: caseName,
      contender: p.name,
      runs: p.runs,
      median: p.runs.length > 0 ? median(p.runs) : NaN,
      extra: p.timed?.extra?.() ?? {},
      ...(wrong === undefined ? {} : { wrong }),
    };
  });
}

/** A Markdown table of a case's results with ratios against `peer`. */
export function table(results: readonly Result[], peer: string, unit = "ms", better: "lower" | "higher" = "lower"): string {
  const base = results.find((r) => r.contender === peer);
  const extraKeys = [...new Set(results.flatMap((r) => Object.keys(r.extra)))];
  const head = `| contender | ${unit} (median) | ÷ ${peer} | ${extraKeys.join(" | ")}${extraKeys.length ? " |" : ""}`;
  const sep = `|---|---:|---:|${extraKeys.map(() => "---:|").join("")}`;
  const rows = results.map((r) => {
    if (r.wrong !== undefined) return `| ${r.contender} | WRONG: ${r.wrong} | | ${extraKeys.map(() => "").join(" | ")}`;
    const ratio = base === undefined || base.wrong !== undefined ? "" : (r.median / base.median).toFixed(2) + "×";
    const extras = extraKeys.map((k) => (r.extra[k] === undefined ? "" : fmt(r.extra[k]!))).join(" | ");
    return `| ${r.contender} | ${fmt(r.median)} | ${ratio} | ${extras}${extraKeys.length ? " |" : ""}`;
  });
  void better;
  return [head, sep, ...rows].join("\n");
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : a >= 0.01 ? x.toFixed(4) : x.toExponential(2);
}
