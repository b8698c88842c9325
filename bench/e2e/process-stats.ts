/** What a bot process reports about itself: CPU time, event-loop use, memory now and at peak. */

import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { dirname } from "node:path";
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";
import { sendReady, serve } from "../ipc.ts";

export interface ProcessSnapshot {
  timeMs: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  eluIdleMs: number;
  eluActiveMs: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers, ArrayBuffers). */
  externalMb: number;
  /** Highest RSS sampled (every 100 ms) since the last mark. */
  peakRssMb: number;
  /** Garbage-collection pauses since the last mark. */
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** Event-loop delay since the last mark (ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export class ProcessStats {
  private peakRss = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;
  private gc = { count: 0, totalMs: 0, maxMs: 0 };
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });

  constructor() {
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    }, 100);
    this.timer.unref();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.gc.count++;
        this.gc.totalMs += entry.duration;
        this.gc.maxMs = Math.max(this.gc.maxMs, entry.duration);
      }
    }).observe({ entryTypes: ["gc"] });
    this.loopDelay.enable();
  }

  snapshot(): ProcessSnapshot {
    const memory = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, memory.rss);
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    return {
      timeMs: performance.now(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      eluIdleMs: elu.idle,
      eluActiveMs: elu.active,
      rssMb: memory.rss / 2 ** 20,
      heapUsedMb: memory.heapUsed / 2 ** 20,
      heapTotalMb: memory.heapTotal / 2 ** 20,
      externalMb: memory.external / 2 ** 20,
      peakRssMb: this.peakRss / 2 ** 20,
      gcCount: this.gc.count,
      gcTotalMs: this.gc.totalMs,
      gcMaxMs: this.gc.maxMs,
      loopDelayP99Ms: this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e6 : 0,
      loopDelayMaxMs: this.loopDelay.count > 0 ? this.loopDelay.max / 1e6 : 0,
    };
  }

  /** Starts a new peak window. */
  mark(): ProcessSnapshot {
    this.peakRss = process.memoryUsage.rss();
    this.gc = { count: 0, totalMs: 0, maxMs: 0 };
    this.loopDelay.reset();
    return this.snapshot();
  }

  /** Full GC (needs --expose-gc), then a snapshot. */
  collect(): ProcessSnapshot {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    return this.snapshot();
  }
}

export interface UsageBetween {
  cpuPct: number;
  eventLoopPct: number;
}

export function usageBetween(before: ProcessSnapshot, after: ProcessSnapshot): UsageBetween {
  const wallUs = (after.timeMs - before.timeMs) * 1000;
  const cpuUs = after.cpuUserUs - before.cpuUserUs + (after.cpuSystemUs - before.cpuSystemUs);
  const active = after.eluActiveMs - before.eluActiveMs;
  const idle = after.eluIdleMs - before.eluIdleMs;
  return {
    cpuPct: wallUs > 0 ? (100 * cpuUs) / wallUs : Number.NaN,
    eventLoopPct: active + idle > 0 ? (100 * active) / (active + idle) : Number.NaN,
  };
}

/**
 * A CPU profile of part of the process's life (the bench profiles each measured step on its own,
 * without start-up or warm-up), through the inspector: what `--cpu-prof` writes, for a window.
 */
class StepProfiler {
  private session: Session | null = null;

  async start(intervalUs: number): Promise<void> {
    if (this.session) return;
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) =>
      new Promise<void>((resolve, reject) =>
        session.post(method, params ?? {}, (error) => (error ? reject(error) : resolve())),
      );
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: intervalUs });
    await post("Profiler.start");
    this.session = session;
  }

  async stop(file: string): Promise<{ file: string }> {
    const session = this.session;
    if (!session) throw new Error("no profile running");
    this.session = null;
    const profile = await new Promise<object>((resolve, reject) =>
      session.post("Profiler.stop", (error, result) => (error ? reject(error) : resolve(result.profile))),
    );
    session.disconnect();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  }
}

/**
 * What each bot child does once it is up: answer the driver's stats, mark and collect requests over
 * IPC, profile a window when asked, run `stop` when told to, and say it is ready (with `extra`, such
 * as the endpoint's URL).
 */
export async function serveBotProcess(stop: () => Promise<void>, extra: Record<string, unknown> = {}): Promise<void> {
  const stats = new ProcessStats();
  const profiler = new StepProfiler();
  serve({
    stats: () => stats.snapshot(),
    mark: () => stats.mark(),
    collect: () => stats.collect(),
    "profile-start": (payload) => profiler.start((payload as { intervalUs?: number }).intervalUs ?? 250),
    "profile-stop": (payload) => profiler.stop((payload as { file: string }).file),
    stop: async () => {
      await stop();
      return {};
    },
  });
  await sendReady({ ...stats.snapshot(), ...extra });
}
