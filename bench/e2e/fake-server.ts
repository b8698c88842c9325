/**
 * Child: the fake Discord (test/fake-discord) on 127.0.0.1, driven over IPC. It holds many users,
 * guilds and channels, and runs the open-loop load itself so that dispatch times are taken where
 * the interaction leaves: "prepare" pre-builds the step's interactions, "run" sends them on schedule
 * and reports when each was answered, its status and what it said. Also "transport" (gateway, or
 * the bot's Interactions Endpoint), "dispatch" (one interaction, wait for its answer), "stats", "stop".
 *
 * Gateway: INTERACTION_CREATE over the websocket; answered when the fake has handled the bot's
 * callback POST. HTTP: each body is serialised and signed (Ed25519, as Discord signs) in "prepare",
 * before the step's clock starts, so the step only writes ready bytes; answered when the HTTP
 * response has arrived (that is when Discord has the answer). The answer is then applied to the
 * fake's world as Discord would, so the bot's later REST calls (GET @original) find the message.
 */
import type { APIInteraction } from "discord.js";
import { type Dispatcher, Pool } from "undici";
import {
  FakeDiscord,
  type GatewayFrameRecord,
  ids,
  nextSnowflake,
  type RecordedRequest,
} from "../../test/fake-discord/index.ts";
import { recordInteraction } from "../../test/fake-discord/interactions.ts";
import { exitWithParent, sendReady, serve } from "../ipc.ts";
import { benchCacheFile, loadKnowledgeWith } from "../knowledge.ts";
import { loadCases } from "../queries.ts";
import { type LatencySummary, summarize } from "../stats.ts";
import { ProcessStats, usageBetween } from "./process-stats.ts";
import { type WorkItem, Workload } from "./workload.ts";

exitWithParent();

const USERS = 3000;
const GUILDS = 10;
/**
 * 5000 channels (Discord's 500 per server): at 2000 interactions/s (600 commands/s) a channel sees a
 * command every ~8 s. With 1000 it was one every 1.7 s, 18 in the 30 s duplicate window, so the same
 * answer often came back in the same channel and the bot rightly posted "moments ago" notices instead
 * (56 at 2000/s, 169 at 3000/s; a replay of the workload gives the same counts). With 5000 those
 * notices are rare (none below 3000/s); those left are the bot's real behaviour and are counted.
 */
const CHANNELS_PER_GUILD = 500;

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

// --- transport -----------------------------------------------------------------------------------

/** Where interactions go: the gateway, or POSTs to the bot's Interactions Endpoint. */
let endpoint: { url: URL; pool: Pool } | null = null;

async function useTransport(url: string | null): Promise<{ transport: string }> {
  if (endpoint) await endpoint.pool.close();
  endpoint = null;
  fake.useInteractionsEndpoint(url);
  if (url) {
    const parsed = new URL(url);
    // Discord holds many connections open to an endpoint; HTTP/1.1, one request at a time on each.
    endpoint = { url: parsed, pool: new Pool(parsed.origin, { connections: 128, pipelining: 1 }) };
  }
  return { transport: url ? "http" : "gateway" };
}

// --- answers ---------------------------------------------------------------------------------

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

/** A public message the bot may fetch back (GET @original) after answering over HTTP. */
function isPublicMessage(request: RecordedRequest): boolean {
  const body = request.body as { type?: number; data?: { flags?: number } } | undefined;
  return body?.type === 4 && ((body.data?.flags ?? 0) & 64) === 0;
}

interface StepState {
  http: boolean;
  ids: Map<string, number>;
  items: WorkItem[];
  dispatchAt: Float64Array;
  /** Gateway: when the fake had handled the callback POST. HTTP: when the response had arrived. */
  callbackAt: Float64Array;
  /** The fake's answer to the callback (2xx when Discord would take it); over HTTP, the response's status when not 200. */
  status: Int16Array;
  outcome: Uint8Array;
  received: number;
  late: number;
  /** HTTP responses by status, and transport errors (status 0). */
  httpStatuses: Record<string, number>;
  /** The grace time is over: answers from now on are late. */
  closed: boolean;
  onAll: (() => void) | null;
}

let step: StepState | null = null;
const singles = new Map<string, (request: RecordedRequest, at: number) => void>();
const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;
/** The bot's other REST calls during a step ("METHOD route -> status": count), e.g. GET @original over HTTP. */
let otherRequests: Record<string, number> = {};
/**
 * Over HTTP the bot fetches a public answer back (GET @original, retried for a while when it is not
 * there yet), so the fake keeps those interactions until that fetch succeeded, or a minute at most
 * (Discord keeps the token 15 minutes; a fetch later than a minute shows as a failed REST request).
 * Every other interaction is forgotten once answered.
 */
const KEEP_UNFETCHED_MS = 60_000;
const awaitingFetch = new Map<string, { id: string; at: number }>();
const ORIGINAL = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/;

function routeOf(request: RecordedRequest): string {
  return `${request.method} ${request.path.replace(/\d{17,20}/g, ":id").replace(/\/webhooks\/:id\/[^/]+/, "/webhooks/:id/:token")} -> ${request.status ?? "no answer"}`;
}

// A wait that never matches sees every request the fake records, as it is recorded (after the answer).
fake
  .waitForRequest(
    (request) => {
      const at = performance.now();
      const id = CALLBACK.exec(request.path)?.[1];
      if (!id) {
        const route = routeOf(request);
        otherRequests[route] = (otherRequests[route] ?? 0) + 1;
        const token = request.status === 200 && request.method === "GET" ? ORIGINAL.exec(request.path)?.[1] : undefined;
        const fetched = token ? awaitingFetch.get(token) : undefined;
        if (token && fetched) {
          awaitingFetch.delete(token);
          fake.world.interactions.delete(fetched.id);
        }
        return false;
      }
      const single = singles.get(id);
      if (single) {
        singles.delete(id);
        single(request, at);
        return false;
      }
      const index = step?.ids.get(id);
      if (step === null || index === undefined || step.closed) {
        if (step) step.late++;
        return false;
      }
      if (step.http) {
        // Timed when the response arrived (answered() below); here the fake's verdict on the answer.
        step.status[index] = request.status ?? 0;
        step.outcome[index] = OUTCOMES.indexOf(classify(request));
        const token = fake.world.interactions.get(id)?.token;
        if (isPublicMessage(request) && token) awaitingFetch.set(token, { id, at });
        else fake.world.interactions.delete(id);
        return false;
      }
      if (!Number.isNaN(step.callbackAt[index]!)) {
        step.late++;
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
  fake.httpFailures.length = 0;
  fake.world.messages.clear();
  const before = performance.now() - KEEP_UNFETCHED_MS;
  for (const [token, entry] of awaitingFetch) {
    if (entry.at >= before) break;
    awaitingFetch.delete(token);
    fake.world.interactions.delete(entry.id);
  }
}

/** The previous step's interactions, except those whose answer the bot may still fetch. */
function forgetStep(): void {
  if (!step) return;
  const keep = new Set([...awaitingFetch.values()].map((entry) => entry.id));
  for (const id of step.ids.keys()) if (!keep.has(id)) fake.world.interactions.delete(id);
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
  /** 2xx answers per second, over the time from the first dispatch to the last answer (or the step end). */
  servedRate: number;
  ok: number;
  errors: number;
  lost: number;
  late: number;
  latency: LatencySummary;
  autocomplete: LatencySummary;
  commands: LatencySummary;
  outcomes: Record<string, number>;
  /** HTTP only: responses by status (0 = the request failed). */
  httpStatuses?: Record<string, number>;
  /** Building the step's payloads (and, over HTTP, serialising and signing them), before the step. */
  prepareMs: number;
  generatorLagMaxMs: number;
  fakeCpuPct: number;
  /** The fake's own pauses during the step: they add to the measured latency. */
  fakeGcMaxMs: number;
  fakeGcTotalMs: number;
  fakeLoopDelayMaxMs: number;
  fakeHeapUsedMb: number;
  /** The bot's other REST requests during the step, by "METHOD route -> status". */
  otherRequests: Record<string, number>;
}

const fakeStats = new ProcessStats();

interface Prepared {
  request: StepRequest;
  items: WorkItem[];
  payloads: (APIInteraction | null)[];
  ids: string[];
  tokens: string[];
  /** HTTP: each body as the bytes sent, and its headers (signature included), ready before the step. */
  bodies: Buffer[] | null;
  headers: Record<string, string>[] | null;
  prepareMs: number;
}

let prepared: Prepared | null = null;

/** Builds the step's interactions ahead of time (and signs them for HTTP), so the step itself only sends them. */
function prepareStep(request: StepRequest): { offered: number; prepareMs: number } {
  trim();
  forgetStep();
  const started = performance.now();
  const count = Math.max(1, Math.round((request.rate * request.durationMs) / 1000));
  const items = Array.from({ length: count }, () => workload.next());
  const payloads = items.map(build);
  let bodies: Buffer[] | null = null;
  let headers: Record<string, string>[] | null = null;
  if (endpoint) {
    bodies = [];
    headers = [];
    for (const payload of payloads) {
      const text = JSON.stringify(payload);
      bodies.push(Buffer.from(text));
      // Signed now: the timestamp is seconds old when the step sends it (the bot accepts 5 minutes).
      headers.push({
        "content-type": "application/json",
        "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
        ...fake.signInteraction(text),
      });
    }
  }
  prepared = {
    request,
    items,
    payloads,
    ids: payloads.map((payload) => payload.id),
    tokens: payloads.map((payload) => payload.token),
    bodies,
    headers,
    prepareMs: performance.now() - started,
  };
  return { offered: count, prepareMs: prepared.prepareMs };
}

/** undici's lowest-level handler: no streams, the body's chunks kept until the response is complete. */
class AnswerHandler implements Dispatcher.DispatchHandlers {
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (status: number, body: Buffer | null) => void) {}

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.done(this.statusCode, this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
  }

  onError(): void {
    this.done(0, null);
  }
}

/** HTTP: the response to interaction `index` arrived (status 0: the request failed). */
function answered(state: StepState, prepared: Prepared, index: number, status: number, body: Buffer | null): void {
  const at = performance.now();
  state.httpStatuses[status] = (state.httpStatuses[status] ?? 0) + 1;
  if (state.closed || state !== step) {
    state.late++;
    return;
  }
  state.callbackAt[index] = at;
  state.received++;
  let parsed: unknown = body?.toString("utf8") ?? null;
  try {
    parsed = JSON.parse(parsed as string);
  } catch {
    // Not JSON: an error page; kept as text in httpFailures.
  }
  if (status === 200 && typeof parsed === "object" && parsed !== null) {
    // Recorded as the interaction's callback: the observer reads the fake's verdict and the outcome.
    fake.applyInteractionAnswer({ id: prepared.ids[index]!, token: prepared.tokens[index]! }, { status, body: parsed });
  } else {
    state.status[index] = status;
    state.outcome[index] = OUTCOMES.indexOf("other");
    fake.world.interactions.delete(prepared.ids[index]!);
  }
  if (state.received === state.items.length) state.onAll?.();
}

async function runStep(): Promise<StepResult> {
  const current = prepared;
  if (!current) throw new Error("prepare the step first");
  prepared = null;
  const { request, items, payloads, bodies, headers } = current;
  const { rate, durationMs, graceMs } = request;
  const count = items.length;
  const http = endpoint !== null && bodies !== null && headers !== null;
  const state: StepState = {
    http,
    ids: new Map(current.ids.map((id, index) => [id, index])),
    items,
    dispatchAt: new Float64Array(count).fill(Number.NaN),
    callbackAt: new Float64Array(count).fill(Number.NaN),
    status: new Int16Array(count),
    outcome: new Uint8Array(count),
    received: 0,
    late: 0,
    httpStatuses: {},
    closed: false,
    onAll: null,
  };
  step = state;
  otherRequests = {};
  const allReceived = new Promise<void>((resolve) => {
    state.onAll = resolve;
  });
  const pool = endpoint?.pool;
  const path = endpoint?.url.pathname ?? "/interactions";
  const send = (index: number) => {
    if (http && pool) {
      // Remembered as the fake's dispatch remembers a gateway interaction, then the ready bytes go out.
      recordInteraction(fake.world, payloads[index]);
      state.dispatchAt[index] = performance.now();
      pool.dispatch(
        { path, method: "POST", headers: headers![index]!, body: bodies![index]! },
        new AnswerHandler((status, body) => answered(state, current, index, status, body)),
      );
      bodies![index] = EMPTY;
    } else {
      state.dispatchAt[index] = performance.now();
      fake.dispatch("INTERACTION_CREATE", payloads[index]);
    }
    payloads[index] = null;
  };
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
        send(next);
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
  state.closed = true;
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
    ...(http ? { httpStatuses: state.httpStatuses } : {}),
    prepareMs: current.prepareMs,
    generatorLagMaxMs: lagMax,
    fakeCpuPct: usageBetween(before, after).cpuPct,
    fakeGcMaxMs: after.gcMaxMs,
    fakeGcTotalMs: after.gcTotalMs,
    fakeLoopDelayMaxMs: after.loopDelayMaxMs,
    fakeHeapUsedMb: after.heapUsedMb,
    otherRequests,
  };
}

const EMPTY = Buffer.alloc(0);

/** One interaction, for smoke tests: send it (gateway or HTTP, signed at send time) and wait for its answer. */
async function dispatchOne(item: Omit<WorkItem, "userIndex" | "channelIndex"> & Partial<WorkItem>) {
  const payload = build({ userIndex: 0, channelIndex: 0, ...item });
  const answered = new Promise<{ latencyMs: number; status: number | null; body: unknown }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer within 5 s")), 5000);
    const sent = performance.now();
    singles.set(payload.id, (request, at) => {
      clearTimeout(timer);
      resolve({ latencyMs: at - sent, status: request.status, body: request.body });
    });
  });
  if (endpoint) fake.postInteraction(payload);
  else fake.dispatch("INTERACTION_CREATE", payload);
  return answered;
}

serve({
  transport: (payload) => useTransport((payload as { endpoint: string | null }).endpoint),
  prepare: (payload) => prepareStep(payload as StepRequest),
  run: () => runStep(),
  dispatch: (payload) => dispatchOne(payload as WorkItem),
  stats: () => fakeStats.snapshot(),
  stop: async () => {
    if (endpoint) await endpoint.pool.close();
    await fake.stop();
    return {};
  },
});
await sendReady({
  apiBase: fake.apiBase,
  publicKeyHex: fake.publicKeyHex,
  users: USERS,
  guilds: GUILDS,
  channels: channelIds.length,
});
