/**
 * Parallel chains on `worker_threads`. Workers cannot receive closures, so
 * each worker imports the model from a module reference
 * (`{ module: import.meta.url, export: "model" }`), rebuilds the kernel from
 * its plain-data spec, gets the arguments as data and the run key, and runs
 * its chains with the sequential driver: the draws are bit-identical to a
 * sequential run with the same seed.
 *
 * `runParallelSync` keeps `mcmc.run` synchronous: the main thread blocks on
 * `Atomics.wait` and reads the workers' messages with
 * `receiveMessageOnPort`. `runParallelAsync` awaits them, leaving the event
 * loop free, and terminates the workers when the signal aborts.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from "node:worker_threads";
import type { ModuleRef } from "../../codecs/inference-options.js";
import { DecodeError } from "../../codecs/report.js";
import { NotImplementedError } from "../../backends/not-implemented.js";
import { DistributionArgumentError, DistributionValueError } from "../../distributions/errors.js";
import { ObservationShapeError } from "../../handlers/interpreter.js";
import { PlateShapeError } from "../../handlers/plate.js";
import { DuplicateSiteError, NonFiniteLogProbError } from "../../handlers/trace-record.js";
import { ParamNotFoundError } from "../../params/param-store.js";
import { PrimitiveArgumentError } from "../../primitives/validate.js";
import { DiscreteLatentError } from "../latents.js";
import { InferenceAbortedError, throwIfAborted } from "./abort.js";
import type { ChainResult } from "./chain.js";
import { MCMCInitializationError } from "./initial-point.js";
import { MCMCOptionError } from "./kernels.js";
import { MassMatrixError } from "./mass-matrix.js";
import { runtimeNamed } from "./module.js";
import type { ChainJob, DriverHooks } from "./sequential.js";
import { acquire, discard, release, send } from "./worker-pool.js";
import { encodeValue, registerErrorClass, reviveError, type WorkerMessage } from "./worker-protocol.js";

for (const cls of [
  MCMCInitializationError, MCMCOptionError, MassMatrixError, DiscreteLatentError, DistributionArgumentError,
  DistributionValueError, NonFiniteLogProbError, DuplicateSiteError, ObservationShapeError, PlateShapeError,
  ParamNotFoundError, PrimitiveArgumentError, NotImplementedError, DecodeError,
]) {
  registerErrorClass(cls.name, cls);
}

/** The error thrown when a worker thread stops before its chains finish (e.g. it ran out of memory). */
export class MCMCWorkerError extends Error {
  /** Makes the error for a worker that exited with `code`. */
  constructor(
    /** The worker's exit code. */
    readonly code: number,
  ) {
    super(`infer.MCMC: a worker thread exited (code ${code}) before its chains finished`);
    this.name = "MCMCWorkerError";
  }
}

/** A parallel run: the chain job plus where workers find the model. */
export interface ParallelJob extends Omit<ChainJob, "chains"> {
  /** The module reference to the model or kernel. */
  readonly ref: ModuleRef;
  /** The number of workers (at most the number of chains). */
  readonly numWorkers: number;
  /** The main thread's layout description, which each worker's must equal. */
  readonly layout: string;
}

/** The default number of workers for `numChains` chains: one per chain, at most one per core. */
export function defaultWorkers(numChains: number): number {
  return Math.max(1, Math.min(numChains, availableParallelism()));
}

/** A parallel run in progress: its workers, their ports and chains, and what has arrived. */
class Run {
  readonly results: (ChainResult | undefined)[];
  /** Whether each worker's job has ended (all its chains arrived, or it reported an error). */
  readonly ended: boolean[];
  completed = 0;
  private remaining: number;

  constructor(
    private readonly job: ParallelJob,
    private readonly hooks: DriverHooks,
    readonly workers: readonly Worker[],
    readonly ports: readonly MessagePort[],
    readonly assigned: readonly (readonly number[])[],
    readonly signal: Int32Array,
  ) {
    this.results = new Array<ChainResult | undefined>(job.opts.numChains).fill(undefined);
    this.remaining = job.opts.numChains;
    this.ended = workers.map(() => false);
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  /** Handles message `msg` from worker `w`; throws the worker's error, or a layout mismatch. */
  handle(msg: WorkerMessage, w: number): void {
    switch (msg.type) {
      case "layout":
        if (msg.layout !== this.job.layout) {
          throw new MCMCOptionError(
            "infer.MCMC",
            "workerModule",
            `a reference to the kernel's own model (the worker's model has latent sites ${msg.layout}; the kernel's has ${this.job.layout})`,
            this.job.ref,
          );
        }
        return;
      case "start":
        this.hooks.onStart?.(msg.chain, msg.total);
        return;
      case "progress":
        this.hooks.onIteration?.(msg.chain, msg.info);
        return;
      case "chain":
        this.results[msg.chain] = msg.result;
        this.completed += this.job.opts.warmupSteps + this.job.opts.numSamples;
        this.remaining--;
        if (this.assigned[w]!.every((c) => this.results[c] !== undefined)) this.ended[w] = true;
        this.hooks.onStop?.(msg.chain);
        return;
      case "error":
        this.ended[w] = true;
        throw reviveError(msg.error);
    }
  }

  /** Handles every message queued on worker `w`'s port; whether there was one. */
  drain(w: number): boolean {
    let got = false;
    const port = this.ports[w]!;
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      got = true;
      this.handle(m.message as WorkerMessage, w);
    }
    return got;
  }

  /** Closes the ports; workers whose job ended go back to the pool, the others (still sampling) are terminated. */
  close(): void {
    for (const p of this.ports) p.close();
    release(this.workers.filter((_, w) => this.ended[w]));
    discard(this.workers.filter((_, w) => !this.ended[w]));
  }
}

/** Sends the run's jobs to workers from the pool, chains dealt round-robin. */
function start(job: ParallelJob, hooks: DriverHooks): Run {
  const { rt, kernel, opts } = job;
  if (runtimeNamed(rt.name) !== rt) {
    throw new MCMCOptionError("infer.MCMC", "chainMethod", `"sequential" (backend "${rt.name}" is not a standard backend workers can rebuild)`, "parallel");
  }
  const args = encodeValue(rt.ops, [...job.args], "args");
  const initParams = opts.initParams === undefined ? undefined : encodeValue(rt.ops, opts.initParams, "initParams");
  const paramState = rt.paramStore.size > 0 ? rt.paramStore.getState() : undefined;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const n = Math.min(job.numWorkers, opts.numChains);
  const workers = acquire(n);
  const ports: MessagePort[] = [];
  const assigned: number[][] = [];
  workers.forEach((worker, w) => {
    const chains = Array.from({ length: opts.numChains }, (_, c) => c).filter((c) => c % n === w);
    assigned.push(chains);
    const { port1, port2 } = new MessageChannel();
    send(worker, {
      alias: rt.name,
      ref: job.ref,
      spec: kernel.spec?.(),
      kernelName: kernel.name,
      args,
      opts: { ...opts, initParams: initParams as typeof opts.initParams },
      validateArgs: rt.settings.validateArgs,
      paramState,
      runKey: job.runKey,
      chains,
      progress: hooks.onIteration !== undefined,
      port: port2,
      signal,
    });
    ports.push(port1);
  });
  return new Run(job, hooks, workers, ports, assigned, signal);
}

/**
 * Runs the chains on workers, blocking this thread until they finish (for
 * the synchronous `mcmc.run`). A worker that dies without reporting (e.g.
 * out of memory) cannot be noticed while this thread blocks; use `runAsync`
 * where that matters.
 */
export function runParallelSync(job: ParallelJob, hooks: DriverHooks): ChainResult[] {
  throwIfAborted(hooks.signal, hooks.what, 0);
  const run = start(job, hooks);
  try {
    while (!run.done) {
      const seen = Atomics.load(run.signal, 0);
      let got = false;
      run.workers.forEach((_, w) => {
        if (run.drain(w)) got = true;
      });
      throwIfAborted(hooks.signal, hooks.what, run.completed);
      if (!got && !run.done) Atomics.wait(run.signal, 0, seen, 1000);
    }
  } finally {
    run.close();
  }
  return run.results as ChainResult[];
}

/** Runs the chains on workers while the event loop stays free; an abort terminates the workers. */
export function runParallelAsync(job: ParallelJob, hooks: DriverHooks): Promise<ChainResult[]> {
  throwIfAborted(hooks.signal, hooks.what, 0);
  const run = start(job, hooks);
  return new Promise<ChainResult[]>((resolve, reject) => {
    let settled = false;
    const detach: (() => void)[] = [];
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener("abort", onAbort);
      for (const d of detach) d();
      run.close();
      if (error === undefined) resolve(run.results as ChainResult[]);
      else reject(error);
    };
    const onAbort = (): void => finish(new InferenceAbortedError(hooks.what, run.completed, hooks.signal?.reason));
    hooks.signal?.addEventListener("abort", onAbort, { once: true });
    run.ports.forEach((port, w) =>
      port.on("message", (msg: WorkerMessage) => {
        try {
          run.handle(msg, w);
          if (run.done) finish();
        } catch (e) {
          finish(e);
        }
      }),
    );
    run.workers.forEach((worker, w) => {
      const onError = (e: Error): void => finish(e);
      const onExit = (code: number): void => {
        // The exit may overtake the worker's last messages: read what is queued first.
        try {
          run.drain(w);
        } catch (e) {
          finish(e);
          return;
        }
        if (run.done) finish();
        else if (!run.ended[w]) finish(new MCMCWorkerError(code));
      };
      worker.on("error", onError);
      worker.on("exit", onExit);
      detach.push(() => worker.off("error", onError).off("exit", onExit));
    });
  });
}
