import { sql } from "kysely";
import type { GapCount, WrongCount } from "../answers/gaps-report.ts";
import { changed, type SqlAccess } from "./access.ts";
import { claim } from "./claim.ts";
import { GAP_TABLES } from "./schema.ts";

export type { GapCount, WrongCount };

/**
 * What members asked that the content did not answer, and the answers they marked wrong: one set of
 * queries for both engines, through the store's access. Times are milliseconds since the epoch.
 */

export interface GapSettings {
  /** Whether question text (and feedback reasons) may be kept. Off unless an admin turns it on. */
  keepText: boolean;
  retentionDays: number;
}

export const DEFAULT_GAP_SETTINGS: GapSettings = { keepText: false, retentionDays: 30 };

/** A server's weekly report: where it goes, and since when (a week that ended earlier is not owed). */
export interface ReportChannel {
  guildId: string;
  channelId: string;
  since: number;
}

/**
 * One week's report claimed for posting: "claimed" is new, "claimed-before" was left unfinished by an
 * instance that stopped (its message may be in the channel already), "in-progress" is another live
 * instance's, "sent" is done. The nonce is the claim's, kept across takeovers.
 */
export type ReportClaim =
  | { status: "claimed" | "claimed-before"; nonce: string }
  | { status: "in-progress" | "sent"; nonce: string };

/** A question the content could not answer: an abstention, a decline, an unknown name. */
export interface GapEvent {
  /** The server, or "" outside one (a DM, a user install). */
  guildId: string;
  /** "unknown-name", "not-covered", "off-topic", "decline", "not-found". */
  kind: string;
  /** What was missing: the unknown name, the topic, the decline reason. */
  missing: string;
  /** Kept only when the server opted in. */
  question: string | null;
  contentVersion: string;
  at: number;
}

/** "Wrong or unhelpful?" on one answer, by one person (as a salted hash, never an id). */
export interface AnswerFeedback {
  guildId: string;
  messageId: string;
  voter: string;
  answerKind: string;
  entry: string;
  reason: string | null;
  question: string | null;
  contentVersion: string;
  at: number;
}

const DAY_MS = 86_400_000;

export class GapQueries {
  constructor(private readonly store: SqlAccess) {}

  async settings(guildId: string): Promise<GapSettings> {
    const row = await this.store.read((db) =>
      db
        .selectFrom("gap_settings")
        .select(["keep_text", "retention_days"])
        .where("guild_id", "=", guildId)
        .executeTakeFirst(),
    );
    return row ? { keepText: row.keep_text === 1, retentionDays: row.retention_days } : { ...DEFAULT_GAP_SETTINGS };
  }

  async setSettings(guildId: string, settings: GapSettings, at: number): Promise<void> {
    await this.store.write((db) =>
      db
        .insertInto("gap_settings")
        .values({
          guild_id: guildId,
          keep_text: settings.keepText ? 1 : 0,
          retention_days: settings.retentionDays,
          updated_at: at,
        })
        .onConflict((conflict) =>
          conflict.column("guild_id").doUpdateSet((eb) => ({
            keep_text: eb.ref("excluded.keep_text"),
            retention_days: eb.ref("excluded.retention_days"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute(),
    );
    // Turned off: the text kept so far goes at once, not at the end of its retention.
    if (!settings.keepText) await this.forgetText(guildId);
  }

  /** The server's weekly report channel, or null to stop the report. */
  async setReportChannel(guildId: string, channelId: string | null, at: number): Promise<void> {
    await this.store.write((db) =>
      db
        .insertInto("gap_settings")
        .values({
          guild_id: guildId,
          keep_text: DEFAULT_GAP_SETTINGS.keepText ? 1 : 0,
          retention_days: DEFAULT_GAP_SETTINGS.retentionDays,
          updated_at: at,
          report_channel_id: channelId,
          report_since: at,
        })
        .onConflict((conflict) =>
          conflict.column("guild_id").doUpdateSet((eb) => ({
            report_channel_id: eb.ref("excluded.report_channel_id"),
            report_since: eb.ref("excluded.report_since"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute(),
    );
  }

  async reportChannel(guildId: string): Promise<string | null> {
    const row = await this.store.read((db) =>
      db.selectFrom("gap_settings").select("report_channel_id").where("guild_id", "=", guildId).executeTakeFirst(),
    );
    return row?.report_channel_id ?? null;
  }

  async reportChannels(): Promise<ReportChannel[]> {
    const rows = await this.store.read((db) =>
      db
        .selectFrom("gap_settings")
        .select(["guild_id", "report_channel_id", "report_since"])
        .where("report_channel_id", "is not", null)
        .execute(),
    );
    return rows.map((row) => ({ guildId: row.guild_id, channelId: row.report_channel_id!, since: row.report_since! }));
  }

  /**
   * Claims one server's report for one week, as every claim is decided (claim.ts): the week's row
   * inserted, or taken over when its claim is older than the lease and not sent.
   */
  async claimReport(guildId: string, week: string, nonce: string, now: number, leaseMs: number): Promise<ReportClaim> {
    const outcome = await claim({
      insert: async () => {
        const result = await this.store.write((db) =>
          db
            .insertInto("gap_reports")
            .values({ guild_id: guildId, week, nonce, claimed_at: now })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst(),
        );
        return changed(result) > 0;
      },
      takeOver: () =>
        this.store.write((db) =>
          db
            .updateTable("gap_reports")
            .set({ claimed_at: now })
            .where("guild_id", "=", guildId)
            .where("week", "=", week)
            .where("sent_at", "is", null)
            .where("claimed_at", "<=", now - leaseMs)
            .returning(["nonce", "sent_at"])
            .executeTakeFirst(),
        ),
      read: () =>
        this.store.read((db) =>
          db
            .selectFrom("gap_reports")
            .select(["nonce", "sent_at"])
            .where("guild_id", "=", guildId)
            .where("week", "=", week)
            .executeTakeFirst(),
        ),
    });
    if (outcome.won === "inserted") return { status: "claimed", nonce };
    if (outcome.won === "taken-over") return { status: "claimed-before", nonce: outcome.row.nonce };
    return { status: outcome.row.sent_at === null ? "in-progress" : "sent", nonce: outcome.row.nonce };
  }

  async markReportSent(guildId: string, week: string, messageId: string, at: number): Promise<void> {
    await this.store.write((db) =>
      db
        .updateTable("gap_reports")
        .set({ message_id: messageId, sent_at: at })
        .where("guild_id", "=", guildId)
        .where("week", "=", week)
        .execute(),
    );
  }

  async reportFor(guildId: string, week: string): Promise<{ messageId: string | null; sentAt: number | null } | null> {
    const row = await this.store.read((db) =>
      db
        .selectFrom("gap_reports")
        .select(["message_id", "sent_at"])
        .where("guild_id", "=", guildId)
        .where("week", "=", week)
        .executeTakeFirst(),
    );
    return row ? { messageId: row.message_id, sentAt: row.sent_at } : null;
  }

  async record(event: GapEvent): Promise<void> {
    await this.store.write((db) =>
      db
        .insertInto("gap_events")
        .values({
          guild_id: event.guildId,
          kind: event.kind,
          missing: event.missing,
          question: event.question,
          content_version: event.contentVersion,
          at: event.at,
        })
        .execute(),
    );
  }

  /** False when this person already marked this answer. */
  async recordFeedback(feedback: AnswerFeedback): Promise<boolean> {
    const result = await this.store.write((db) =>
      db
        .insertInto("answer_feedback")
        .values({
          guild_id: feedback.guildId,
          message_id: feedback.messageId,
          voter: feedback.voter,
          answer_kind: feedback.answerKind,
          entry: feedback.entry,
          reason: feedback.reason,
          question: feedback.question,
          content_version: feedback.contentVersion,
          at: feedback.at,
        })
        .onConflict((conflict) => conflict.columns(["message_id", "voter"]).doNothing())
        .executeTakeFirst(),
    );
    return changed(result) > 0;
  }

  /** The most frequent gaps since `since`, for one server or (guildId null) across all. */
  async topGaps(
    guildId: string | null,
    since: number,
    limit: number,
    until = Number.MAX_SAFE_INTEGER,
  ): Promise<GapCount[]> {
    const rows = await this.store.read((db) =>
      db
        .selectFrom("gap_events")
        .select((eb) => [
          "kind",
          "missing",
          eb.fn.countAll().as("count"),
          eb.fn.count("guild_id").distinct().as("servers"),
          eb.fn.max("question").as("example"),
        ])
        .where("at", ">=", since)
        .where("at", "<", until)
        .$if(guildId !== null, (query) => query.where("guild_id", "=", guildId!))
        .groupBy(["kind", "missing"])
        .orderBy((eb) => eb.fn.countAll(), "desc")
        .orderBy("missing")
        .limit(limit)
        .execute(),
    );
    return rows.map((row) => ({
      kind: row.kind,
      missing: row.missing,
      count: Number(row.count),
      servers: Number(row.servers),
      example: row.example,
    }));
  }

  async topWrong(
    guildId: string | null,
    since: number,
    limit: number,
    until = Number.MAX_SAFE_INTEGER,
  ): Promise<WrongCount[]> {
    const rows = await this.store.read((db) =>
      db
        .selectFrom("answer_feedback")
        .select((eb) => [
          "answer_kind",
          "entry",
          eb.fn.countAll().as("count"),
          eb.fn.count("guild_id").distinct().as("servers"),
          eb.fn.max("reason").as("reason"),
          eb.fn.max("question").as("example"),
        ])
        .where("at", ">=", since)
        .where("at", "<", until)
        .$if(guildId !== null, (query) => query.where("guild_id", "=", guildId!))
        .groupBy(["answer_kind", "entry"])
        .orderBy((eb) => eb.fn.countAll(), "desc")
        .orderBy("entry")
        .limit(limit)
        .execute(),
    );
    return rows.map((row) => ({
      answerKind: row.answer_kind,
      entry: row.entry,
      count: Number(row.count),
      servers: Number(row.servers),
      reason: row.reason,
      example: row.example,
    }));
  }

  /** The daily purge: question text and reasons older than each server's retention (30 days unless set). */
  async purgeText(now: number): Promise<number> {
    // Days times a day's milliseconds overflow PostgreSQL's 32-bit INTEGER: the product is BIGINT.
    const olderThanRetention = (table: "gap_events" | "answer_feedback") =>
      sql<boolean>`${sql.ref(`${table}.at`)} < ${now} - CAST(COALESCE(
        (SELECT retention_days FROM gap_settings WHERE gap_settings.guild_id = ${sql.ref(`${table}.guild_id`)}),
        ${sql.lit(DEFAULT_GAP_SETTINGS.retentionDays)}) AS BIGINT) * ${sql.lit(DAY_MS)}`;
    const events = await this.store.write((db) =>
      db
        .updateTable("gap_events")
        .set({ question: null })
        .where("question", "is not", null)
        .where(olderThanRetention("gap_events"))
        .executeTakeFirst(),
    );
    const feedback = await this.store.write((db) =>
      db
        .updateTable("answer_feedback")
        .set({ question: null, reason: null })
        .where((eb) => eb.or([eb("question", "is not", null), eb("reason", "is not", null)]))
        .where(olderThanRetention("answer_feedback"))
        .executeTakeFirst(),
    );
    return changed(events) + changed(feedback);
  }

  /** `/gaps forget`: every row of the server, counts included. */
  async forget(guildId: string): Promise<number> {
    let total = 0;
    for (const table of GAP_TABLES) {
      total += changed(
        await this.store.write((db) => db.deleteFrom(table).where("guild_id", "=", guildId).executeTakeFirst()),
      );
    }
    return total;
  }

  private async forgetText(guildId: string): Promise<void> {
    await this.store.write((db) =>
      db.updateTable("gap_events").set({ question: null }).where("guild_id", "=", guildId).execute(),
    );
    await this.store.write((db) =>
      db.updateTable("answer_feedback").set({ question: null, reason: null }).where("guild_id", "=", guildId).execute(),
    );
  }

  /** The installation's salt for voter hashes, made once and shared by every instance. */
  async salt(fresh: string): Promise<string> {
    await this.store.write((db) =>
      db
        .insertInto("install_secret")
        .values({ single: 1, salt: fresh })
        .onConflict((conflict) => conflict.column("single").doNothing())
        .execute(),
    );
    const row = await this.store.read((db) =>
      db.selectFrom("install_secret").select("salt").where("single", "=", 1).executeTakeFirstOrThrow(),
    );
    return row.salt;
  }
}
