/**
 * The entry point of an MCMC worker thread (started by `worker-pool.ts`;
 * not for direct use). It registers the standard backends and waits for
 * jobs; for each it imports the module that exports the model (or kernel),
 * rebuilds the arguments with its backend, runs its chains with
 * `runChainsSync` — the code the main thread runs for sequential chains,
 * with the same keys — and posts each chain's result on the job's port.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { parentPort, type TransferListItem } from "node:worker_threads";
import "../../dispatch/standard-backends.js";
import type { AnyModel } from "../../program/gen.js";
import type { IterationInfo } from "./chain.js";
import type { MCMCKernel } from "./api.js";
import { kernelFromSpec, MCMCOptionError } from "./kernels.js";
import { runtimeNamed } from "./module.js";
import { describeLayout, makePlan, PlanCache, type ChainOptions } from "./run-plan.js";
import { runChainsSync } from "./sequential.js";
import { decodeValue, disposeValue, serializeError, type WorkerInput, type WorkerMessage } from "./worker-protocol.js";

/** Posts `msg` on `input`'s port and wakes the main thread if it is blocked waiting. */
function post(input: WorkerInput, msg: WorkerMessage, transfer: TransferListItem[] = []): void {
  input.port.postMessage(msg, transfer);
  Atomics.add(input.signal, 0, 1);
  Atomics.notify(input.signal, 0);
}

/** Whether `u` looks like an MCMC kernel. */
function isKernel(u: unknown): u is MCMCKernel {
  return typeof u === "object" && u !== null && typeof (u as MCMCKernel).transition === "function";
}

/** Imports the exported model or kernel and makes the kernel to run. */
async function loadKernel(input: WorkerInput): Promise<MCMCKernel> {
  const { ref, spec } = input;
  const url = /^[a-z][a-z0-9+.-]*:/i.test(ref.module) ? ref.module : pathToFileURL(ref.module).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const exported = mod[ref.export];
  const where = `workerModule { module: ${JSON.stringify(ref.module)}, export: ${JSON.stringify(ref.export)} }`;
  if (isKernel(exported)) {
    if (exported.name !== input.kernelName) {
      throw new MCMCOptionError("infer.MCMC", "workerModule", `a ${input.kernelName} kernel or its model (${where} is a ${exported.name} kernel)`, exported);
    }
    return exported;
  }
  if (typeof exported !== "function") {
    throw new MCMCOptionError("infer.MCMC", "workerModule", `a reference to an exported model or kernel (${where} is not one)`, exported);
  }
  if (spec === undefined || spec.customInitStrategy) {
    throw new MCMCOptionError("infer.MCMC", "workerModule", `a reference to the kernel itself (a custom ${input.kernelName} kernel cannot be rebuilt from its model)`, ref);
  }
  return kernelFromSpec(exported as AnyModel, spec);
}

/** Runs one job. */
async function run(input: WorkerInput): Promise<void> {
  const rt = runtimeNamed(input.alias);
  if (rt === undefined) {
    throw new MCMCOptionError("infer.MCMC", "chainMethod", `"sequential" for backend "${input.alias}" (worker threads only know backends registered when the library and the worker module load)`, "parallel");
  }
  const kernel = await loadKernel(input);
  rt.settings.validateArgs = input.validateArgs;
  // The worker is reused: each job starts from the main thread's params, or none.
  rt.paramStore.clear();
  if (input.paramState !== undefined) rt.paramStore.setState(input.paramState);
  const args = decodeValue(rt.ops, input.args) as unknown[];
  const initParams = input.opts.initParams === undefined ? undefined : (decodeValue(rt.ops, input.opts.initParams) as ChainOptions["initParams"]);
  try {
    runJob(input, kernel, args, { ...input.opts, initParams });
  } finally {
    // Pooled workers run many jobs: free this job's tensors and params.
    disposeValue(rt.ops, args);
    disposeValue(rt.ops, initParams);
    rt.paramStore.clear();
  }
}

/** Runs the job's chains, posting the layout, progress and each chain's result. */
function runJob(input: WorkerInput, kernel: MCMCKernel, args: unknown[], opts: ChainOptions): void {
  const rt = runtimeNamed(input.alias)!;
  const layout = rt.ops.tidy(() => describeLayout(makePlan(rt, kernel, args, input.runKey).layout));
  post(input, { type: "layout", layout });
  let last = 0;
  const cache = new PlanCache();
  for (const c of input.chains) {
    const [result] = runChainsSync(
      { rt, kernel, args, opts, runKey: input.runKey, chains: [c], cache },
      {
        what: "infer.MCMC.run",
        onStart: (chain, total) => {
          if (input.progress) post(input, { type: "start", chain, total });
        },
        onIteration: (chain: number, info: IterationInfo) => {
          const now = performance.now();
          if (!input.progress || (now - last < 100 && info.iteration + 1 < opts.warmupSteps + opts.numSamples)) return;
          last = now;
          post(input, { type: "progress", chain, info });
        },
      },
    );
    post(input, { type: "chain", chain: c, result: result! }, [result!.samples.buffer as ArrayBuffer]);
  }
}

// Jobs arrive one at a time (the pool gives a busy worker no other job).
parentPort?.on("message", (msg: { type: "job"; job: WorkerInput }) => {
  if (msg.type !== "job") return;
  // The main thread closes the job's channel once it has read everything (closing here could drop queued messages).
  run(msg.job).catch((e: unknown) => post(msg.job, { type: "error", error: serializeError(e) }));
});
