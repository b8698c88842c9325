/**
 * The gateway half of the fake: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with
 * replay, and dispatches. A session outlives its connection, as on Discord, so events dispatched
 * while discord.js is reconnecting are replayed after its RESUME instead of being lost.
 *
 * Sharding follows Discord: IDENTIFY's `shard: [id, count]` picks the guilds a session gets, by
 * `(guild_id >> 22) % count === id`, and DMs (no guild) go to shard 0. Each shard id has its own
 * live session; a dispatch goes to the session of the shard its guild belongs to, and only there.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { GatewayCloseCodes, GatewayOpcodes } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import {
  dispatchFrame,
  type GatewayFrame,
  guildCreatePayload,
  guildDeleteEventData,
  heartbeatAckFrame,
  helloFrame,
  invalidSessionFrame,
  memberPayload,
  readyPayload,
} from "./payloads.ts";
import { RecordingLog } from "./recording-log.ts";
import type { World } from "./world.ts";

export interface GatewayFrameRecord {
  direction: "sent" | "received";
  connectionId: number;
  /** The shard of the connection's session (for IDENTIFY and RESUME, the one asked for); unset before. */
  shard?: number;
  op: number;
  t?: string;
  s?: number;
  d: unknown;
  time: number;
}

interface GatewayConnection {
  id: number;
  socket: WebSocket;
  session: GatewaySession | null;
}

interface GatewaySession {
  id: string;
  /** `[shard id, shard count]` from IDENTIFY; `[0, 1]` when the client did not shard. */
  shard: [number, number];
  sequence: number;
  intents: number;
  /** Dispatches by sequence, for replay on RESUME. */
  history: Array<{ sequence: number; frame: GatewayFrame }>;
  connection: GatewayConnection | null;
}

/** How many dispatches a session keeps for replay; older gaps force a fresh IDENTIFY. */
const REPLAY_HISTORY = 1000;

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** Accept connections but never say HELLO: a gateway that does not answer. */
  silent?: boolean;
  botToken?: string;
  gatewayUrl: () => string;
  /** The shard count GET /gateway/bot recommends. Default 1. */
  shards?: number;
}

/** Discord's rule: which shard of `shardCount` receives a guild's events. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** The guild a dispatch is about, or null (DMs, and anything without one: shard 0). */
function guildIdOf(event: string, data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const fields = data as Record<string, unknown>;
  const candidate = event.startsWith("GUILD_") && !("guild_id" in fields) ? fields.id : fields.guild_id;
  return typeof candidate === "string" && /^\d{1,20}$/.test(candidate) ? candidate : null;
}

function owns(session: GatewaySession, guildId: string | null): boolean {
  const [id, count] = session.shard;
  return guildId === null ? id === 0 : shardOf(guildId, count) === id;
}

export class FakeGateway {
  readonly frames = new RecordingLog<GatewayFrameRecord>(
    "gateway frames",
    (frame) =>
      `${frame.direction === "sent" ? "->" : "<-"} #${frame.connectionId}${frame.shard !== undefined && this.shardCount > 1 ? ` shard ${frame.shard}` : ""} op ${frame.op}${frame.t ? ` ${frame.t}` : ""}${frame.s ? ` s=${frame.s}` : ""}`,
  );
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, GatewaySession>();
  /** The live session of each shard id (the latest IDENTIFY or RESUME for it). */
  private readonly current = new Map<number, GatewaySession>();
  private nextConnectionId = 1;
  private acking = true;

  constructor(
    private readonly world: World,
    private readonly options: GatewayOptions,
  ) {
    this.server.on("connection", (socket) => this.accept(socket));
  }

  /** Hooked to the HTTP server's `upgrade` event; only /gateway (any query) is a gateway. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== "/gateway") {
      socket.destroy();
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit("connection", ws, request));
  }

  /** The shard count GET /gateway/bot recommends. */
  get shardCount(): number {
    return this.options.shards ?? 1;
  }

  get hasSession(): boolean {
    return this.current.size > 0;
  }

  /** Whether the shard that gets `guildId`'s events has identified. */
  hasSessionFor(guildId: string | null): boolean {
    return this.sessionsFor(guildId).length > 0;
  }

  get isConnected(): boolean {
    return (
      this.current.size > 0 &&
      [...this.current.values()].every((session) => session.connection?.socket.readyState === 1)
    );
  }

  /** Intents of the current session (shard 0's when sharded; 0 before IDENTIFY). */
  get intents(): number {
    return (this.current.get(0) ?? [...this.current.values()][0])?.intents ?? 0;
  }

  setAcking(acking: boolean): void {
    this.acking = acking;
  }

  /**
   * Sends (or, while disconnected, queues for replay) a dispatch to the shard its guild belongs to;
   * returns its sequence number in that shard's session.
   */
  dispatch(event: string, data: unknown): number {
    if (this.current.size === 0) {
      throw new Error(
        `FakeDiscord: cannot dispatch ${event} before the client has identified; await clientReady first`,
      );
    }
    const guildId = guildIdOf(event, data);
    const [session] = this.sessionsFor(guildId);
    if (!session) {
      throw new Error(
        `FakeDiscord: cannot dispatch ${event}: no shard session owns ${guildId ? `guild ${guildId}` : "DMs (shard 0)"}`,
      );
    }
    // Sessions share one shard count (see identify), so exactly one shard owns a guild.
    return this.dispatchTo(session, event, data);
  }

  /** Dispatch only when Discord would: the guild's shard has a session and it asked for `intent`. */
  dispatchForIntent(event: string, data: unknown, intent: number): void {
    for (const session of this.sessionsFor(guildIdOf(event, data))) {
      if ((session.intents & intent) === intent) this.dispatchTo(session, event, data);
    }
  }

  private sessionsFor(guildId: string | null): GatewaySession[] {
    return [...this.current.values()].filter((session) => owns(session, guildId));
  }

  private dispatchTo(session: GatewaySession, event: string, data: unknown): number {
    session.sequence += 1;
    const frame = dispatchFrame(event, session.sequence, data);
    session.history.push({ sequence: session.sequence, frame });
    if (session.history.length > REPLAY_HISTORY) session.history.shift();
    if (session.connection) this.send(session.connection, frame);
    return session.sequence;
  }

  /** Forgets every session, as Discord does after a long outage: the next RESUME is refused. */
  forgetSessions(): void {
    this.sessions.clear();
  }

  /**
   * Closes a live connection abnormally (shard 0's unless `shard` says which); code 4000 makes
   * discord.js reconnect and RESUME.
   */
  async drop(options: { code?: number; reason?: string; terminate?: boolean; shard?: number } = {}): Promise<void> {
    const connection = this.current.get(options.shard ?? 0)?.connection;
    if (!connection) {
      throw new Error(
        `FakeDiscord.dropGateway: no gateway connection is open${options.shard !== undefined ? ` for shard ${options.shard}` : ""}`,
      );
    }
    const closed = new Promise<void>((resolve) => connection.socket.once("close", () => resolve()));
    if (options.terminate) connection.socket.terminate();
    else connection.socket.close(options.code ?? GatewayCloseCodes.UnknownError, options.reason ?? "fake: dropped");
    await closed;
  }

  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    this.frames.rejectPending("stopped");
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection: GatewayConnection = { id: this.nextConnectionId++, socket, session: null };
    socket.on("message", (raw) => this.receive(connection, raw.toString()));
    socket.on("close", () => {
      if (connection.session?.connection === connection) connection.session.connection = null;
    });
    socket.on("error", () => {
      // A client vanishing mid-frame is expected in drop tests; the close handler cleans up.
    });
    if (!this.options.silent) this.send(connection, helloFrame(this.options.heartbeatIntervalMs));
  }

  private send(connection: GatewayConnection, frame: GatewayFrame): void {
    if (connection.socket.readyState !== 1) return;
    const shard = connection.session?.shard[0];
    this.frames.push({
      direction: "sent",
      connectionId: connection.id,
      ...(shard !== undefined ? { shard } : {}),
      op: frame.op,
      ...(frame.op === 0 ? { t: frame.t, s: frame.s } : {}),
      d: "d" in frame ? frame.d : undefined,
      time: Date.now(),
    });
    connection.socket.send(JSON.stringify(frame));
  }

  private receive(connection: GatewayConnection, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text);
    } catch {
      connection.socket.close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
      return;
    }
    const op = typeof payload.op === "number" ? payload.op : -1;
    const data = (payload.d ?? {}) as Record<string, unknown>;
    const shard = this.shardOfReceived(connection, op, data);
    this.frames.push({
      direction: "received",
      connectionId: connection.id,
      ...(shard !== undefined ? { shard } : {}),
      op,
      d: payload.d,
      time: Date.now(),
    });

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        if (this.acking) this.send(connection, heartbeatAckFrame());
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, data);
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, data);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        if (!connection.session) {
          connection.socket.close(GatewayCloseCodes.NotAuthenticated, "Not authenticated.");
        } else if (op === GatewayOpcodes.RequestGuildMembers) {
          this.sendMemberChunk(connection.session, data);
        }
        return;
      default:
        connection.socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
    }
  }

  private shardOfReceived(
    connection: GatewayConnection,
    op: number,
    data: Record<string, unknown>,
  ): number | undefined {
    if (connection.session) return connection.session.shard[0];
    if (op === GatewayOpcodes.Identify) return parseShard(data.shard)?.[0] ?? 0;
    if (op === GatewayOpcodes.Resume && typeof data.session_id === "string") {
      return this.sessions.get(data.session_id)?.shard[0];
    }
    return undefined;
  }

  private tokenAccepted(connection: GatewayConnection, token: unknown): boolean {
    if (this.options.botToken === undefined || token === this.options.botToken) return true;
    connection.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
    return false;
  }

  private identify(connection: GatewayConnection, data: Record<string, unknown>): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated.");
      return;
    }
    if (!this.tokenAccepted(connection, data.token)) return;
    const shard = data.shard === undefined ? ([0, 1] as [number, number]) : parseShard(data.shard);
    if (!shard) {
      connection.socket.close(GatewayCloseCodes.InvalidShard, "Invalid shard.");
      return;
    }
    const session: GatewaySession = {
      id: randomBytes(16).toString("hex"),
      shard,
      sequence: 0,
      intents: typeof data.intents === "number" ? data.intents : 0,
      history: [],
      connection,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    // A new shard count is a new deployment: sessions identified with another count stop receiving.
    for (const [id, other] of this.current) if (other.shard[1] !== shard[1]) this.current.delete(id);
    this.current.set(shard[0], session);

    const gatewayUrl = this.options.gatewayUrl();
    const guilds = [...this.world.guilds.values()].filter((guild) => owns(session, guild.id));
    this.dispatchTo(
      session,
      "READY",
      readyPayload(this.world, { sessionId: session.id, resumeGatewayUrl: gatewayUrl, shard, guilds }),
    );
    for (const guild of guilds) {
      // discord.js holds clientReady until every guild in READY is created or deleted.
      if (guild.unavailable) this.dispatchTo(session, "GUILD_DELETE", guildDeleteEventData(guild.id, true));
      else this.dispatchTo(session, "GUILD_CREATE", guildCreatePayload(this.world, guild));
    }
  }

  private resume(connection: GatewayConnection, data: Record<string, unknown>): void {
    if (!this.tokenAccepted(connection, data.token)) return;
    const session = typeof data.session_id === "string" ? this.sessions.get(data.session_id) : undefined;
    const lastSeen = typeof data.seq === "number" ? data.seq : 0;
    const oldest = session?.history[0]?.sequence ?? 1;
    if (!session || lastSeen + 1 < oldest) {
      this.send(connection, invalidSessionFrame(false));
      return;
    }
    if (lastSeen > session.sequence) {
      connection.socket.close(GatewayCloseCodes.InvalidSeq, "Invalid seq.");
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.socket.terminate();
    session.connection = connection;
    connection.session = session;
    this.current.set(session.shard[0], session);
    for (const missed of session.history.filter((entry) => entry.sequence > lastSeen)) {
      this.send(connection, missed.frame);
    }
    this.dispatchTo(session, "RESUMED", {});
  }

  private sendMemberChunk(session: GatewaySession, data: Record<string, unknown>): void {
    const guild = typeof data.guild_id === "string" ? this.world.guilds.get(data.guild_id) : undefined;
    if (!guild) return;
    const wanted = Array.isArray(data.user_ids)
      ? data.user_ids.map(String)
      : typeof data.user_ids === "string"
        ? [data.user_ids]
        : null;
    const query = typeof data.query === "string" ? data.query.toLowerCase() : "";
    const userIds = [...guild.members.keys()].filter((userId) =>
      wanted ? wanted.includes(userId) : this.world.requireUser(userId).username.startsWith(query),
    );
    this.dispatchTo(session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: userIds.map((userId) => memberPayload(this.world, guild, userId)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: wanted ? wanted.filter((userId) => !guild.members.has(userId)) : [],
      ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
    });
  }
}

/** `[id, count]` with 0 <= id < count, or null (Discord closes with 4010 Invalid shard). */
function parseShard(value: unknown): [number, number] | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const shard = [id, count] as [number, number];
  return shard[0] >= 0 && shard[0] < shard[1] ? shard : null;
}
