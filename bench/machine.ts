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
