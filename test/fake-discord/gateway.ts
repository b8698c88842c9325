/**
 * The gateway half of the fake: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with
 * replay, and dispatches. A session outlives its connection, as on Discord, so events dispatched
 * while discord.js is reconnecting are replayed after its RESUME instead of being lost.
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
}

export class FakeGateway {
  readonly frames = new RecordingLog<GatewayFrameRecord>(
    "gateway frames",
    (frame) =>
      `${frame.direction === "sent" ? "->" : "<-"} #${frame.connectionId} op ${frame.op}${frame.t ? ` ${frame.t}` : ""}${frame.s ? ` s=${frame.s}` : ""}`,
  );
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, GatewaySession>();
  private current: GatewaySession | null = null;
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

  get hasSession(): boolean {
    return this.current !== null;
  }

  get isConnected(): boolean {
    return this.current?.connection?.socket.readyState === 1;
  }

  /** Intents of the current session (0 before IDENTIFY). */
  get intents(): number {
    return this.current?.intents ?? 0;
  }

  setAcking(acking: boolean): void {
    this.acking = acking;
  }

  /** Sends (or, while disconnected, queues for replay) a dispatch; returns its sequence number. */
  dispatch(event: string, data: unknown): number {
    const session = this.current;
    if (!session) {
      throw new Error(
        `FakeDiscord: cannot dispatch ${event} before the client has identified; await clientReady first`,
      );
    }
    session.sequence += 1;
    const frame = dispatchFrame(event, session.sequence, data);
    session.history.push({ sequence: session.sequence, frame });
    if (session.history.length > REPLAY_HISTORY) session.history.shift();
    if (session.connection) this.send(session.connection, frame);
    return session.sequence;
  }

  /** Dispatch only when Discord would: a session exists and it asked for `intent`. */
  dispatchForIntent(event: string, data: unknown, intent: number): void {
    if (this.current && (this.current.intents & intent) === intent) this.dispatch(event, data);
  }

  /** Forgets every session, as Discord does after a long outage: the next RESUME is refused. */
  forgetSessions(): void {
    this.sessions.clear();
  }

  /** Closes the live connection abnormally; code 4000 makes discord.js reconnect and RESUME. */
  async drop(options: { code?: number; reason?: string; terminate?: boolean } = {}): Promise<void> {
    const connection = this.current?.connection;
    if (!connection) throw new Error("FakeDiscord.dropGateway: no gateway connection is open");
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
    this.frames.push({
      direction: "sent",
      connectionId: connection.id,
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
    this.frames.push({ direction: "received", connectionId: connection.id, op, d: payload.d, time: Date.now() });
    const data = (payload.d ?? {}) as Record<string, unknown>;

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
          this.sendMemberChunk(data);
        }
        return;
      default:
        connection.socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
    }
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
    const shard = (Array.isArray(data.shard) ? data.shard : [0, 1]) as [number, number];
    const session: GatewaySession = {
      id: randomBytes(16).toString("hex"),
      sequence: 0,
      intents: typeof data.intents === "number" ? data.intents : 0,
      history: [],
      connection,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.current = session;

    const gatewayUrl = this.options.gatewayUrl();
    this.dispatch("READY", readyPayload(this.world, { sessionId: session.id, resumeGatewayUrl: gatewayUrl, shard }));
    for (const guild of this.world.guilds.values()) {
      // discord.js holds clientReady until every guild in READY is created or deleted.
      if (guild.unavailable) this.dispatch("GUILD_DELETE", guildDeleteEventData(guild.id, true));
      else this.dispatch("GUILD_CREATE", guildCreatePayload(this.world, guild));
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
    this.current = session;
    for (const missed of session.history.filter((entry) => entry.sequence > lastSeen)) {
      this.send(connection, missed.frame);
    }
    this.dispatch("RESUMED", {});
  }

  private sendMemberChunk(data: Record<string, unknown>): void {
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
    this.dispatch("GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: userIds.map((userId) => memberPayload(this.world, guild, userId)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: wanted ? wanted.filter((userId) => !guild.members.has(userId)) : [],
      ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
    });
  }
}
