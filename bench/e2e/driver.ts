/**
 * Parent side of the end-to-end run for one subject: start the fake and the bot in their own
 * processes, warm up, run the open-loop steps, read the bot's CPU and memory around each step,
 * then let it idle and read its memory again. Both processes are stopped at the end, whatever happens.
 *
 * Subjects: Stackbot over the gateway, Stackbot over HTTP (GATEWAY=off, its Interactions Endpoint on
 * 127.0.0.1; the fake POSTs pre-signed interactions and takes the HTTP response as the answer), and
 * the minimal discord.js bot. The bots run compiled (see build.ts): Stackbot as `npm start` runs it
 * (node --enable-source-maps), the minimal bot as plain `node`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Child } from "../child.ts";
import type { Budget } from "../config.ts";
import { systemBusyPct, systemCpu, waitForQuiet } from "../machine.ts";
import type { BotBuild } from "./build.ts";
import type { StepResult } from "./fake-server.ts";
import type { ProcessSnapshot } from "./process-stats.ts";
import { usageBetween } from "./process-stats.ts";

export const E2E_SUBJECTS = ["stackbot", "stackbot-http", "minimal"] as const;
export type E2eSubject = (typeof E2E_SUBJECTS)[number];

interface SubjectSpec {
  entry: "bot-process" | "minimal-bot";
  transport: "gateway" | "http";
  nodeFlags: string[];
  runAs: string;
}

/** The node flags `npm start` runs the bot with (package.json's start script), so the bench measures the same. */
const START_FLAGS: string[] = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

const SUBJECTS: Record<E2eSubject, SubjectSpec> = {
  stackbot: {
    entry: "bot-process",
    transport: "gateway",
    nodeFlags: START_FLAGS,
    runAs: `compiled JS, node ${START_FLAGS.join(" ")} (as npm start)`,
  },
  "stackbot-http": {
    entry: "bot-process",
    transport: "http",
    nodeFlags: START_FLAGS,
    runAs: `compiled JS, node ${START_FLAGS.join(" ")} (as npm start), GATEWAY=off`,
  },
  minimal: { entry: "minimal-bot", transport: "gateway", nodeFlags: [], runAs: "compiled JS, plain node" },
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
  bot: E2eSubject;
  transport: "gateway" | "http";
  /** How the bot process was started (what its memory and CPU figures are of). */
  runAs: string;
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
  build: BotBuild;
  /** Extra node flags for Stackbot (not the minimal bot). */
  botFlags?: readonly string[];
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
  return step.lost + step.errors > step.offered * 0.01 || step.latency.p99 > 2000;
}

export async function runE2e(
  kind: E2eSubject,
  { budget, build, botFlags = [], profileDir, log }: E2eOptions,
): Promise<E2eRun> {
  const spec = SUBJECTS[kind];
  const quiet = await waitForQuiet();
  log(
    `  ${kind}: machine ${quiet.quiet ? "quiet" : "still busy"} (${quiet.busyPct.toFixed(0)}% CPU) after ${(quiet.waitedMs / 1000).toFixed(0)} s`,
  );
  const fake = new Child("fake-discord", "./e2e/fake-server.ts", { nodeFlags: FAKE_NODE_FLAGS });
  let bot: Child | undefined;
  try {
    const { apiBase, publicKeyHex } = await fake.waitFor<{ apiBase: string; publicKeyHex: string }>("ready", 60_000);
    bot = new Child(kind, build.entry(spec.entry), {
      loader: "none",
      env: {
        DISCORD_API_BASE: apiBase,
        LOG_LEVEL: "silent",
        BENCH_TRANSPORT: spec.transport,
        ...(spec.transport === "http" ? { BENCH_PUBLIC_KEY: publicKeyHex } : {}),
      },
      nodeFlags: [...spec.nodeFlags, ...(spec.entry === "bot-process" ? botFlags : []), "--expose-gc"],
    });
    const ready = await bot.waitFor<ProcessSnapshot & { endpoint?: string }>("ready", 60_000);
    if (spec.transport === "http" && !ready.endpoint)
      throw new Error(`${kind}: the bot reported no interactions endpoint`);
    await fake.request("transport", { endpoint: spec.transport === "http" ? ready.endpoint : null });
    // Idle: after start-up garbage is collected and V8 has had time to give the pages back.
    await sleep(2000);
    await bot.request<ProcessSnapshot>("collect");
    await sleep(3000);
    const idle = await bot.request<ProcessSnapshot>("collect");

    const step = async (rate: number, durationMs: number, rerun = false, label?: string): Promise<E2eStep> => {
      await fake.request("prepare", { rate, durationMs, graceMs: budget.e2eGraceMs }, 120_000);
      // --profile: the bot's CPU profile of this step alone (no start-up, no warm-up), one file per step.
      const profile = profileDir && label ? join(profileDir, `${kind}-${label}.cpuprofile`) : null;
      if (profile) await bot!.request("profile-start", { intervalUs: 250 });
      const before = await bot!.request<ProcessSnapshot>("mark");
      const systemBefore = systemCpu();
      const result = await fake.request<StepResult>("run", {}, durationMs + budget.e2eGraceMs + 60_000);
      const after = await bot!.request<ProcessSnapshot>("stats");
      if (profile) await bot!.request("profile-stop", { file: profile });
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
      let result = await step(rate, budget.e2eStepMs, false, `${rate}`);
      for (let attempt = 1; attempt < 3 && result.othersCpuPct > OTHERS_LIMIT; attempt++) {
        log(
          `  ${kind}: ${rate}/s contended (other jobs ${result.othersCpuPct.toFixed(0)}% CPU); waiting for quiet and running it again`,
        );
        await waitForQuiet();
        result = await step(rate, budget.e2eStepMs, true, `${rate}-rerun${attempt}`);
      }
      steps.push(result);
      log(
        `  ${kind}: ${rate}/s -> served ${result.servedRate.toFixed(0)}/s, p50 ${result.latency.median.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, lost ${result.lost}, errors ${result.errors}, bot CPU ${result.botCpuPct.toFixed(0)}%, RSS ${result.botPeakRssMb.toFixed(0)} MB`,
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
      transport: spec.transport,
      runAs: `${spec.runAs}${spec.entry === "bot-process" && botFlags.length > 0 ? `, ${botFlags.join(" ")}` : ""}`,
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
