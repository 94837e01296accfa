/**
 * A contender's child process: sets the contender up when asked, runs timed
 * rounds on request, and finally checks the answer and reports memory. See
 * harness.ts for why each contender has a process of its own.
 */
import { errorLine, type ChildReply, type ParentMessage } from "./protocol.js";
import type { Factory, Figures, LiveMemory, Timed } from "./harness.js";

let idleRss = process.memoryUsage().rss;
let timed: Timed | undefined;
let memory = false;

function reply(r: ChildReply): void {
  process.send!(r);
}

/**
 * Live memory after full collections: V8 heap in use plus external
 * (ArrayBuffer) memory. Collected three times with event-loop turns between:
 * ArrayBuffer backing stores are released after the collection that finds
 * them dead, so a single `gc()` can still count the last step's temporaries.
 */
async function liveBytes(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("memory mode needs --expose-gc");
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  await new Promise((r) => setTimeout(r, 10));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Live memory before and after `steps` untimed repetitions (see `MeasureOptions.memory`). */
async function memoryRun(t: Timed, steps: number): Promise<LiveMemory> {
  const before = await liveBytes();
  const objectsBefore = t.liveObjects?.();
  for (let i = 0; i < steps; i++) await t.run();
  const after = await liveBytes();
  const objectsAfter = t.liveObjects?.();
  const objects = objectsBefore === undefined || objectsAfter === undefined ? {} : { objects: [objectsBefore, objectsAfter] as const };
  return { steps, before, after, ...objects };
}

async function round(t: Timed, inner: number, minMs: number, maxInner: number): Promise<ChildReply> {
  let total = 0;
  let completed = 0;
  const figures: Figures[] = [];
  const wrongs: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < inner || (total < minMs && i < maxInner); i++) {
    try {
      const start = performance.now();
      const out = await t.run();
      total += performance.now() - start;
      completed++;
      if (out?.figures !== undefined) figures.push(out.figures);
      if (out?.wrong !== undefined) wrongs.push(out.wrong);
    } catch (e) {
      errors.push(errorLine(e));
    }
  }
  return { type: "round", msPerRep: completed > 0 ? total / completed : NaN, completed, figures, wrongs, errors };
}

process.on("message", (msg: ParentMessage) => {
  void (async () => {
    try {
      if (msg.type === "setup") {
        memory = msg.memory;
        const mod = (await import(msg.module)) as { factories?: Record<string, Factory> };
        idleRss = process.memoryUsage().rss;
        const factory = mod.factories?.[msg.factory];
        if (factory === undefined) throw new Error(`${msg.module} has no factory "${msg.factory}"`);
        timed = await (factory as (p: unknown) => Timed | Promise<Timed>)(msg.params);
        const warmupErrors: string[] = [];
        for (let i = 0; i < msg.warmup; i++) {
          try {
            await timed.run();
          } catch (e) {
            warmupErrors.push(errorLine(e));
          }
        }
        reply({ type: "ready", warmupErrors });
      } else if (msg.type === "round") {
        reply(await round(timed!, msg.inner, msg.minMs, msg.maxInner));
      } else {
        const live = memory && msg.memorySteps > 0 ? await memoryRun(timed!, msg.memorySteps) : undefined;
        const wrong = await timed!.check?.();
        const extra = timed!.extra?.() ?? {};
        const peakRss = process.resourceUsage().maxRSS * 1024;
        reply({ type: "finished", ...(wrong === undefined ? {} : { wrong }), extra, memory: { idleRss, peakRss, ...(live === undefined ? {} : { live }) } });
      }
    } catch (e) {
      reply({ type: "error", message: errorLine(e) });
    }
  })();
});
