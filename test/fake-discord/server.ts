/**
 * FakeDiscord: a Discord stand-in on 127.0.0.1 for the real discord.js client. REST v10 and the
 * gateway share one ephemeral port; the client finds both through `rest: { api: fake.apiBase }`
 * (GET /gateway/bot returns the gateway URL). State, recording and fault injection live here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIApplicationCommand,
  type APIInteraction,
  type APIMessage,
  type APIThreadChannel,
  GatewayIntentBits,
} from "discord.js";
import type { OptionInputs } from "./command-options.ts";
import { FaultInjector, type FaultSpec, matchesRequest, type RequestMatcher } from "./faults.ts";
import { addChannel, addOverwrite, createWorld, ids } from "./fixtures.ts";
import { FakeGateway, type GatewayFrameRecord, shardOf } from "./gateway.ts";
import { InteractionsEndpoint, type SignedPost, type SignOptions } from "./http-interactions.ts";
import { parseBody, readBody, sendEmpty, sendJson } from "./http-io.ts";
import {
  type AutocompleteOptions,
  type CommandInteractionOptions,
  type ComponentOptions,
  type DispatchedInteraction,
  InteractionFactory,
  type InteractionOptions,
  recordInteraction,
} from "./interactions.ts";
import type { InteractionRecord } from "./model.ts";
import type { FakeDiscordOptions, OverwriteSpec } from "./options.ts";
import {
  channelPayload,
  guildDeleteEventData,
  messageCreateEventData,
  messagePayload,
  threadCreateEventData,
  threadDeleteEventData,
  threadPayload,
  type UploadedFile,
} from "./payloads.ts";
import { RecordingLog } from "./recording-log.ts";
import { errors, RestError } from "./rest-errors.ts";
import { type RestContext, type RestResult, RestRouter } from "./rest-router.ts";
import { addChannelRoutes } from "./routes-channels.ts";
import { addCommandRoutes } from "./routes-commands.ts";
import { addInteractionRoutes } from "./routes-interactions.ts";
import { addSessionRoutes } from "./routes-session.ts";
import type { World } from "./world.ts";

const API_PREFIX = "/api/v10";
const DEFAULT_WAIT_MS = 5000;

export interface RecordedRequest<Body = unknown> {
  /** 1, 2, 3... in arrival order. */
  seq: number;
  method: string;
  /** Decoded (`@original`, not `%40original`), without `/api/v10` and without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string>;
  /** Parsed JSON; for file uploads the parsed `payload_json`. Undefined when there was no body. */
  body: Body;
  files: UploadedFile[];
  /** Arrival time (ms since epoch). */
  time: number;
  /** The status the fake answered with; null when a `hang` fault swallowed the request. */
  status: number | null;
}

export interface InteractionCallbackBody {
  type: number;
  data?: Record<string, unknown>;
}

export type RequestPredicate = (request: RecordedRequest) => boolean;
export type GatewayFrameMatcher = Partial<Pick<GatewayFrameRecord, "direction" | "op" | "t" | "shard">>;

export class FakeDiscord {
  readonly world: World;
  /** Interaction payload builders that do not dispatch: tweak the result, then `dispatch` it. */
  readonly build: InteractionFactory;
  /** Non-RestError exceptions inside the fake (answered as 500). A passing test expects none. */
  readonly internalErrors: Error[] = [];

  private readonly requestLog = new RecordingLog<RecordedRequest>(
    "requests",
    (request) => `${request.method} ${request.path}${queryString(request.query)} -> ${request.status ?? "no answer"}`,
  );
  private readonly faults = new FaultInjector();
  /** Routes answered only after a pause, as a busy Discord would. */
  private readonly slowRoutes: { match: RequestMatcher; ms: number; queue: Promise<void> }[] = [];
  private readonly gateway: FakeGateway;
  private readonly router = new RestRouter();
  private readonly context: RestContext;
  private readonly server: Server;
  private readonly hungResponses = new Set<ServerResponse>();
  /** Where interactions go when the bot answers over HTTP instead of the gateway. */
  private readonly endpoint = new InteractionsEndpoint();
  /** Interactions POSTed to the endpoint whose answer was not a callback (an HTTP error). */
  readonly httpFailures: { interactionId: string; status: number; body: unknown }[] = [];
  private nextRequestSeq = 1;
  private stopped: Promise<void> | null = null;

  private constructor(private readonly options: FakeDiscordOptions) {
    this.world = createWorld(options);
    this.build = new InteractionFactory(this.world);
    this.gateway = new FakeGateway(this.world, {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      ...(options.botToken !== undefined ? { botToken: options.botToken } : {}),
      ...(options.silentGateway ? { silent: true } : {}),
      gatewayUrl: () => this.gatewayUrl,
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
    });
    this.context = {
      world: this.world,
      gateway: this.gateway,
      nonceWindowMs: options.nonceWindowMs ?? 3 * 60_000,
      callbackDeadlineMs: options.callbackDeadlineMs,
      gatewayUrl: () => this.gatewayUrl,
    };
    addSessionRoutes(this.router);
    addInteractionRoutes(this.router);
    addChannelRoutes(this.router);
    addCommandRoutes(this.router);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.failInternally(response, error));
    });
    this.server.on("upgrade", (request, socket, head) => this.gateway.handleUpgrade(request, socket, head));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once("error", reject);
      fake.server.listen(0, "127.0.0.1", () => resolve());
    });
    return fake;
  }

  /** The default fixture ids (`fake.ids.textChannel` etc.), same as the exported `ids`. */
  get ids(): typeof ids {
    return ids;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Pass as `new Client({ rest: { api: fake.apiBase } })`. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  // --- Recording -------------------------------------------------------------------------------

  get requests(): readonly RecordedRequest[] {
    return this.requestLog.entries;
  }

  /** First request (already received or still to come) matching; rejects after `timeoutMs`. */
  waitForRequest<Body = unknown>(
    match: RequestMatcher | RequestPredicate,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedRequest<Body>> {
    const predicate: RequestPredicate =
      typeof match === "function" ? match : (request) => matchesRequest(match, request.method, request.path);
    const what = typeof match === "function" ? "a request matching the predicate" : `${describeMatcher(match)}`;
    return this.requestLog.waitFor(predicate, timeoutMs, what) as Promise<RecordedRequest<Body>>;
  }

  /** The bot's callback (reply, defer, choices, modal...) to an interaction. */
  callbackFor(interactionId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest<InteractionCallbackBody>> {
    const path = new RegExp(`^/interactions/${interactionId}/[^/]+/callback$`);
    return this.waitForRequest<InteractionCallbackBody>({ method: "POST", path }, timeoutMs);
  }

  /** Messages the channel holds, oldest first (bot sends, non-ephemeral replies, user messages). */
  messagesIn(channelId: string): APIMessage[] {
    return this.world.messagesIn(channelId).map((stored) => stored.message);
  }

  /** What the fake knows about an interaction: callback type, original reply, follow-ups. */
  interaction(interactionId: string): InteractionRecord | undefined {
    return this.world.interactions.get(interactionId);
  }

  /** Registered commands: global when `guildId` is omitted. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...this.world.commandsFor(guildId ?? null).values()];
  }

  /** Threads created through REST or `threadCreate`, oldest first. */
  threadsCreated(): APIThreadChannel[] {
    return this.world.threadsCreated.flatMap((id) => {
      const thread = this.world.channels.get(id);
      return thread ? [threadPayload(this.world, thread)] : [];
    });
  }

  /** The shard (of the count the fake recommends, unless given) that receives a guild's events. */
  shardOf(guildId: string, shardCount: number = this.gateway.shardCount): number {
    return shardOf(guildId, shardCount);
  }

  get gatewayFrames(): readonly GatewayFrameRecord[] {
    return this.gateway.frames.entries;
  }

  waitForGatewayFrame(
    match: GatewayFrameMatcher | ((frame: GatewayFrameRecord) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<GatewayFrameRecord> {
    const predicate =
      typeof match === "function"
        ? match
        : (frame: GatewayFrameRecord) =>
            (match.direction === undefined || frame.direction === match.direction) &&
            (match.op === undefined || frame.op === match.op) &&
            (match.t === undefined || frame.t === match.t) &&
            (match.shard === undefined || frame.shard === match.shard);
    return this.gateway.frames.waitFor(predicate, timeoutMs, `gateway frame ${JSON.stringify(match)}`);
  }

  // --- Fault injection -------------------------------------------------------------------------

  /** The next `times` requests matching get this answer (or none, with `hang: true`). */
  failNext(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  /**
   * Every later request matching is answered normally, but one at a time, `ms` apart: a busy route
   * that turns a burst into a queue.
   */
  slowDown(match: RequestMatcher, ms: number): void {
    this.slowRoutes.push({ match, ms, queue: Promise.resolve() });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Forgets every gateway session: after the next drop the RESUME gets INVALID_SESSION and the bot re-identifies. */
  forgetGatewaySessions(): void {
    this.gateway.forgetSessions();
  }

  /**
   * Closes the gateway connection (default code 4000; shard 0's unless `shard` is given): discord.js
   * reconnects ~500 ms later and RESUMEs.
   */
  dropGateway(options: { code?: number; reason?: string; terminate?: boolean; shard?: number } = {}): Promise<void> {
    return this.gateway.drop(options);
  }

  /** Stop answering heartbeats: after two intervals discord.js declares a zombie and RESUMEs. */
  stopAcking(): void {
    this.gateway.setAcking(false);
  }

  resumeAcking(): void {
    this.gateway.setAcking(true);
  }

  // --- Dispatching -----------------------------------------------------------------------------

  /**
   * Sends any dispatch as is (queued for replay while discord.js reconnects). INTERACTION_CREATE
   * payloads with an id and token are remembered so their callbacks can be answered.
   */
  dispatch(event: string, data: unknown): number {
    if (event === "INTERACTION_CREATE") recordInteraction(this.world, data);
    return this.gateway.dispatch(event, data);
  }

  chatInput(name: string, options: OptionInputs = {}, context: CommandInteractionOptions = {}): DispatchedInteraction {
    return this.dispatchInteraction(this.build.chatInput(name, options, context));
  }

  autocomplete(name: string, options: OptionInputs, context: AutocompleteOptions = {}): DispatchedInteraction {
    return this.dispatchInteraction(this.build.autocomplete(name, options, context));
  }

  button(customId: string, context: ComponentOptions = {}): DispatchedInteraction {
    return this.dispatchInteraction(this.build.button(customId, context));
  }

  select(customId: string, values: string[], context: ComponentOptions = {}): DispatchedInteraction {
    return this.dispatchInteraction(this.build.select(customId, values, context));
  }

  modalSubmit(
    customId: string,
    fields: Record<string, string>,
    context: InteractionOptions = {},
  ): DispatchedInteraction {
    return this.dispatchInteraction(this.build.modalSubmit(customId, fields, context));
  }

  private dispatchInteraction(payload: APIInteraction): DispatchedInteraction {
    if (this.endpoint.url) this.postInteraction(payload);
    else this.dispatch("INTERACTION_CREATE", payload);
    return { id: payload.id, token: payload.token };
  }

  // --- Interactions over HTTP ----------------------------------------------------------------

  /** The application's Public Key (hex), to configure the bot with. */
  get publicKeyHex(): string {
    return this.endpoint.publicKeyHex;
  }

  /**
   * From now on interactions are POSTed, signed, to this Interactions Endpoint URL instead of the
   * gateway; null goes back to the gateway.
   */
  useInteractionsEndpoint(url: string | null): void {
    this.endpoint.url = url;
  }

  /** The signing headers Discord would send for a body. */
  signInteraction(body: string, options: SignOptions = {}): Record<string, string> {
    return this.endpoint.sign(body, options);
  }

  /** POSTs any body to the endpoint, signed (or forged, with options), and returns the raw answer. */
  postToEndpoint(body: string, options: SignOptions & { headers?: Record<string, string> } = {}): Promise<SignedPost> {
    return this.endpoint.post(body, options);
  }

  /**
   * Sends an interaction over HTTP; the answer in the response is applied as its callback and
   * recorded as one, so `callbackFor` and every other helper work as with the gateway.
   */
  postInteraction(payload: APIInteraction): DispatchedInteraction {
    if (!recordInteraction(this.world, payload)) throw new Error("FakeDiscord: an interaction needs an id and a token");
    const body = JSON.stringify(payload);
    void this.endpoint.post(body).then(
      (answer) => this.applyHttpAnswer(payload, answer),
      (error: unknown) => this.httpFailures.push({ interactionId: payload.id, status: 0, body: String(error) }),
    );
    return { id: payload.id, token: payload.token };
  }

  /**
   * For callers that POST interactions to the endpoint themselves (the bench sends bodies signed ahead
   * of time): applies the bot's answer as postInteraction does, recorded as the interaction's callback
   * (or kept in httpFailures). The interaction must have been remembered (recordInteraction) first.
   */
  applyInteractionAnswer(interaction: Pick<APIInteraction, "id" | "token">, answer: SignedPost): void {
    // Only the id and the token are read.
    this.applyHttpAnswer(interaction as APIInteraction, answer);
  }

  private applyHttpAnswer(payload: APIInteraction, answer: SignedPost): void {
    if (answer.status !== 200 || typeof answer.body !== "object" || answer.body === null) {
      this.httpFailures.push({ interactionId: payload.id, status: answer.status, body: answer.body });
      return;
    }
    const recorded: RecordedRequest = {
      seq: this.nextRequestSeq++,
      method: "POST",
      path: `/interactions/${payload.id}/${payload.token}/callback`,
      query: {},
      headers: { "x-delivered-by": "http-response" },
      body: answer.body,
      files: [],
      time: Date.now(),
      status: null,
    };
    recorded.status = this.route(recorded, true).status;
    this.requestLog.push(recorded);
  }

  /** A user posts in a channel. Sent only with the GuildMessages intent; content needs MessageContent. */
  userMessage(channelId: string, content: string, options: { userId?: string } = {}): APIMessage {
    const message = messagePayload(this.world, {
      channel: this.world.requireChannel(channelId),
      author: this.world.requireUser(options.userId ?? ids.user),
      body: { content },
    });
    this.world.addMessage({ message, createdAtMs: Date.now() });
    const mentionsBot = message.mentions.some((user) => user.id === this.world.botUserId);
    const readable = (this.gateway.intents & GatewayIntentBits.MessageContent) !== 0 || mentionsBot;
    const visible = readable ? message : { ...message, content: "", embeds: [], attachments: [], components: [] };
    this.gateway.dispatchForIntent(
      "MESSAGE_CREATE",
      messageCreateEventData(this.world, visible),
      GatewayIntentBits.GuildMessages,
    );
    return message;
  }

  /** Someone else made a thread (owner defaults to `ids.user`); THREAD_CREATE tells the bot. */
  threadCreate(
    spec: { id?: string; name: string; parentId: string; type?: number; ownerId?: string; memberIds?: string[] },
    options: { newlyCreated?: boolean } = {},
  ): APIThreadChannel {
    const ownerId = spec.ownerId ?? ids.user;
    const thread = addChannel(this.world, {
      name: spec.name,
      parentId: spec.parentId,
      type: spec.type ?? 11,
      ownerId,
      threadMemberIds: spec.memberIds ?? [ownerId],
      ...(spec.id !== undefined ? { id: spec.id } : {}),
    });
    this.world.threadsCreated.push(thread.id);
    this.dispatch("THREAD_CREATE", threadCreateEventData(this.world, thread, options.newlyCreated ?? true));
    return threadPayload(this.world, thread);
  }

  /** The bot was removed from a guild (or, with `unavailable`, the guild has an outage). */
  guildDelete(guildId: string, options: { unavailable?: boolean } = {}): void {
    const unavailable = options.unavailable ?? false;
    if (unavailable) this.world.requireGuild(guildId).unavailable = true;
    else this.world.removeGuild(guildId);
    this.dispatch("GUILD_DELETE", guildDeleteEventData(guildId, unavailable));
  }

  /** Deletes a channel or thread (and a channel's threads); REST on it then answers 10003. */
  channelDelete(channelId: string): void {
    const channel = this.world.requireChannel(channelId);
    const payload = channelPayload(this.world, channel);
    const removed = this.world.removeChannel(channelId);
    if (channel.thread) {
      this.dispatch("THREAD_DELETE", threadDeleteEventData(channel));
      return;
    }
    this.dispatch("CHANNEL_DELETE", payload);
    for (const thread of removed.filter((candidate) => candidate.id !== channelId)) {
      this.dispatch("THREAD_DELETE", threadDeleteEventData(thread));
    }
  }

  /** Adds or replaces an overwrite (target defaults to the bot) and sends CHANNEL_UPDATE if connected. */
  setPermissionOverwrite(spec: OverwriteSpec): void {
    const channel = addOverwrite(this.world, spec);
    if (!this.gateway.hasSessionFor(channel.guildId)) return;
    this.dispatch(channel.thread ? "THREAD_UPDATE" : "CHANNEL_UPDATE", channelPayload(this.world, channel));
  }

  // --- Lifecycle -------------------------------------------------------------------------------

  /** Closes the gateway, every HTTP connection (including hung ones) and the server. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    await this.gateway.close();
    await this.endpoint.close();
    this.requestLog.rejectPending("stopped");
    for (const response of this.hungResponses) response.socket?.destroy();
    this.hungResponses.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // undici keeps connections alive; without this, close() would wait for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const time = Date.now();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const parsed = parseBody(request.headers["content-type"], await readBody(request));
    const method = (request.method ?? "GET").toUpperCase();
    const { path, isApi } = apiPath(url.pathname);
    const recorded: RecordedRequest = {
      seq: this.nextRequestSeq++,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(request),
      body: parsed.json,
      files: parsed.files,
      time,
      status: null,
    };

    const slow = this.slowRoutes.find((route) => matchesRequest(route.match, method, recorded.path));
    if (slow) {
      const turn = slow.queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, slow.ms)));
      slow.queue = turn;
      await turn;
    }
    const fault = this.faults.take(method, recorded.path);
    if (fault?.kind === "hang") {
      this.hungResponses.add(response);
      this.requestLog.push(recorded);
      return;
    }
    if (fault) {
      recorded.status = fault.status;
      respondWith(response, fault.status, fault.body, fault.headers);
    } else {
      const { status, body, headers } = this.route(recorded, isApi);
      recorded.status = status;
      respondWith(response, status, body, headers);
    }
    // Recorded after answering, so a test woken by waitForRequest sees the fake's state updated.
    this.requestLog.push(recorded);
  }

  private route(recorded: RecordedRequest, isApi: boolean): RestResult {
    try {
      if (!isApi) throw errors.notFound();
      const match = this.router.match(recorded.method, recorded.path);
      if (match.needsBotToken && !this.authorised(recorded.headers.authorization)) throw errors.unauthorized();
      return match.handler(
        {
          method: recorded.method,
          path: recorded.path,
          params: match.params,
          query: recorded.query,
          body: recorded.body,
          files: recorded.files,
        },
        this.context,
      );
    } catch (error) {
      if (error instanceof RestError) return { status: error.status, body: error.body, headers: error.headers };
      const internal = error instanceof Error ? error : new Error(String(error));
      this.internalErrors.push(internal);
      console.error("FakeDiscord internal error:", internal);
      return { status: 500, body: { message: `500: Internal Server Error (fake: ${internal.message})`, code: 0 } };
    }
  }

  private authorised(header: string | undefined): boolean {
    if (!header?.startsWith("Bot ")) return false;
    return this.options.botToken === undefined || header === `Bot ${this.options.botToken}`;
  }

  private failInternally(response: ServerResponse, error: unknown): void {
    const internal = error instanceof Error ? error : new Error(String(error));
    this.internalErrors.push(internal);
    if (!response.headersSent) sendJson(response, 500, { message: "500: Internal Server Error", code: 0 });
  }
}

/**
 * The route path: decoded, because discord.js sends `@original` as `%40original`, and without the
 * /api/v10 prefix. Paths outside /api/v10 keep their full form and are answered 404.
 */
function apiPath(pathname: string): { path: string; isApi: boolean } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = pathname;
  }
  const isApi = decoded.startsWith(`${API_PREFIX}/`);
  return { path: isApi ? decoded.slice(API_PREFIX.length) : decoded, isApi };
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(", ") : (value ?? ""),
    ]),
  );
}

function respondWith(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) sendEmpty(response, status, headers);
  else sendJson(response, status, body, headers);
}

function queryString(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : "";
}

function describeMatcher(match: RequestMatcher): string {
  return `${match.method ?? "any method"} ${match.path ?? "any path"}`;
}
