import { closeSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import type Database from "better-sqlite3";
import { StoreWriteError } from "./errors.ts";
import { forSqlite, GapQueries, sqliteParams } from "./gaps.ts";
import { readSchemaVersion } from "./migrations.ts";
import { openDatabase } from "./open-sqlite.ts";
import { type SettingsRow, type SlotRow, toSettings, toSlot } from "./rows.ts";
import {
  type AnswerClaimResult,
  type DigestSettings,
  type DigestSettingsInput,
  type DigestSlot,
  type FeedState,
  type FileCheck,
  GUILD_TABLES,
  type PingResult,
  type PostedCopy,
  type SentSlot,
  type ShownEntry,
  type SlotClaimOrBusy,
  type Store,
  type WriteFailureKind,
} from "./types.ts";

export interface StoreOptions {
  /** The clock for the timestamps the store writes; tests pass a fixed one. */
  now?: () => Date;
}

interface FeedRow {
  etag: string | null;
  last_modified: string | null;
  fetched_at: number;
  body: string;
}

/**
 * The store in one SQLite file, for one process (the default). better-sqlite3 is synchronous and
 * answers in microseconds; a call cannot interleave with another, so claims are exactly-once without
 * locks. The methods are async only to share the Store interface with PostgreSQL.
 */
export class SqliteStore implements Store {
  readonly engine = "sqlite";
  readonly shared = false;
  private statements: ReturnType<typeof prepareStatements>;
  /** The file the connection was opened on: a different one at the path means it was replaced. */
  private identity: FileIdentity | null;
  /** Told of every failed write (the metrics count them by kind). */
  onWriteError?: (kind: WriteFailureKind) => void;
  readonly gaps = new GapQueries({
    all: async <Row>(sql: string, params: readonly unknown[]) => this.prepared(sql).all(sqliteParams(params)) as Row[],
    run: async (sql: string, params: readonly unknown[]) =>
      this.write(() => this.prepared(sql).run(sqliteParams(params)).changes),
  });
  private readonly statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

  private constructor(
    private db: Database.Database,
    readonly path: string,
    private readonly now: () => Date,
    private readonly dataDir: string,
  ) {
    this.statements = prepareStatements(db);
    this.identity = fileIdentity(path);
  }

  /** Opens (creating if needed) and migrates `<dataDir>/stackbot.sqlite`; throws StoreError. */
  static open(dataDir: string, options: StoreOptions = {}): SqliteStore {
    const { db, file } = openDatabase(dataDir);
    return new SqliteStore(db, file, options.now ?? (() => new Date()), dataDir);
  }

  get location(): string {
    return this.path;
  }

  async schemaVersion(): Promise<number> {
    return readSchemaVersion(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * Checks that the file at the path is still the one the connection writes to. When it was deleted
   * or replaced (or its header overwritten) the open connection still holds the data: it is copied
   * back to the path, the connection reopened on the copy, and what happened returned for the log.
   */
  checkFile(): FileCheck {
    const now = fileIdentity(this.path);
    const problem = !now
      ? "deleted"
      : this.identity && (now.dev !== this.identity.dev || now.ino !== this.identity.ino)
        ? "replaced"
        : !hasSqliteHeader(this.path)
          ? "overwritten"
          : null;
    if (!problem) return { status: "ok" };
    const copy = `${this.path}.restoring-${process.pid}`;
    try {
      rmSync(copy, { force: true });
      // VACUUM INTO copies every page the connection can read, in one synchronous step.
      this.db.prepare("VACUUM INTO ?").run(copy);
    } catch (error) {
      rmSync(copy, { force: true });
      return { status: "lost", problem, error: error instanceof Error ? error.message : String(error) };
    }
    this.db.close();
    const movedAside = problem === "deleted" ? null : `${this.path}.${problem}-${Date.now()}`;
    if (movedAside) renameSync(this.path, movedAside);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${this.path}${suffix}`, { force: true });
    renameSync(copy, this.path);
    this.db = openDatabase(this.dataDir).db;
    this.statements = prepareStatements(this.db);
    this.identity = fileIdentity(this.path);
    return { status: "restored", problem, movedAside };
  }

  /** Whether the database answers a query: what `GET /healthz` reports. */
  async ping(): Promise<PingResult> {
    try {
      this.db.prepare("SELECT 1").get();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  // Digest settings

  async getDigest(guildId: string): Promise<DigestSettings | null> {
    const row = this.statements.getDigest.get({ guildId });
    return row ? toSettings(row) : null;
  }

  async listEnabledDigests(): Promise<DigestSettings[]> {
    return this.statements.listEnabledDigests.all().map(toSettings);
  }

  /** Creates or replaces the guild's digest and turns it on, clearing any earlier reason or error. */
  async setDigest(input: DigestSettingsInput): Promise<DigestSettings> {
    this.write(() => this.statements.setDigest.run({ ...input, now: this.timestamp() }));
    return toSettings(this.statements.getDigest.get({ guildId: input.guildId })!);
  }

  /** Someone turned it off: no reason to show. */
  async turnOffDigest(guildId: string): Promise<boolean> {
    return this.write(
      () => this.statements.disableDigest.run({ guildId, reason: null, now: this.timestamp() }).changes > 0,
    );
  }

  /** The bot turned it off because it cannot post (channel gone, permission missing). */
  async disableDigest(guildId: string, reason: string): Promise<boolean> {
    return this.write(() => this.statements.disableDigest.run({ guildId, reason, now: this.timestamp() }).changes > 0);
  }

  async recordDigestError(guildId: string, message: string): Promise<boolean> {
    return this.write(
      () => this.statements.recordDigestError.run({ guildId, message, now: this.timestamp() }).changes > 0,
    );
  }

  // Exactly-once digest slots

  async claimSlot(guildId: string, localDate: string, nonce: string, leaseMs = 0): Promise<SlotClaimOrBusy> {
    return this.write(() =>
      this.db
        .transaction((): SlotClaimOrBusy => {
          const now = this.now();
          const inserted = this.statements.claimSlot.run({ guildId, localDate, nonce, now: now.toISOString() });
          if (inserted.changes > 0) return { status: "claimed", nonce };
          const row = this.statements.getSlot.get({ guildId, localDate })!;
          if (row.state !== "claimed") return toClaim(row);
          const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
          if (leaseMs > 0 && row.claimed_at > staleBefore) return { status: "in-progress", claimedAt: row.claimed_at };
          this.statements.renewClaim.run({ guildId, localDate, now: now.toISOString() });
          return { status: "claimed-before", nonce: row.nonce! };
        })
        .immediate(),
    );
  }

  /** Records the posted message; false when the slot was already marked sent (the first message stays). */
  async markSent(guildId: string, localDate: string, messageId: string): Promise<boolean> {
    return this.write(
      () => this.statements.markSent.run({ guildId, localDate, messageId, now: this.timestamp() }).changes > 0,
    );
  }

  /** Records that the day was skipped; false when the slot was already sent or skipped. */
  async markSkipped(guildId: string, localDate: string, reason: string): Promise<boolean> {
    return this.write(
      () => this.statements.markSkipped.run({ guildId, localDate, reason, now: this.timestamp() }).changes > 0,
    );
  }

  async getSlot(guildId: string, localDate: string): Promise<DigestSlot | null> {
    const row = this.statements.getSlot.get({ guildId, localDate });
    return row ? toSlot(row) : null;
  }

  async lastSentSlot(guildId: string): Promise<SentSlot | null> {
    const row = this.statements.lastSentSlot.get({ guildId });
    return row ? { localDate: row.local_date, messageId: row.message_id, sentAt: row.sent_at } : null;
  }

  // What the digest has shown, so it rotates instead of repeating

  /** Remembers that an entry was shown; showing it again moves it to the newest date. */
  async recordShown(guildId: string, kind: string, entryId: string, localDate: string): Promise<void> {
    this.write(() => {
      this.statements.recordShown.run({ guildId, kind, entryId, localDate });
    });
  }

  /** Least recently shown first. */
  async listShown(guildId: string, kind: string): Promise<ShownEntry[]> {
    return this.statements.listShown
      .all({ guildId, kind })
      .map((row) => ({ entryId: row.entry_id, localDate: row.local_date }));
  }

  // Auto-answer channels and the threads already answered

  async setAutoAnswer(guildId: string, channelId: string): Promise<void> {
    this.write(() => {
      this.statements.setAutoAnswer.run({ guildId, channelId });
    });
  }

  /** Removes one channel, or all of the guild's when no channel is given; returns how many. */
  async removeAutoAnswer(guildId: string, channelId?: string): Promise<number> {
    return this.write(() =>
      channelId === undefined
        ? this.statements.removeGuildAutoAnswers.run({ guildId }).changes
        : this.statements.removeAutoAnswer.run({ guildId, channelId }).changes,
    );
  }

  async isAutoAnswerChannel(channelId: string): Promise<boolean> {
    return this.statements.isAutoAnswerChannel.get({ channelId }) !== undefined;
  }

  async listAutoAnswerChannels(guildId: string): Promise<string[]> {
    return this.statements.listAutoAnswerChannels.all({ guildId }).map((row) => row.channel_id);
  }

  /** True only for the first call for a thread, so a thread is answered once even across restarts. */
  async claimThreadAnswer(threadId: string, guildId: string): Promise<boolean> {
    return this.write(
      () => this.statements.claimThreadAnswer.run({ threadId, guildId, now: this.timestamp() }).changes > 0,
    );
  }

  async markInteractionSeen(interactionId: string, now: number): Promise<boolean> {
    return this.write(() => this.statements.markInteractionSeen.run({ interactionId, now }).changes > 0);
  }

  async forgetInteractionsBefore(cutoff: number): Promise<void> {
    this.write(() => this.statements.forgetInteractionsBefore.run({ cutoff }));
  }

  // News feed cache

  async getFeedState(url: string): Promise<FeedState | null> {
    const row = this.statements.getFeedState.get({ url });
    return row ? { etag: row.etag, lastModified: row.last_modified, fetchedAt: row.fetched_at, body: row.body } : null;
  }

  async saveFeedState(url: string, state: FeedState): Promise<void> {
    this.write(() => {
      this.statements.saveFeedState.run({ url, ...state });
    });
  }

  async claimFeedFetch(url: string, now: number, minIntervalMs: number): Promise<boolean> {
    return this.write(() => this.statements.claimFeedFetch.run({ url, now, cutoff: now - minIntervalMs }).changes > 0);
  }

  async claimAnswer(channelId: string, key: string, now: number, windowMs: number): Promise<AnswerClaimResult> {
    return this.write(() =>
      this.db
        .transaction((): AnswerClaimResult => {
          const claimed = this.statements.claimAnswer.run({ channelId, key, now, cutoff: now - windowMs });
          if (claimed.changes > 0) return { status: "claimed" };
          const row = this.statements.getAnswerClaim.get({ channelId, key });
          return {
            status: "posted",
            messageId: row?.message_id ?? null,
            interactionToken: row?.interaction_token ?? null,
          };
        })
        .immediate(),
    );
  }

  async settleAnswer(channelId: string, key: string, copy: PostedCopy): Promise<void> {
    this.write(() =>
      this.statements.settleAnswer.run({
        channelId,
        key,
        messageId: copy.messageId,
        token: copy.interactionToken,
      }),
    );
  }

  async releaseAnswer(channelId: string, key: string): Promise<void> {
    this.write(() => this.statements.releaseAnswer.run({ channelId, key }));
  }

  async forgetAnswersBefore(cutoff: number): Promise<void> {
    this.write(() => this.statements.forgetAnswersBefore.run({ cutoff }));
  }

  /** Deletes every row of the guild (the bot left it); returns how many. */
  async forgetGuild(guildId: string): Promise<number> {
    return this.write(() =>
      this.db.transaction(() =>
        this.statements.forgetGuild.reduce((total, statement) => total + statement.run({ guildId }).changes, 0),
      )(),
    );
  }

  /**
   * Runs a write, turning SQLite's failure into a StoreWriteError that names the file and the cause
   * in words ("the disk is full"), and tells the operator's counter.
   */
  /** A statement of the shared SQL, prepared once per open connection. */
  private prepared(sql: string): Database.Statement {
    let cache = this.statementCache.get(this.db);
    if (!cache) {
      cache = new Map();
      this.statementCache.set(this.db, cache);
    }
    let statement = cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(forSqlite(sql));
      cache.set(sql, statement);
    }
    return statement;
  }

  private write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      const failure = StoreWriteError.from(error, this.path);
      this.onWriteError?.(failure.kind);
      throw failure;
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function fileIdentity(path: string): FileIdentity | null {
  try {
    const stats = statSync(path);
    return { dev: stats.dev, ino: stats.ino };
  } catch {
    return null;
  }
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

function hasSqliteHeader(path: string): boolean {
  try {
    const handle = openSync(path, "r");
    try {
      const header = Buffer.alloc(SQLITE_HEADER.length);
      const read = readSync(handle, header, 0, header.length, 0);
      // A database with no page written yet is empty; that is not damage.
      return read === 0 || header.equals(SQLITE_HEADER);
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}

function prepareStatements(db: Database.Database) {
  return {
    getDigest: db.prepare<{ guildId: string }, SettingsRow>("SELECT * FROM digest_settings WHERE guild_id = @guildId"),
    listEnabledDigests: db.prepare<[], SettingsRow>(
      "SELECT * FROM digest_settings WHERE enabled = 1 ORDER BY guild_id",
    ),
    setDigest: db.prepare<DigestSettingsInput & { now: string }>(`
      INSERT INTO digest_settings (guild_id, channel_id, time, timezone, enabled, disabled_reason, last_error, updated_at)
      VALUES (@guildId, @channelId, @time, @timezone, 1, NULL, NULL, @now)
      ON CONFLICT (guild_id) DO UPDATE SET
        channel_id = excluded.channel_id, time = excluded.time, timezone = excluded.timezone,
        enabled = 1, disabled_reason = NULL, last_error = NULL, updated_at = excluded.updated_at`),
    disableDigest: db.prepare<{ guildId: string; reason: string | null; now: string }>(
      "UPDATE digest_settings SET enabled = 0, disabled_reason = @reason, updated_at = @now WHERE guild_id = @guildId",
    ),
    recordDigestError: db.prepare<{ guildId: string; message: string; now: string }>(
      "UPDATE digest_settings SET last_error = @message, updated_at = @now WHERE guild_id = @guildId",
    ),
    claimSlot: db.prepare<{ guildId: string; localDate: string; nonce: string; now: string }>(`
      INSERT OR IGNORE INTO digest_slots (guild_id, local_date, nonce, state, claimed_at)
      VALUES (@guildId, @localDate, @nonce, 'claimed', @now)`),
    markSent: db.prepare<{ guildId: string; localDate: string; messageId: string; now: string }>(`
      INSERT INTO digest_slots (guild_id, local_date, state, message_id, claimed_at, sent_at)
      VALUES (@guildId, @localDate, 'sent', @messageId, @now, @now)
      ON CONFLICT (guild_id, local_date) DO UPDATE SET
        state = 'sent', message_id = excluded.message_id, reason = NULL, sent_at = excluded.sent_at
      WHERE digest_slots.state <> 'sent'`),
    markSkipped: db.prepare<{ guildId: string; localDate: string; reason: string; now: string }>(`
      INSERT INTO digest_slots (guild_id, local_date, state, reason, claimed_at)
      VALUES (@guildId, @localDate, 'skipped', @reason, @now)
      ON CONFLICT (guild_id, local_date) DO UPDATE SET state = 'skipped', reason = excluded.reason
      WHERE digest_slots.state = 'claimed'`),
    renewClaim: db.prepare<{ guildId: string; localDate: string; now: string }>(
      "UPDATE digest_slots SET claimed_at = @now WHERE guild_id = @guildId AND local_date = @localDate AND state = 'claimed'",
    ),
    getSlot: db.prepare<{ guildId: string; localDate: string }, SlotRow>(
      "SELECT * FROM digest_slots WHERE guild_id = @guildId AND local_date = @localDate",
    ),
    lastSentSlot: db.prepare<{ guildId: string }, { local_date: string; message_id: string; sent_at: string }>(`
      SELECT local_date, message_id, sent_at FROM digest_slots
      WHERE guild_id = @guildId AND state = 'sent'
      ORDER BY local_date DESC, sent_at DESC LIMIT 1`),
    recordShown: db.prepare<{ guildId: string; kind: string; entryId: string; localDate: string }>(`
      INSERT INTO digest_shown (guild_id, kind, entry_id, local_date) VALUES (@guildId, @kind, @entryId, @localDate)
      ON CONFLICT (guild_id, kind, entry_id) DO UPDATE SET local_date = excluded.local_date`),
    listShown: db.prepare<{ guildId: string; kind: string }, { entry_id: string; local_date: string }>(`
      SELECT entry_id, local_date FROM digest_shown WHERE guild_id = @guildId AND kind = @kind
      ORDER BY local_date, rowid`),
    setAutoAnswer: db.prepare<{ guildId: string; channelId: string }>(`
      INSERT INTO autoanswer_channels (guild_id, channel_id) VALUES (@guildId, @channelId)
      ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id`),
    removeAutoAnswer: db.prepare<{ guildId: string; channelId: string }>(
      "DELETE FROM autoanswer_channels WHERE guild_id = @guildId AND channel_id = @channelId",
    ),
    removeGuildAutoAnswers: db.prepare<{ guildId: string }>(
      "DELETE FROM autoanswer_channels WHERE guild_id = @guildId",
    ),
    isAutoAnswerChannel: db.prepare<{ channelId: string }, { found: 1 }>(
      "SELECT 1 AS found FROM autoanswer_channels WHERE channel_id = @channelId",
    ),
    listAutoAnswerChannels: db.prepare<{ guildId: string }, { channel_id: string }>(
      "SELECT channel_id FROM autoanswer_channels WHERE guild_id = @guildId ORDER BY channel_id",
    ),
    claimThreadAnswer: db.prepare<{ threadId: string; guildId: string; now: string }>(
      "INSERT OR IGNORE INTO answered_threads (thread_id, guild_id, answered_at) VALUES (@threadId, @guildId, @now)",
    ),
    markInteractionSeen: db.prepare<{ interactionId: string; now: number }>(
      "INSERT OR IGNORE INTO seen_interactions (interaction_id, seen_at) VALUES (@interactionId, @now)",
    ),
    forgetInteractionsBefore: db.prepare<{ cutoff: number }>("DELETE FROM seen_interactions WHERE seen_at < @cutoff"),
    getFeedState: db.prepare<{ url: string }, FeedRow>(
      "SELECT etag, last_modified, fetched_at, body FROM feed_state WHERE url = @url",
    ),
    saveFeedState: db.prepare<{ url: string } & FeedState>(`
      INSERT INTO feed_state (url, etag, last_modified, fetched_at, body)
      VALUES (@url, @etag, @lastModified, @fetchedAt, @body)
      ON CONFLICT (url) DO UPDATE SET
        etag = excluded.etag, last_modified = excluded.last_modified,
        fetched_at = excluded.fetched_at, body = excluded.body`),
    claimFeedFetch: db.prepare<{ url: string; now: number; cutoff: number }>(`
      INSERT INTO feed_state (url, fetched_at, body) VALUES (@url, @now, '')
      ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at
      WHERE feed_state.fetched_at <= @cutoff OR feed_state.fetched_at > @now`),
    claimAnswer: db.prepare<{ channelId: string; key: string; now: number; cutoff: number }>(`
      INSERT INTO answer_claims (channel_id, answer_key, claimed_at, message_id) VALUES (@channelId, @key, @now, NULL)
      ON CONFLICT (channel_id, answer_key) DO UPDATE SET
        claimed_at = excluded.claimed_at, message_id = NULL, interaction_token = NULL
      WHERE answer_claims.claimed_at < @cutoff`),
    getAnswerClaim: db.prepare<
      { channelId: string; key: string },
      { message_id: string | null; interaction_token: string | null }
    >("SELECT message_id, interaction_token FROM answer_claims WHERE channel_id = @channelId AND answer_key = @key"),
    settleAnswer: db.prepare<{ channelId: string; key: string; messageId: string | null; token: string | null }>(
      `UPDATE answer_claims SET message_id = @messageId, interaction_token = @token
       WHERE channel_id = @channelId AND answer_key = @key`,
    ),
    releaseAnswer: db.prepare<{ channelId: string; key: string }>(
      "DELETE FROM answer_claims WHERE channel_id = @channelId AND answer_key = @key",
    ),
    forgetAnswersBefore: db.prepare<{ cutoff: number }>("DELETE FROM answer_claims WHERE claimed_at < @cutoff"),
    // Table names come from a constant, never from input.
    forgetGuild: GUILD_TABLES.map((table) =>
      db.prepare<{ guildId: string }>(`DELETE FROM ${table} WHERE guild_id = @guildId`),
    ),
  };
}

/** The table's CHECK constraints guarantee the column each state needs. */
function toClaim(row: SlotRow): SlotClaimOrBusy {
  switch (row.state) {
    case "claimed":
      return { status: "claimed-before", nonce: row.nonce! };
    case "sent":
      return { status: "sent", messageId: row.message_id! };
    case "skipped":
      return { status: "skipped", reason: row.reason! };
  }
}
