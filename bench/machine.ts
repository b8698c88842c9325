import { cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

export interface CpuTimes {
  busyMs: number;
  totalMs: number;
}

/** Machine-wide CPU time so far, over all cores. */
export function systemCpu(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busyMs: busy, totalMs: total };
}

/** Machine-wide CPU use between two readings, in % of one core (200% = both cores of two busy). */
export function systemBusyPct(before: CpuTimes, after: CpuTimes): number {
  const total = after.totalMs - before.totalMs;
  return total > 0 ? (100 * cpus().length * (after.busyMs - before.busyMs)) / total : Number.NaN;
}

export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/**
 * Waits until the rest of the machine is quiet: machine-wide CPU under `maxBusyPct` (of one core)
 * for two consecutive one-second windows, or gives up after `timeoutMs`. Returns the last reading.
 * Other jobs on a 2-core machine would otherwise show up as the bot's latency.
 */
export async function waitForQuiet(
  maxBusyPct = 25,
  timeoutMs = 90_000,
): Promise<{ busyPct: number; waitedMs: number; quiet: boolean }> {
  const started = performance.now();
  let calm = 0;
  let busy = Number.NaN;
  while (performance.now() - started < timeoutMs) {
    const before = systemCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    busy = systemBusyPct(before, systemCpu());
    calm = busy < maxBusyPct ? calm + 1 : 0;
    if (calm >= 2) return { busyPct: busy, waitedMs: performance.now() - started, quiet: true };
  }
  return { busyPct: busy, waitedMs: performance.now() - started, quiet: false };
}
