import { type Kysely, sql } from "kysely";
import { changed, type SqlAccess } from "./access.ts";
import { claim } from "./claim.ts";
import { StoreWriteError } from "./errors.ts";
import { GapQueries } from "./gaps.ts";
import { schemaVersion } from "./migrate.ts";
import { toSettings, toSlot } from "./rows.ts";
import { type Database, GUILD_TABLES } from "./schema.ts";
import type {
  AnswerClaimResult,
  DigestSettings,
  DigestSettingsInput,
  DigestSlot,
  FeedState,
  PingResult,
  PostedCopy,
  SentSlot,
  ShownEntry,
  ShownRecord,
  SlotClaimOrBusy,
  Store,
  StoreEngine,
  WriteFailureKind,
} from "./types.ts";

export interface StoreOptions {
  /** The clock for the timestamps the store writes; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * Everything the bot remembers, in one implementation for both engines: every statement is built
 * once with Kysely and runs on SQLite or PostgreSQL alike. Every claim is decided by the database
 * (see claim.ts), so it holds across processes as well as within one. The engine's own store opens
 * the connection and says how its rows keep their insertion order.
 */
export abstract class SqlStore implements Store, SqlAccess {
  abstract readonly engine: StoreEngine;
  abstract readonly shared: boolean;
  abstract readonly location: string;
  onWriteError?: (kind: WriteFailureKind) => void;
  readonly gaps: GapQueries = new GapQueries(this);

  protected constructor(
    protected db: Kysely<Database>,
    private readonly now: () => Date,
    /** The column that orders rows as they were inserted: SQLite's rowid, PostgreSQL's identity. */
    private readonly insertionOrder: "rowid" | "seq",
  ) {}

  async schemaVersion(): Promise<number> {
    return schemaVersion(this.db, this.engine);
  }

  /** Whether the database answers a query: what `GET /healthz` reports. */
  async ping(): Promise<PingResult> {
    try {
      await sql`SELECT 1`.execute(this.db);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // Digest settings

  async getDigest(guildId: string): Promise<DigestSettings | null> {
    const row = await this.db
      .selectFrom("digest_settings")
      .selectAll()
      .where("guild_id", "=", guildId)
      .executeTakeFirst();
    return row ? toSettings(row) : null;
  }

  async listEnabledDigests(): Promise<DigestSettings[]> {
    const rows = await this.db
      .selectFrom("digest_settings")
      .selectAll()
      .where("enabled", "=", 1)
      .orderBy("guild_id")
      .execute();
    return rows.map(toSettings);
  }

  async setDigest(input: DigestSettingsInput): Promise<DigestSettings> {
    const row = await this.write((db) =>
      db
        .insertInto("digest_settings")
        .values({
          guild_id: input.guildId,
          channel_id: input.channelId,
          time: input.time,
          timezone: input.timezone,
          enabled: 1,
          disabled_reason: null,
          last_error: null,
          updated_at: this.timestamp(),
        })
        .onConflict((conflict) =>
          conflict.column("guild_id").doUpdateSet((eb) => ({
            channel_id: eb.ref("excluded.channel_id"),
            time: eb.ref("excluded.time"),
            timezone: eb.ref("excluded.timezone"),
            enabled: 1,
            disabled_reason: null,
            last_error: null,
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    await this.digestSettingsChanged();
    return toSettings(row);
  }

  async turnOffDigest(guildId: string): Promise<boolean> {
    return this.disable(guildId, null);
  }

  async disableDigest(guildId: string, reason: string): Promise<boolean> {
    return this.disable(guildId, reason);
  }

  async disableDigestFrom(guildId: string, localDate: string, reason: string): Promise<void> {
    await this.write((db) =>
      db.transaction().execute(async (trx) => {
        await this.disableIn(trx, guildId, reason);
        await this.markSkippedIn(trx, guildId, localDate, reason);
      }),
    );
    await this.digestSettingsChanged();
  }

  private async disable(guildId: string, reason: string | null): Promise<boolean> {
    const disabled = await this.write((db) => this.disableIn(db, guildId, reason));
    await this.digestSettingsChanged();
    return disabled;
  }

  /**
   * Called after digest settings were written: a store other instances share tells them (PostgreSQL);
   * a store one process owns has no one to tell.
   */
  protected async digestSettingsChanged(): Promise<void> {}

  private async disableIn(db: Kysely<Database>, guildId: string, reason: string | null): Promise<boolean> {
    const result = await db
      .updateTable("digest_settings")
      .set({ enabled: 0, disabled_reason: reason, updated_at: this.timestamp() })
      .where("guild_id", "=", guildId)
      .executeTakeFirst();
    return changed(result) > 0;
  }

  async recordDigestError(guildId: string, message: string): Promise<boolean> {
    const result = await this.write((db) =>
      db
        .updateTable("digest_settings")
        .set({ last_error: message, updated_at: this.timestamp() })
        .where("guild_id", "=", guildId)
        .executeTakeFirst(),
    );
    return changed(result) > 0;
  }

  // Exactly-once digest slots

  async claimSlot(guildId: string, localDate: string, nonce: string, leaseMs = 0): Promise<SlotClaimOrBusy> {
    const now = this.now();
    const claimedAt = now.toISOString();
    const staleFrom = new Date(now.getTime() - Math.max(leaseMs, 0)).toISOString();
    const outcome = await claim({
      insert: async () => {
        const result = await this.write((db) =>
          db
            .insertInto("digest_slots")
            .values({ guild_id: guildId, local_date: localDate, nonce, state: "claimed", claimed_at: claimedAt })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst(),
        );
        return changed(result) > 0;
      },
      takeOver: () =>
        this.write((db) =>
          db
            .updateTable("digest_slots")
            .set({ claimed_at: claimedAt })
            .where("guild_id", "=", guildId)
            .where("local_date", "=", localDate)
            .where("state", "=", "claimed")
            .where("claimed_at", "<=", staleFrom)
            .returningAll()
            .executeTakeFirst(),
        ),
      read: () => this.slotRow(guildId, localDate),
    });
    if (outcome.won === "inserted") return { status: "claimed", nonce };
    const { row } = outcome;
    if (outcome.won === "taken-over") return { status: "claimed-before", nonce: row.nonce! };
    // The table's CHECK constraints guarantee the column each state needs.
    switch (row.state) {
      case "claimed":
        return { status: "in-progress", claimedAt: row.claimed_at };
      case "sent":
        return { status: "sent", messageId: row.message_id! };
      case "skipped":
        return { status: "skipped", reason: row.reason! };
    }
  }

  async markSent(guildId: string, localDate: string, messageId: string): Promise<boolean> {
    return this.write((db) => this.markSentIn(db, guildId, localDate, messageId));
  }

  async recordSent(
    guildId: string,
    localDate: string,
    messageId: string,
    shown: readonly ShownRecord[],
  ): Promise<boolean> {
    return this.write((db) =>
      db.transaction().execute(async (trx) => {
        // The first message recorded keeps its day, and the entries it showed were recorded with it.
        if (!(await this.markSentIn(trx, guildId, localDate, messageId))) return false;
        for (const entry of shown) await this.recordShownIn(trx, guildId, entry.kind, entry.entryId, localDate);
        return true;
      }),
    );
  }

  private async markSentIn(
    db: Kysely<Database>,
    guildId: string,
    localDate: string,
    messageId: string,
  ): Promise<boolean> {
    const now = this.timestamp();
    const result = await db
      .insertInto("digest_slots")
      .values({
        guild_id: guildId,
        local_date: localDate,
        state: "sent",
        message_id: messageId,
        claimed_at: now,
        sent_at: now,
      })
      .onConflict((conflict) =>
        conflict
          .columns(["guild_id", "local_date"])
          .doUpdateSet((eb) => ({
            state: "sent",
            message_id: eb.ref("excluded.message_id"),
            reason: null,
            sent_at: eb.ref("excluded.sent_at"),
          }))
          .where("digest_slots.state", "<>", "sent"),
      )
      .executeTakeFirst();
    return changed(result) > 0;
  }

  async markSkipped(guildId: string, localDate: string, reason: string): Promise<boolean> {
    return this.write((db) => this.markSkippedIn(db, guildId, localDate, reason));
  }

  private async markSkippedIn(
    db: Kysely<Database>,
    guildId: string,
    localDate: string,
    reason: string,
  ): Promise<boolean> {
    const result = await db
      .insertInto("digest_slots")
      .values({ guild_id: guildId, local_date: localDate, state: "skipped", reason, claimed_at: this.timestamp() })
      .onConflict((conflict) =>
        conflict
          .columns(["guild_id", "local_date"])
          .doUpdateSet((eb) => ({ state: "skipped", reason: eb.ref("excluded.reason") }))
          .where("digest_slots.state", "=", "claimed"),
      )
      .executeTakeFirst();
    return changed(result) > 0;
  }

  async getSlot(guildId: string, localDate: string): Promise<DigestSlot | null> {
    const row = await this.slotRow(guildId, localDate);
    return row ? toSlot(row) : null;
  }

  private slotRow(guildId: string, localDate: string) {
    return this.db
      .selectFrom("digest_slots")
      .selectAll()
      .where("guild_id", "=", guildId)
      .where("local_date", "=", localDate)
      .executeTakeFirst();
  }

  async lastSentSlot(guildId: string): Promise<SentSlot | null> {
    const row = await this.db
      .selectFrom("digest_slots")
      .select(["local_date", "message_id", "sent_at"])
      .where("guild_id", "=", guildId)
      .where("state", "=", "sent")
      .orderBy("local_date", "desc")
      .orderBy("sent_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? { localDate: row.local_date, messageId: row.message_id!, sentAt: row.sent_at! } : null;
  }

  // What the digest has shown, so it rotates instead of repeating

  async recordShown(guildId: string, kind: string, entryId: string, localDate: string): Promise<void> {
    await this.write((db) => this.recordShownIn(db, guildId, kind, entryId, localDate));
  }

  private async recordShownIn(
    db: Kysely<Database>,
    guildId: string,
    kind: string,
    entryId: string,
    localDate: string,
  ): Promise<void> {
    await db
      .insertInto("digest_shown")
      .values({ guild_id: guildId, kind, entry_id: entryId, local_date: localDate })
      .onConflict((conflict) =>
        conflict
          .columns(["guild_id", "kind", "entry_id"])
          .doUpdateSet((eb) => ({ local_date: eb.ref("excluded.local_date") })),
      )
      .execute();
  }

  async listShown(guildId: string, kind: string): Promise<ShownEntry[]> {
    const rows = await this.db
      .selectFrom("digest_shown")
      .select(["entry_id", "local_date"])
      .where("guild_id", "=", guildId)
      .where("kind", "=", kind)
      .orderBy("local_date")
      .orderBy(sql.raw(this.insertionOrder))
      .execute();
    return rows.map((row) => ({ entryId: row.entry_id, localDate: row.local_date }));
  }

  // Auto-answer channels and the threads already answered

  async setAutoAnswer(guildId: string, channelId: string): Promise<void> {
    await this.write((db) =>
      db
        .insertInto("autoanswer_channels")
        .values({ guild_id: guildId, channel_id: channelId })
        .onConflict((conflict) =>
          conflict.column("channel_id").doUpdateSet((eb) => ({ guild_id: eb.ref("excluded.guild_id") })),
        )
        .execute(),
    );
  }

  async removeAutoAnswer(guildId: string, channelId?: string): Promise<number> {
    const result = await this.write((db) =>
      db
        .deleteFrom("autoanswer_channels")
        .where("guild_id", "=", guildId)
        .$if(channelId !== undefined, (query) => query.where("channel_id", "=", channelId!))
        .executeTakeFirst(),
    );
    return changed(result);
  }

  async isAutoAnswerChannel(channelId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("autoanswer_channels")
      .select("channel_id")
      .where("channel_id", "=", channelId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listAutoAnswerChannels(guildId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("autoanswer_channels")
      .select("channel_id")
      .where("guild_id", "=", guildId)
      .orderBy("channel_id")
      .execute();
    return rows.map((row) => row.channel_id);
  }

  async claimThreadAnswer(threadId: string, guildId: string): Promise<boolean> {
    const outcome = await claim({
      insert: async () => {
        const result = await this.write((db) =>
          db
            .insertInto("answered_threads")
            .values({ thread_id: threadId, guild_id: guildId, answered_at: this.timestamp() })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst(),
        );
        return changed(result) > 0;
      },
      // A thread answered stays answered: no claim on it goes stale.
      takeOver: async () => undefined,
      read: () =>
        this.db.selectFrom("answered_threads").select("thread_id").where("thread_id", "=", threadId).executeTakeFirst(),
    });
    return outcome.won !== false;
  }

  async markInteractionSeen(interactionId: string, now: number): Promise<boolean> {
    const result = await this.write((db) =>
      db
        .insertInto("seen_interactions")
        .values({ interaction_id: interactionId, seen_at: now })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst(),
    );
    return changed(result) > 0;
  }

  async forgetInteractionsBefore(cutoff: number): Promise<void> {
    await this.write((db) => db.deleteFrom("seen_interactions").where("seen_at", "<", cutoff).execute());
  }

  // News feed cache

  async getFeedState(url: string): Promise<FeedState | null> {
    const row = await this.db
      .selectFrom("feed_state")
      .select(["etag", "last_modified", "fetched_at", "body"])
      .where("url", "=", url)
      .executeTakeFirst();
    return row ? { etag: row.etag, lastModified: row.last_modified, fetchedAt: row.fetched_at, body: row.body } : null;
  }

  async saveFeedState(url: string, state: FeedState): Promise<void> {
    await this.write((db) =>
      db
        .insertInto("feed_state")
        .values({
          url,
          etag: state.etag,
          last_modified: state.lastModified,
          fetched_at: state.fetchedAt,
          body: state.body,
        })
        .onConflict((conflict) =>
          conflict.column("url").doUpdateSet((eb) => ({
            etag: eb.ref("excluded.etag"),
            last_modified: eb.ref("excluded.last_modified"),
            fetched_at: eb.ref("excluded.fetched_at"),
            body: eb.ref("excluded.body"),
          })),
        )
        .execute(),
    );
  }

  async claimFeedFetch(url: string, now: number, minIntervalMs: number): Promise<boolean> {
    const outcome = await claim({
      insert: async () => {
        const result = await this.write((db) =>
          db
            .insertInto("feed_state")
            .values({ url, fetched_at: now, body: "" })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst(),
        );
        return changed(result) > 0;
      },
      // A fetch time in the future means a clock set back: it does not lock the feed until it catches up.
      takeOver: () =>
        this.write((db) =>
          db
            .updateTable("feed_state")
            .set({ fetched_at: now })
            .where("url", "=", url)
            .where((eb) => eb.or([eb("fetched_at", "<=", now - minIntervalMs), eb("fetched_at", ">", now)]))
            .returning("url")
            .executeTakeFirst(),
        ),
      read: () => this.db.selectFrom("feed_state").select("url").where("url", "=", url).executeTakeFirst(),
    });
    return outcome.won !== false;
  }

  // Repeated answers held back across instances

  async claimAnswer(channelId: string, key: string, now: number, windowMs: number): Promise<AnswerClaimResult> {
    const outcome = await claim({
      insert: async () => {
        const result = await this.write((db) =>
          db
            .insertInto("answer_claims")
            .values({ channel_id: channelId, answer_key: key, claimed_at: now })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst(),
        );
        return changed(result) > 0;
      },
      takeOver: () =>
        this.write((db) =>
          db
            .updateTable("answer_claims")
            .set({ claimed_at: now, message_id: null, interaction_token: null })
            .where("channel_id", "=", channelId)
            .where("answer_key", "=", key)
            .where("claimed_at", "<", now - windowMs)
            .returning(["message_id", "interaction_token"])
            .executeTakeFirst(),
        ),
      read: () =>
        this.db
          .selectFrom("answer_claims")
          .select(["message_id", "interaction_token"])
          .where("channel_id", "=", channelId)
          .where("answer_key", "=", key)
          .executeTakeFirst(),
    });
    if (outcome.won !== false) return { status: "claimed" };
    return { status: "posted", messageId: outcome.row.message_id, interactionToken: outcome.row.interaction_token };
  }

  async settleAnswer(channelId: string, key: string, copy: PostedCopy): Promise<void> {
    await this.write((db) =>
      db
        .updateTable("answer_claims")
        .set({ message_id: copy.messageId, interaction_token: copy.interactionToken })
        .where("channel_id", "=", channelId)
        .where("answer_key", "=", key)
        .execute(),
    );
  }

  async releaseAnswer(channelId: string, key: string): Promise<void> {
    await this.write((db) =>
      db.deleteFrom("answer_claims").where("channel_id", "=", channelId).where("answer_key", "=", key).execute(),
    );
  }

  async forgetAnswersBefore(cutoff: number): Promise<void> {
    await this.write((db) => db.deleteFrom("answer_claims").where("claimed_at", "<", cutoff).execute());
  }

  async forgetGuild(guildId: string): Promise<number> {
    return this.write((db) =>
      db.transaction().execute(async (trx) => {
        let total = 0;
        for (const table of GUILD_TABLES) {
          total += changed(await trx.deleteFrom(table).where("guild_id", "=", guildId).executeTakeFirst());
        }
        return total;
      }),
    );
  }

  async read<T>(query: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return query(this.db);
  }

  /**
   * Runs a write, turning the engine's failure into a StoreWriteError that names the database and the
   * cause in words ("the disk is full"), and tells the operator's counter.
   */
  async write<T>(query: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await query(this.db);
    } catch (error) {
      const failure = StoreWriteError.from(error, this.location);
      this.onWriteError?.(failure.kind);
      throw failure;
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}
