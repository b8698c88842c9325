import type pg from "pg";
import { StoreWriteError } from "./errors.ts";
import { GapQueries } from "./gaps.ts";
import { openPostgres, readPostgresVersion, redactUrl } from "./open-postgres.ts";
import { type SettingsRow, type SlotRow, toSettings, toSlot } from "./rows.ts";
import {
  type AnswerClaimResult,
  type DigestSettings,
  type DigestSettingsInput,
  type DigestSlot,
  type FeedState,
  GUILD_TABLES,
  type PingResult,
  type PostedCopy,
  type SentSlot,
  type ShownEntry,
  type SlotClaimOrBusy,
  type Store,
  type WriteFailureKind,
} from "./types.ts";

export interface PostgresStoreOptions {
  /** The clock for the timestamps the store writes; tests pass a fixed one. */
  now?: () => Date;
  poolSize?: number;
}

/**
 * The store in PostgreSQL, shared by any number of instances. Every claim is one statement that
 * the database decides (a unique key with ON CONFLICT, or a conditional UPDATE under its row
 * lock), so two instances racing for the same digest day, thread or feed fetch get one winner.
 */
export class PostgresStore implements Store {
  readonly engine = "postgres";
  readonly shared = true;
  onWriteError?: (kind: WriteFailureKind) => void;

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly now: () => Date,
  ) {}

  /** Connects and migrates; throws a StoreError naming what to fix. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = await openPostgres(url, options.poolSize);
    return new PostgresStore(pool, redactUrl(url), options.now ?? (() => new Date()));
  }

  async schemaVersion(): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await readPostgresVersion(client);
    } finally {
      client.release();
    }
  }

  readonly gaps = new GapQueries({
    all: async <Row>(sql: string, params: readonly unknown[]) =>
      (await this.pool.query(sql, [...params])).rows as Row[],
    run: async (sql: string, params: readonly unknown[]) => (await this.run(sql, [...params])).rowCount ?? 0,
  });

  async ping(): Promise<PingResult> {
    try {
      await this.pool.query("SELECT 1");
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  // Digest settings

  async getDigest(guildId: string): Promise<DigestSettings | null> {
    const { rows } = await this.pool.query<SettingsRow>("SELECT * FROM digest_settings WHERE guild_id = $1", [guildId]);
    return rows[0] ? toSettings(rows[0]) : null;
  }

  async listEnabledDigests(): Promise<DigestSettings[]> {
    const { rows } = await this.pool.query<SettingsRow>(
      "SELECT * FROM digest_settings WHERE enabled = 1 ORDER BY guild_id",
    );
    return rows.map(toSettings);
  }

  async setDigest(input: DigestSettingsInput): Promise<DigestSettings> {
    const rows = await this.write<SettingsRow>(
      `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, enabled, disabled_reason, last_error, updated_at)
       VALUES ($1, $2, $3, $4, 1, NULL, NULL, $5)
       ON CONFLICT (guild_id) DO UPDATE SET
         channel_id = excluded.channel_id, time = excluded.time, timezone = excluded.timezone,
         enabled = 1, disabled_reason = NULL, last_error = NULL, updated_at = excluded.updated_at
       RETURNING *`,
      [input.guildId, input.channelId, input.time, input.timezone, this.timestamp()],
    );
    return toSettings(rows[0]!);
  }

  async turnOffDigest(guildId: string): Promise<boolean> {
    return this.disable(guildId, null);
  }

  async disableDigest(guildId: string, reason: string): Promise<boolean> {
    return this.disable(guildId, reason);
  }

  private async disable(guildId: string, reason: string | null): Promise<boolean> {
    return this.changed(
      "UPDATE digest_settings SET enabled = 0, disabled_reason = $2, updated_at = $3 WHERE guild_id = $1",
      [guildId, reason, this.timestamp()],
    );
  }

  async recordDigestError(guildId: string, message: string): Promise<boolean> {
    return this.changed("UPDATE digest_settings SET last_error = $2, updated_at = $3 WHERE guild_id = $1", [
      guildId,
      message,
      this.timestamp(),
    ]);
  }

  // Exactly-once digest slots

  async claimSlot(guildId: string, localDate: string, nonce: string, leaseMs = 0): Promise<SlotClaimOrBusy> {
    const now = this.now();
    const inserted = await this.write<{ nonce: string }>(
      `INSERT INTO digest_slots (guild_id, local_date, nonce, state, claimed_at) VALUES ($1, $2, $3, 'claimed', $4)
       ON CONFLICT DO NOTHING RETURNING nonce`,
      [guildId, localDate, nonce, now.toISOString()],
    );
    if (inserted.length > 0) return { status: "claimed", nonce };
    // A stale claim is taken over by whoever updates it first: the row lock lets one caller through.
    const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
    const taken = await this.write<{ nonce: string }>(
      `UPDATE digest_slots SET claimed_at = $3
       WHERE guild_id = $1 AND local_date = $2 AND state = 'claimed' AND ($5 OR claimed_at <= $4)
       RETURNING nonce`,
      [guildId, localDate, now.toISOString(), staleBefore, leaseMs <= 0],
    );
    if (taken[0]) return { status: "claimed-before", nonce: taken[0].nonce };
    const row = await this.slotRow(guildId, localDate);
    if (!row) return this.claimSlot(guildId, localDate, nonce, leaseMs);
    if (row.state === "claimed") return { status: "in-progress", claimedAt: row.claimed_at };
    return row.state === "sent"
      ? { status: "sent", messageId: row.message_id! }
      : { status: "skipped", reason: row.reason! };
  }

  async markSent(guildId: string, localDate: string, messageId: string): Promise<boolean> {
    const now = this.timestamp();
    return this.changed(
      `INSERT INTO digest_slots (guild_id, local_date, state, message_id, claimed_at, sent_at)
       VALUES ($1, $2, 'sent', $3, $4, $4)
       ON CONFLICT (guild_id, local_date) DO UPDATE SET
         state = 'sent', message_id = excluded.message_id, reason = NULL, sent_at = excluded.sent_at
       WHERE digest_slots.state <> 'sent'`,
      [guildId, localDate, messageId, now],
    );
  }

  async markSkipped(guildId: string, localDate: string, reason: string): Promise<boolean> {
    return this.changed(
      `INSERT INTO digest_slots (guild_id, local_date, state, reason, claimed_at) VALUES ($1, $2, 'skipped', $3, $4)
       ON CONFLICT (guild_id, local_date) DO UPDATE SET state = 'skipped', reason = excluded.reason
       WHERE digest_slots.state = 'claimed'`,
      [guildId, localDate, reason, this.timestamp()],
    );
  }

  async getSlot(guildId: string, localDate: string): Promise<DigestSlot | null> {
    const row = await this.slotRow(guildId, localDate);
    return row ? toSlot(row) : null;
  }

  private async slotRow(guildId: string, localDate: string): Promise<SlotRow | undefined> {
    const { rows } = await this.pool.query<SlotRow>(
      "SELECT * FROM digest_slots WHERE guild_id = $1 AND local_date = $2",
      [guildId, localDate],
    );
    return rows[0];
  }

  async lastSentSlot(guildId: string): Promise<SentSlot | null> {
    const { rows } = await this.pool.query<{ local_date: string; message_id: string; sent_at: string }>(
      `SELECT local_date, message_id, sent_at FROM digest_slots WHERE guild_id = $1 AND state = 'sent'
       ORDER BY local_date DESC, sent_at DESC LIMIT 1`,
      [guildId],
    );
    const row = rows[0];
    return row ? { localDate: row.local_date, messageId: row.message_id, sentAt: row.sent_at } : null;
  }

  // What the digest has shown

  async recordShown(guildId: string, kind: string, entryId: string, localDate: string): Promise<void> {
    await this.write(
      `INSERT INTO digest_shown (guild_id, kind, entry_id, local_date) VALUES ($1, $2, $3, $4)
       ON CONFLICT (guild_id, kind, entry_id) DO UPDATE SET local_date = excluded.local_date`,
      [guildId, kind, entryId, localDate],
    );
  }

  async listShown(guildId: string, kind: string): Promise<ShownEntry[]> {
    const { rows } = await this.pool.query<{ entry_id: string; local_date: string }>(
      "SELECT entry_id, local_date FROM digest_shown WHERE guild_id = $1 AND kind = $2 ORDER BY local_date, seq",
      [guildId, kind],
    );
    return rows.map((row) => ({ entryId: row.entry_id, localDate: row.local_date }));
  }

  // Auto-answer channels and the threads already answered

  async setAutoAnswer(guildId: string, channelId: string): Promise<void> {
    await this.write(
      `INSERT INTO autoanswer_channels (guild_id, channel_id) VALUES ($1, $2)
       ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id`,
      [guildId, channelId],
    );
  }

  async removeAutoAnswer(guildId: string, channelId?: string): Promise<number> {
    const result =
      channelId === undefined
        ? await this.run("DELETE FROM autoanswer_channels WHERE guild_id = $1", [guildId])
        : await this.run("DELETE FROM autoanswer_channels WHERE guild_id = $1 AND channel_id = $2", [
            guildId,
            channelId,
          ]);
    return result.rowCount ?? 0;
  }

  async isAutoAnswerChannel(channelId: string): Promise<boolean> {
    const { rows } = await this.pool.query("SELECT 1 FROM autoanswer_channels WHERE channel_id = $1", [channelId]);
    return rows.length > 0;
  }

  async listAutoAnswerChannels(guildId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ channel_id: string }>(
      "SELECT channel_id FROM autoanswer_channels WHERE guild_id = $1 ORDER BY channel_id",
      [guildId],
    );
    return rows.map((row) => row.channel_id);
  }

  async claimThreadAnswer(threadId: string, guildId: string): Promise<boolean> {
    return this.changed(
      "INSERT INTO answered_threads (thread_id, guild_id, answered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [threadId, guildId, this.timestamp()],
    );
  }

  async markInteractionSeen(interactionId: string, now: number): Promise<boolean> {
    return this.changed(
      "INSERT INTO seen_interactions (interaction_id, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [interactionId, now],
    );
  }

  async forgetInteractionsBefore(cutoff: number): Promise<void> {
    await this.run("DELETE FROM seen_interactions WHERE seen_at < $1", [cutoff]);
  }

  // News feed cache

  async getFeedState(url: string): Promise<FeedState | null> {
    const { rows } = await this.pool.query<{
      etag: string | null;
      last_modified: string | null;
      fetched_at: string;
      body: string;
    }>("SELECT etag, last_modified, fetched_at, body FROM feed_state WHERE url = $1", [url]);
    const row = rows[0];
    return row
      ? { etag: row.etag, lastModified: row.last_modified, fetchedAt: Number(row.fetched_at), body: row.body }
      : null;
  }

  async saveFeedState(url: string, state: FeedState): Promise<void> {
    await this.write(
      `INSERT INTO feed_state (url, etag, last_modified, fetched_at, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (url) DO UPDATE SET
         etag = excluded.etag, last_modified = excluded.last_modified,
         fetched_at = excluded.fetched_at, body = excluded.body`,
      [url, state.etag, state.lastModified, state.fetchedAt, state.body],
    );
  }

  async claimFeedFetch(url: string, now: number, minIntervalMs: number): Promise<boolean> {
    return this.changed(
      `INSERT INTO feed_state (url, fetched_at, body) VALUES ($1, $2, '')
       ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at
       WHERE feed_state.fetched_at <= $3 OR feed_state.fetched_at > $2`,
      [url, now, now - minIntervalMs],
    );
  }

  async claimAnswer(channelId: string, key: string, now: number, windowMs: number): Promise<AnswerClaimResult> {
    const claimed = await this.changed(
      `INSERT INTO answer_claims (channel_id, answer_key, claimed_at, message_id) VALUES ($1, $2, $3, NULL)
       ON CONFLICT (channel_id, answer_key) DO UPDATE SET
         claimed_at = excluded.claimed_at, message_id = NULL, interaction_token = NULL
       WHERE answer_claims.claimed_at < $4`,
      [channelId, key, now, now - windowMs],
    );
    if (claimed) return { status: "claimed" };
    const { rows } = await this.pool.query<{ message_id: string | null; interaction_token: string | null }>(
      "SELECT message_id, interaction_token FROM answer_claims WHERE channel_id = $1 AND answer_key = $2",
      [channelId, key],
    );
    return {
      status: "posted",
      messageId: rows[0]?.message_id ?? null,
      interactionToken: rows[0]?.interaction_token ?? null,
    };
  }

  async settleAnswer(channelId: string, key: string, copy: PostedCopy): Promise<void> {
    await this.run(
      "UPDATE answer_claims SET message_id = $3, interaction_token = $4 WHERE channel_id = $1 AND answer_key = $2",
      [channelId, key, copy.messageId, copy.interactionToken],
    );
  }

  async releaseAnswer(channelId: string, key: string): Promise<void> {
    await this.run("DELETE FROM answer_claims WHERE channel_id = $1 AND answer_key = $2", [channelId, key]);
  }

  async forgetAnswersBefore(cutoff: number): Promise<void> {
    await this.run("DELETE FROM answer_claims WHERE claimed_at < $1", [cutoff]);
  }

  async forgetGuild(guildId: string): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      let total = 0;
      // Table names come from a constant, never from input.
      for (const table of GUILD_TABLES) {
        total += (await client.query(`DELETE FROM ${table} WHERE guild_id = $1`, [guildId])).rowCount ?? 0;
      }
      await client.query("COMMIT");
      return total;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw this.writeFailure(error);
    } finally {
      client.release();
    }
  }

  private async write<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<Row[]> {
    return (await this.run<Row>(sql, values)).rows;
  }

  private async changed(sql: string, values: unknown[]): Promise<boolean> {
    return ((await this.run(sql, values)).rowCount ?? 0) > 0;
  }

  /** Runs a write, turning a failure into a StoreWriteError that says why in words, and tells the counter. */
  private async run<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    try {
      return await this.pool.query<Row>(sql, values);
    } catch (error) {
      throw this.writeFailure(error);
    }
  }

  private writeFailure(error: unknown): StoreWriteError {
    const failure = StoreWriteError.from(error, this.location);
    this.onWriteError?.(failure.kind);
    return failure;
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}
