/**
 * Child: the fake Discord (test/fake-discord) on 127.0.0.1, driven over IPC. It holds many users,
 * guilds and channels, and runs the open-loop load itself so that dispatch times are taken where
 * the interaction leaves: "step" pre-builds the interactions, dispatches them on schedule, and
 * reports when each callback arrived (the fake has answered it), its status and what it said.
 * Also "dispatch" (one interaction, wait for its callback), "stats" and "stop".
 */
import type { APIInteraction } from "discord.js";
import {
  FakeDiscord,
  type GatewayFrameRecord,
  ids,
  nextSnowflake,
  type RecordedRequest,
} from "../../test/fake-discord/index.ts";
import { exitWithParent, sendReady, serve } from "../ipc.ts";
import { benchCacheFile, loadKnowledgeWith } from "../knowledge.ts";
import { loadCases } from "../queries.ts";
import { type LatencySummary, summarize } from "../stats.ts";
import { ProcessStats, usageBetween } from "./process-stats.ts";
import { type WorkItem, Workload } from "./workload.ts";

exitWithParent();

const USERS = 3000;
const GUILDS = 10;
const CHANNELS_PER_GUILD = 100;

const guildIds = [ids.guild, ...Array.from({ length: GUILDS - 1 }, () => nextSnowflake())];
const channels = guildIds.flatMap((guildId, g) =>
  Array.from({ length: g === 0 ? CHANNELS_PER_GUILD - 1 : CHANNELS_PER_GUILD }, (_, c) => ({
    id: nextSnowflake(),
    guildId,
    name: `bench-${g}-${c}`,
  })),
);
const channelIds = [ids.textChannel, ...channels.map((channel) => channel.id)];
// Not guild members in the fake's world (so GUILD_CREATE stays small, as Discord's does without the
// members intent); interactions still carry each user's member object.
const users = Array.from({ length: USERS }, (_, index) => ({
  id: nextSnowflake(),
  username: `bench${index}`,
  guildIds: [],
}));

const fake = await FakeDiscord.start({
  heartbeatIntervalMs: 120_000,
  guilds: guildIds.slice(1).map((id, index) => ({ id, name: `Bench guild ${index + 1}` })),
  channels,
  users,
});

// The workload keeps names and query lines only; the knowledge itself is not kept (a smaller heap, shorter GC pauses).
const workload = (() => {
  const bundled = loadKnowledgeWith(undefined, benchCacheFile("e2e"));
  if (!bundled.knowledge) throw new Error("bundled content has errors");
  return new Workload(bundled.knowledge.kb, loadCases(), USERS, channelIds.length);
})();

// --- callbacks -------------------------------------------------------------------------------

const OUTCOMES = ["none", "answered", "private", "duplicate", "throttled", "error-notice", "choices", "other"] as const;
type Outcome = (typeof OUTCOMES)[number];

function classify(request: RecordedRequest): Outcome {
  const body = request.body as { type?: number; data?: { content?: string; flags?: number } } | undefined;
  if (body?.type === 8) return "choices";
  if (body?.type !== 4) return "other";
  const content = body.data?.content ?? "";
  if (content.includes("posted in this channel moments ago")) return "duplicate";
  if (content.includes("going a bit fast")) return "throttled";
  if (content.includes("Something went wrong")) return "error-notice";
  return (body.data?.flags ?? 0) & 64 ? "private" : "answered";
}

interface StepState {
  ids: Map<string, number>;
  items: WorkItem[];
  dispatchAt: Float64Array;
  callbackAt: Float64Array;
  status: Int16Array;
  outcome: Uint8Array;
  received: number;
  late: number;
  onAll: (() => void) | null;
}

let step: StepState | null = null;
const singles = new Map<string, (request: RecordedRequest, at: number) => void>();
const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;
let otherRequests = 0;

// A wait that never matches sees every request the fake records, as it is recorded (after the answer).
fake
  .waitForRequest(
    (request) => {
      const at = performance.now();
      const id = CALLBACK.exec(request.path)?.[1];
      if (!id) {
        otherRequests++;
        return false;
      }
      const single = singles.get(id);
      if (single) {
        singles.delete(id);
        single(request, at);
        return false;
      }
      const index = step?.ids.get(id);
      if (step === null || index === undefined || !Number.isNaN(step.callbackAt[index]!)) {
        if (step) step.late++;
        return false;
      }
      step.callbackAt[index] = at;
      step.status[index] = request.status ?? 0;
      step.outcome[index] = OUTCOMES.indexOf(classify(request));
      step.received++;
      // Answered once; the bench sends no follow-ups, so the fake can forget the interaction now.
      fake.world.interactions.delete(id);
      if (step.received === step.items.length) step.onAll?.();
      return false;
    },
    2 ** 31 - 1,
  )
  .catch(() => {});

function build(item: WorkItem): APIInteraction {
  const context = { userId: users[item.userIndex]!.id, channelId: channelIds[item.channelIndex]! };
  return item.type === "autocomplete"
    ? fake.build.autocomplete(item.command, item.options, { ...context, focused: item.focused! })
    : fake.build.chatInput(item.command, item.options, context);
}

/**
 * Forget what the fake recorded so far: it keeps every request, gateway frame, interaction and
 * message, which under load grows its heap and its GC pauses (which would count as latency).
 * The observer above has already seen every request. Runs between steps and every 200 ms during one.
 */
function trim(): void {
  (fake.requests as RecordedRequest[]).length = 0;
  (fake.gatewayFrames as GatewayFrameRecord[]).length = 0;
  fake.world.messages.clear();
}

function forgetStep(): void {
  if (step) for (const id of step.ids.keys()) fake.world.interactions.delete(id);
}

// --- one step of open-loop load ---------------------------------------------------------------

export interface StepRequest {
  rate: number;
  durationMs: number;
  graceMs: number;
}

export interface StepResult {
  rate: number;
  offered: number;
  /** Interactions per second the generator actually sent. */
  sentRate: number;
  /** 2xx callbacks per second, over the time from the first dispatch to the last callback (or the step end). */
  servedRate: number;
  ok: number;
  errors: number;
  lost: number;
  late: number;
  latency: LatencySummary;
  autocomplete: LatencySummary;
  commands: LatencySummary;
  outcomes: Record<string, number>;
  generatorLagMaxMs: number;
  fakeCpuPct: number;
  /** The fake's own pauses during the step: they add to the measured latency. */
  fakeGcMaxMs: number;
  fakeGcTotalMs: number;
  fakeLoopDelayMaxMs: number;
  fakeHeapUsedMb: number;
  otherRequests: number;
}

const fakeStats = new ProcessStats();

let prepared: { request: StepRequest; items: WorkItem[]; payloads: (APIInteraction | null)[]; buildMs: number } | null =
  null;

/** Builds the step's interactions ahead of time, so the step itself only sends them. */
function prepareStep(request: StepRequest): { offered: number; buildMs: number } {
  trim();
  forgetStep();
  const started = performance.now();
  const count = Math.max(1, Math.round((request.rate * request.durationMs) / 1000));
  const items = Array.from({ length: count }, () => workload.next());
  const payloads = items.map(build);
  prepared = { request, items, payloads, buildMs: performance.now() - started };
  return { offered: count, buildMs: prepared.buildMs };
}

async function runStep(): Promise<StepResult> {
  if (!prepared) throw new Error("prepare the step first");
  const { request, items, payloads } = prepared;
  prepared = null;
  const { rate, durationMs, graceMs } = request;
  const count = items.length;
  const state: StepState = {
    ids: new Map(payloads.map((payload, index) => [payload!.id, index])),
    items,
    dispatchAt: new Float64Array(count).fill(Number.NaN),
    callbackAt: new Float64Array(count).fill(Number.NaN),
    status: new Int16Array(count),
    outcome: new Uint8Array(count),
    received: 0,
    late: 0,
    onAll: null,
  };
  step = state;
  otherRequests = 0;
  const allReceived = new Promise<void>((resolve) => {
    state.onAll = resolve;
  });
  const interval = 1000 / rate;
  const before = fakeStats.mark();
  const start = performance.now() + 10;
  let next = 0;
  let lagMax = 0;
  const trimmer = setInterval(trim, 200);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < count && start + next * interval <= now) {
        lagMax = Math.max(lagMax, now - (start + next * interval));
        state.dispatchAt[next] = performance.now();
        fake.dispatch("INTERACTION_CREATE", payloads[next]);
        payloads[next] = null;
        next++;
      }
      if (next < count) setTimeout(tick, Math.max(0, Math.min(1, start + next * interval - performance.now())));
      else resolve();
    };
    setTimeout(tick, 10);
  });
  const dispatched = performance.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    allReceived,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(timer);
  clearInterval(trimmer);
  const after = fakeStats.snapshot();

  const all: number[] = [];
  const autocomplete: number[] = [];
  const commands: number[] = [];
  const outcomes: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let lastCallback = dispatched;
  for (let index = 0; index < count; index++) {
    const at = state.callbackAt[index]!;
    if (Number.isNaN(at)) continue;
    const status = state.status[index]!;
    if (status < 200 || status >= 300) {
      errors++;
      continue;
    }
    ok++;
    lastCallback = Math.max(lastCallback, at);
    const latency = at - state.dispatchAt[index]!;
    all.push(latency);
    (items[index]!.type === "autocomplete" ? autocomplete : commands).push(latency);
    const outcome = OUTCOMES[state.outcome[index]!]!;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return {
    rate,
    offered: count,
    sentRate: (count / (dispatched - start)) * 1000,
    servedRate: (ok / (Math.max(lastCallback, start + durationMs) - start)) * 1000,
    ok,
    errors,
    lost: count - state.received,
    late: state.late,
    latency: summarize(all),
    autocomplete: summarize(autocomplete),
    commands: summarize(commands),
    outcomes,
    generatorLagMaxMs: lagMax,
    fakeCpuPct: usageBetween(before, after).cpuPct,
    fakeGcMaxMs: after.gcMaxMs,
    fakeGcTotalMs: after.gcTotalMs,
    fakeLoopDelayMaxMs: after.loopDelayMaxMs,
    fakeHeapUsedMb: after.heapUsedMb,
    otherRequests,
  };
}

/** One interaction, for smoke tests: dispatch it and wait for its callback. */
async function dispatchOne(item: Omit<WorkItem, "userIndex" | "channelIndex"> & Partial<WorkItem>) {
  const payload = build({ userIndex: 0, channelIndex: 0, ...item });
  const answered = new Promise<{ latencyMs: number; status: number | null; body: unknown }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no callback within 5 s")), 5000);
    const sent = performance.now();
    singles.set(payload.id, (request, at) => {
      clearTimeout(timer);
      resolve({ latencyMs: at - sent, status: request.status, body: request.body });
    });
  });
  fake.dispatch("INTERACTION_CREATE", payload);
  return answered;
}

serve({
  prepare: (payload) => prepareStep(payload as StepRequest),
  run: () => runStep(),
  dispatch: (payload) => dispatchOne(payload as WorkItem),
  stats: () => fakeStats.snapshot(),
  stop: async () => {
    await fake.stop();
    return {};
  },
});
await sendReady({ apiBase: fake.apiBase, users: USERS, guilds: GUILDS, channels: channelIds.length });
