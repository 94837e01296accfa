/**
 * Parallel chains on worker threads vs chains in this thread: NUTS on a
 * logistic regression, wall time of 1 chain, 2 chains on 2 workers
 * (`chainMethod: "parallel"`, worker start-up included) and 2 chains one
 * after the other; and a check that parallel draws are bit-identical to
 * sequential ones.
 *
 * Each configuration runs `repeats` times, interleaved, and the minimum and
 * median wall times are reported (the machine may be shared: the minimum is
 * the least disturbed run).
 *
 *     node --import tsx bench/long-run/parallel-chains.ts [backend=numpy] [n=3000] [warmup=500] [samples=500] [repeats=3]
 *
 * @module
 */
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { handlers, infer, ops, pyroBackend, type MCMCOptions } from "../../src/index.js";
import { logisticData, logisticRegression } from "./models.js";

const backend = process.argv[2] ?? "numpy";
const n = Number(process.argv[3] ?? 3000);
const warmupSteps = Number(process.argv[4] ?? 500);
const numSamples = Number(process.argv[5] ?? 500);
const repeats = Number(process.argv[6] ?? 3);
const ref = { module: new URL("./models.ts", import.meta.url).href, export: "logisticRegression" };

/**
 * The machine's parallel ceiling right now: wall time of a pure-JS loop on 2
 * worker threads over that on 1 (2.0 means a second core is free for the
 * whole run; a shared machine gives less).
 */
async function ceiling(): Promise<number> {
  const loop = `let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i * 1.0000001) % 1e9; require("node:worker_threads").parentPort.postMessage(x);`;
  const run = (n: number) =>
    new Promise<number>((resolve) => {
      const start = performance.now();
      let done = 0;
      for (let k = 0; k < n; k++) {
        const w = new Worker(loop, { eval: true });
        w.on("message", () => {
          void w.terminate();
          if (++done === n) resolve((performance.now() - start) / 1000);
        });
      }
    });
  const one = await run(1);
  const two = await run(2);
  return two / one;
}

console.log(`parallel ceiling before (pure-JS loop, 2 threads / 1 thread): ${(await ceiling()).toFixed(2)}×`);
pyroBackend(backend, () => {
  const data = logisticData(n, 5);
  const x = ops.tensor(data.x);
  const y = ops.tensor(data.y);
  const time = (label: string, o: Partial<MCMCOptions>) => {
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const mcmc = handlers.seed(1, () => {
      const m = new infer.MCMC(new infer.NUTS(logisticRegression), { numSamples, warmupSteps, progressBar: false, ...o });
      m.run(x, y);
      return m;
    });
    const seconds = (performance.now() - start) / 1000;
    // process.cpuUsage counts every thread of the process, workers included.
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const steps = mcmc.diagnostics().chains.map((c) => c.numSteps);
    console.log(
      `${label.padEnd(38)} ${seconds.toFixed(2).padStart(7)} s wall, ${cpuSeconds.toFixed(2).padStart(7)} s CPU ` +
        `(${(cpuSeconds / seconds).toFixed(2)} cores busy)   leapfrog steps per chain: ${steps.join(", ")}`,
    );
    return { seconds, draws: Array.from(ops.toFlat(mcmc.getSamples(true).w!)) };
  };
  console.log(
    `NUTS, logistic regression (N=${n}, D=5) on ${backend}: ${warmupSteps} warmup + ${numSamples} samples per chain; ` +
      `${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const configs = [
    { label: "1 chain (this thread)", o: { numChains: 1 } },
    { label: "2 chains, parallel (2 workers)", o: { numChains: 2, chainMethod: "parallel", workerModule: ref } },
    { label: "2 chains, sequential (this thread)", o: { numChains: 2 } },
  ] as const;
  const times: number[][] = configs.map(() => []);
  const draws: number[][] = [];
  for (let r = 0; r < repeats; r++) {
    configs.forEach((c, i) => {
      const result = time(`${c.label} #${r + 1}`, c.o);
      times[i]!.push(result.seconds);
      if (r === 0) draws[i] = result.draws;
    });
  }
  const min = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  configs.forEach((c, i) => console.log(`${c.label.padEnd(38)} min ${min(times[i]!).toFixed(2)} s, median ${median(times[i]!).toFixed(2)} s`));
  const [one, par, seq] = times.map(min) as [number, number, number];
  console.log(`parallel 2 chains / 1 chain (min): ${(par / one).toFixed(2)}×   sequential 2 chains / parallel 2 chains (min): ${(seq / par).toFixed(2)}× speed-up`);
  const same = draws[1]!.length === draws[2]!.length && draws[1]!.every((v, i) => Object.is(v, draws[2]![i]));
  console.log(`parallel draws bit-identical to sequential: ${same}`);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
});
console.log(`parallel ceiling after (pure-JS loop, 2 threads / 1 thread): ${(await ceiling()).toFixed(2)}×`);
