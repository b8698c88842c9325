/**
 * Parent side of the end-to-end run for one bot: start the fake and the bot in their own
 * processes, warm up, run the open-loop steps, read the bot's CPU and memory around each step,
 * then let it idle and read its memory again. Both processes are stopped at the end, whatever happens.
 */
import { Child } from "../child.ts";
import type { Budget } from "../config.ts";
import { systemBusyPct, systemCpu, waitForQuiet } from "../machine.ts";
import type { StepResult } from "./fake-server.ts";
import type { ProcessSnapshot } from "./process-stats.ts";
import { usageBetween } from "./process-stats.ts";

export type BotKind = "stackbot" | "minimal";

const SCRIPTS: Record<BotKind, string> = {
  stackbot: "./e2e/bot-process.ts",
  minimal: "./e2e/minimal-bot.ts",
};

export interface E2eStep extends StepResult {
  botCpuPct: number;
  botEventLoopPct: number;
  botRssMb: number;
  botPeakRssMb: number;
  botGcMaxMs: number;
  botGcTotalMs: number;
  botLoopDelayP99Ms: number;
  botLoopDelayMaxMs: number;
  /** Machine-wide CPU during the step, in % of one core. */
  systemCpuPct: number;
  /** Machine CPU not used by the bot or the fake (other jobs on the machine), in % of one core. */
  othersCpuPct: number;
  /** The step was run again because other jobs took more than OTHERS_LIMIT of a core the first time. */
  rerun: boolean;
}

export interface E2eRun {
  bot: BotKind;
  idle: { rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number };
  steps: E2eStep[];
  /** Steps not run because an earlier one collapsed. */
  skippedRates: number[];
  afterLoad: {
    waitedMs: number;
    /** Readings (each after a full GC) at these times after the load stopped. */
    series: { afterMs: number; rssMb: number; heapUsedMb: number }[];
    rssMb: number;
    heapUsedMb: number;
    heapTotalMb: number;
    externalMb: number;
    peakRssMb: number;
  };
}

export interface E2eOptions {
  budget: Budget;
  profileDir?: string | undefined;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fake is the instrument: a larger young generation keeps its GC pauses (which count as latency) short. */
const FAKE_NODE_FLAGS = (process.env.BENCH_FAKE_FLAGS ?? "--max-semi-space-size=32").split(" ").filter(Boolean);

/** Other jobs using more than this (% of one core) during a step make it contended: it is run again (3 attempts at most). */
export const OTHERS_LIMIT = 25;

/** A step this bad means the bot is past its knee; higher rates would only pile up a backlog. */
function collapsed(step: StepResult): boolean {
  return step.lost > step.offered * 0.01 || step.latency.p99 > 2000;
}

export async function runE2e(kind: BotKind, { budget, profileDir, log }: E2eOptions): Promise<E2eRun> {
  const quiet = await waitForQuiet();
  log(
    `  ${kind}: machine ${quiet.quiet ? "quiet" : "still busy"} (${quiet.busyPct.toFixed(0)}% CPU) after ${(quiet.waitedMs / 1000).toFixed(0)} s`,
  );
  const fake = new Child("fake-discord", "./e2e/fake-server.ts", { nodeFlags: FAKE_NODE_FLAGS });
  let bot: Child | undefined;
  try {
    const { apiBase } = await fake.waitFor<{ apiBase: string }>("ready", 60_000);
    bot = new Child(kind, SCRIPTS[kind], {
      env: { DISCORD_API_BASE: apiBase, LOG_LEVEL: "silent" },
      nodeFlags: ["--expose-gc", ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])],
    });
    await bot.waitFor<ProcessSnapshot>("ready", 60_000);
    // Idle: after start-up garbage is collected and V8 has had time to give the pages back.
    await sleep(2000);
    await bot.request<ProcessSnapshot>("collect");
    await sleep(3000);
    const idle = await bot.request<ProcessSnapshot>("collect");

    const step = async (rate: number, durationMs: number, rerun = false): Promise<E2eStep> => {
      await fake.request("prepare", { rate, durationMs, graceMs: budget.e2eGraceMs }, 120_000);
      const before = await bot!.request<ProcessSnapshot>("mark");
      const systemBefore = systemCpu();
      const result = await fake.request<StepResult>("run", {}, durationMs + budget.e2eGraceMs + 60_000);
      const after = await bot!.request<ProcessSnapshot>("stats");
      const systemCpuPct = systemBusyPct(systemBefore, systemCpu());
      const usage = usageBetween(before, after);
      return {
        ...result,
        botCpuPct: usage.cpuPct,
        botEventLoopPct: usage.eventLoopPct,
        botRssMb: after.rssMb,
        botPeakRssMb: after.peakRssMb,
        botGcMaxMs: after.gcMaxMs,
        botGcTotalMs: after.gcTotalMs,
        botLoopDelayP99Ms: after.loopDelayP99Ms,
        botLoopDelayMaxMs: after.loopDelayMaxMs,
        systemCpuPct,
        othersCpuPct: Math.max(0, systemCpuPct - usage.cpuPct - result.fakeCpuPct),
        rerun,
      };
    };

    log(`  ${kind}: warm-up ${budget.e2eWarmupRate}/s for ${budget.e2eWarmupMs} ms`);
    await step(budget.e2eWarmupRate, budget.e2eWarmupMs);
    const steps: E2eStep[] = [];
    const skippedRates: number[] = [];
    for (const rate of budget.e2eRates) {
      if (steps.some(collapsed)) {
        skippedRates.push(rate);
        continue;
      }
      await sleep(300);
      let result = await step(rate, budget.e2eStepMs);
      for (let attempt = 1; attempt < 3 && result.othersCpuPct > OTHERS_LIMIT; attempt++) {
        log(
          `  ${kind}: ${rate}/s contended (other jobs ${result.othersCpuPct.toFixed(0)}% CPU); waiting for quiet and running it again`,
        );
        await waitForQuiet();
        result = await step(rate, budget.e2eStepMs, true);
      }
      steps.push(result);
      log(
        `  ${kind}: ${rate}/s -> served ${result.servedRate.toFixed(0)}/s, p50 ${result.latency.median.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, lost ${result.lost}, bot CPU ${result.botCpuPct.toFixed(0)}%, RSS ${result.botPeakRssMb.toFixed(0)} MB`,
      );
    }

    // After the load: a full GC now and then, read at a few points (V8 returns pages some seconds after a GC).
    const series: { afterMs: number; rssMb: number; heapUsedMb: number }[] = [];
    const loadEnded = performance.now();
    let settled = await bot.request<ProcessSnapshot>("stats");
    for (const at of budget.e2eSettleReadMs) {
      await sleep(Math.max(0, at - (performance.now() - loadEnded)));
      settled = await bot.request<ProcessSnapshot>("collect");
      series.push({ afterMs: at, rssMb: settled.rssMb, heapUsedMb: settled.heapUsedMb });
    }
    return {
      bot: kind,
      idle: {
        rssMb: idle.rssMb,
        heapUsedMb: idle.heapUsedMb,
        heapTotalMb: idle.heapTotalMb,
        externalMb: idle.externalMb,
      },
      steps,
      skippedRates,
      afterLoad: {
        waitedMs: budget.e2eSettleReadMs.at(-1) ?? 0,
        series,
        rssMb: settled.rssMb,
        heapUsedMb: settled.heapUsedMb,
        heapTotalMb: settled.heapTotalMb,
        externalMb: settled.externalMb,
        peakRssMb: Math.max(idle.rssMb, ...steps.map((entry) => entry.botPeakRssMb)),
      },
    };
  } finally {
    await bot?.stop(10_000);
    await fake.stop(10_000);
  }
}
