/**
 * The MCMC worker threads, kept between runs. Starting a worker costs a
 * second or two (it loads the library and the model's module), so workers
 * are started once — when the first parallel `MCMC` is made — and reused
 * by later runs; idle workers are `unref`'d and never keep the process
 * alive. A run takes workers from the pool, sends each a job on a fresh
 * `MessageChannel`, and gives them back when its chains are done; a worker
 * that is terminated (an aborted run) or dies is replaced on demand.
 *
 * @module
 */
import { Worker, type MessagePort } from "node:worker_threads";
import type { WorkerInput } from "./worker-protocol.js";

/** A job as the pool sends it: the input, its reply port and the wake-up signal. */
export type WorkerJob = WorkerInput;

/** How to start a worker: the compiled `worker.js`, or `worker.ts` under tsx (registered inside the worker). */
function startWorker(): Worker {
  const options = { execArgv: [] as string[] };
  if (import.meta.url.endsWith(".ts")) {
    const entry = new URL("./worker.ts", import.meta.url).href;
    const tsx = import.meta.resolve("tsx/esm/api");
    const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(new URL("./worker.js", import.meta.url), options);
}

const idle: Worker[] = [];
const alive = new Set<Worker>();

/** Starts a worker, tracked by the pool until it exits. */
function spawnWorker(): Worker {
  const w = startWorker();
  alive.add(w);
  w.unref();
  w.on("error", () => undefined); // Reported to the run that uses it (see `parallel.ts`); an idle worker's error only removes it.
  w.on("exit", () => {
    alive.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  });
  return w;
}

/** Starts idle workers until `n` exist (so they load while the caller does other work). */
export function prewarm(n: number): void {
  while (alive.size < n) idle.push(spawnWorker());
}

/** Takes `n` workers (idle ones first, new ones for the rest), referenced while in use. */
export function acquire(n: number): Worker[] {
  const out: Worker[] = [];
  while (out.length < n) out.push(idle.pop() ?? spawnWorker());
  for (const w of out) w.ref();
  return out;
}

/** Gives workers back to the pool (idle, unreferenced); workers that exited are dropped. */
export function release(workers: readonly Worker[]): void {
  for (const w of workers) {
    if (!alive.has(w)) continue;
    w.unref();
    w.removeAllListeners("message");
    idle.push(w);
  }
}

/** Terminates workers (an aborted run: their chains cannot be interrupted otherwise). */
export function discard(workers: readonly Worker[]): void {
  for (const w of workers) {
    alive.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    void w.terminate();
  }
}

/** Sends `job` to `worker`; its messages arrive on `job.port`'s other end. */
export function send(worker: Worker, job: WorkerJob): void {
  worker.postMessage({ type: "job", job }, [job.port as MessagePort]);
}

/** Terminates every worker of the pool (e.g. before a clean shutdown); later runs start new ones. */
export async function shutdownWorkers(): Promise<void> {
  const all = [...alive];
  idle.length = 0;
  alive.clear();
  await Promise.all(all.map((w) => w.terminate()));
}

/** The number of workers the pool holds (idle or in use). */
export function poolSize(): number {
  return alive.size;
}
