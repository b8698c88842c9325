/**
 * What members asked that the content did not answer, and the answers they marked wrong: one SQL for
 * both engines (placeholders `$1`, `$2`, read by PostgreSQL as they are and bound by name in SQLite),
 * run through a small executor each store provides. Times are milliseconds since the epoch.
 */

/** Runs one statement: the rows it returns, and how many rows it changed. */
export interface SqlExecutor {
  all<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

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

export interface GapCount {
  kind: string;
  missing: string;
  count: number;
  servers: number;
  example: string | null;
}

export interface WrongCount {
  answerKind: string;
  entry: string;
  count: number;
  servers: number;
  reason: string | null;
  example: string | null;
}

const DAY_MS = 86_400_000;

export class GapQueries {
  constructor(private readonly sql: SqlExecutor) {}

  async settings(guildId: string): Promise<GapSettings> {
    const [row] = await this.sql.all<{ keep_text: number | string; retention_days: number | string }>(
      "SELECT keep_text, retention_days FROM gap_settings WHERE guild_id = $1",
      [guildId],
    );
    return row
      ? { keepText: Number(row.keep_text) === 1, retentionDays: Number(row.retention_days) }
      : { ...DEFAULT_GAP_SETTINGS };
  }

  async setSettings(guildId: string, settings: GapSettings, at: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO gap_settings (guild_id, keep_text, retention_days, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (guild_id) DO UPDATE SET keep_text = excluded.keep_text,
         retention_days = excluded.retention_days, updated_at = excluded.updated_at`,
      [guildId, settings.keepText ? 1 : 0, settings.retentionDays, at],
    );
    // Turned off: the text kept so far goes at once, not at the end of its retention.
    if (!settings.keepText) await this.forgetText(guildId);
  }

  /** The server's weekly report channel, or null to stop the report. */
  async setReportChannel(guildId: string, channelId: string | null, at: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO gap_settings (guild_id, keep_text, retention_days, updated_at, report_channel_id, report_since)
       VALUES ($1, $2, $3, $4, $5, $4)
       ON CONFLICT (guild_id) DO UPDATE SET report_channel_id = excluded.report_channel_id,
         report_since = excluded.report_since, updated_at = excluded.updated_at`,
      [guildId, DEFAULT_GAP_SETTINGS.keepText ? 1 : 0, DEFAULT_GAP_SETTINGS.retentionDays, at, channelId],
    );
  }

  async reportChannel(guildId: string): Promise<string | null> {
    const [row] = await this.sql.all<{ report_channel_id: string | null }>(
      "SELECT report_channel_id FROM gap_settings WHERE guild_id = $1",
      [guildId],
    );
    return row?.report_channel_id ?? null;
  }

  async reportChannels(): Promise<ReportChannel[]> {
    const rows = await this.sql.all<{ guild_id: string; report_channel_id: string; report_since: number | string }>(
      "SELECT guild_id, report_channel_id, report_since FROM gap_settings WHERE report_channel_id IS NOT NULL",
      [],
    );
    return rows.map((row) => ({
      guildId: row.guild_id,
      channelId: row.report_channel_id,
      since: Number(row.report_since),
    }));
  }

  /**
   * Claims one server's report for one week, decided by the database alike on both engines: an insert
   * that conflicts when the week is already claimed, then a conditional update that takes over a claim
   * older than the lease and not sent. Of several instances, exactly one gets each state change.
   */
  async claimReport(guildId: string, week: string, nonce: string, now: number, leaseMs: number): Promise<ReportClaim> {
    const inserted = await this.sql.run(
      `INSERT INTO gap_reports (guild_id, week, nonce, claimed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (guild_id, week) DO NOTHING`,
      [guildId, week, nonce, now],
    );
    if (inserted > 0) return { status: "claimed", nonce };
    const takenOver = await this.sql.run(
      `UPDATE gap_reports SET claimed_at = $3
       WHERE guild_id = $1 AND week = $2 AND sent_at IS NULL AND claimed_at <= $4`,
      [guildId, week, now, now - leaseMs],
    );
    const [row] = await this.sql.all<{ nonce: string; sent_at: number | string | null }>(
      "SELECT nonce, sent_at FROM gap_reports WHERE guild_id = $1 AND week = $2",
      [guildId, week],
    );
    if (!row) return { status: "in-progress", nonce };
    if (takenOver > 0) return { status: "claimed-before", nonce: row.nonce };
    return { status: row.sent_at === null ? "in-progress" : "sent", nonce: row.nonce };
  }

  async markReportSent(guildId: string, week: string, messageId: string, at: number): Promise<void> {
    await this.sql.run("UPDATE gap_reports SET message_id = $3, sent_at = $4 WHERE guild_id = $1 AND week = $2", [
      guildId,
      week,
      messageId,
      at,
    ]);
  }

  async reportFor(guildId: string, week: string): Promise<{ messageId: string | null; sentAt: number | null } | null> {
    const [row] = await this.sql.all<{ message_id: string | null; sent_at: number | string | null }>(
      "SELECT message_id, sent_at FROM gap_reports WHERE guild_id = $1 AND week = $2",
      [guildId, week],
    );
    return row ? { messageId: row.message_id, sentAt: row.sent_at === null ? null : Number(row.sent_at) } : null;
  }

  async record(event: GapEvent): Promise<void> {
    await this.sql.run(
      "INSERT INTO gap_events (guild_id, kind, missing, question, content_version, at) VALUES ($1, $2, $3, $4, $5, $6)",
      [event.guildId, event.kind, event.missing, event.question, event.contentVersion, event.at],
    );
  }

  /** False when this person already marked this answer. */
  async recordFeedback(feedback: AnswerFeedback): Promise<boolean> {
    const changed = await this.sql.run(
      `INSERT INTO answer_feedback (guild_id, message_id, voter, answer_kind, entry, reason, question, content_version, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_id, voter) DO NOTHING`,
      [
        feedback.guildId,
        feedback.messageId,
        feedback.voter,
        feedback.answerKind,
        feedback.entry,
        feedback.reason,
        feedback.question,
        feedback.contentVersion,
        feedback.at,
      ],
    );
    return changed > 0;
  }

  /** The most frequent gaps since `since`, for one server or (guildId null) across all. */
  async topGaps(
    guildId: string | null,
    since: number,
    limit: number,
    until = Number.MAX_SAFE_INTEGER,
  ): Promise<GapCount[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT kind, missing, COUNT(*) AS count, COUNT(DISTINCT guild_id) AS servers, MAX(question) AS example
       FROM gap_events WHERE at >= $1 AND at < $4 AND ($2 = '*' OR guild_id = $2)
       GROUP BY kind, missing ORDER BY COUNT(*) DESC, missing LIMIT $3`,
      [since, guildId ?? "*", limit, until],
    );
    return rows.map((row) => ({
      kind: String(row.kind),
      missing: String(row.missing),
      count: Number(row.count),
      servers: Number(row.servers),
      example: row.example === null ? null : String(row.example),
    }));
  }

  async topWrong(
    guildId: string | null,
    since: number,
    limit: number,
    until = Number.MAX_SAFE_INTEGER,
  ): Promise<WrongCount[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT answer_kind, entry, COUNT(*) AS count, COUNT(DISTINCT guild_id) AS servers,
         MAX(reason) AS reason, MAX(question) AS example
       FROM answer_feedback WHERE at >= $1 AND at < $4 AND ($2 = '*' OR guild_id = $2)
       GROUP BY answer_kind, entry ORDER BY COUNT(*) DESC, entry LIMIT $3`,
      [since, guildId ?? "*", limit, until],
    );
    return rows.map((row) => ({
      answerKind: String(row.answer_kind),
      entry: String(row.entry),
      count: Number(row.count),
      servers: Number(row.servers),
      reason: row.reason === null ? null : String(row.reason),
      example: row.example === null ? null : String(row.example),
    }));
  }

  /** The daily purge: question text and reasons older than each server's retention (30 days unless set). */
  async purgeText(now: number): Promise<number> {
    const retention = (table: string) =>
      `${table}.at < CAST($1 AS BIGINT) - COALESCE((SELECT retention_days FROM gap_settings s WHERE s.guild_id = ${table}.guild_id), ${DEFAULT_GAP_SETTINGS.retentionDays}) * ${DAY_MS}`;
    const events = await this.sql.run(
      `UPDATE gap_events SET question = NULL WHERE question IS NOT NULL AND ${retention("gap_events")}`,
      [now],
    );
    const feedback = await this.sql.run(
      `UPDATE answer_feedback SET question = NULL, reason = NULL
       WHERE (question IS NOT NULL OR reason IS NOT NULL) AND ${retention("answer_feedback")}`,
      [now],
    );
    return events + feedback;
  }

  /** `/gaps forget`: every row of the server, counts included. */
  async forget(guildId: string): Promise<number> {
    let total = 0;
    for (const table of ["gap_events", "answer_feedback", "gap_settings", "gap_reports"])
      total += await this.sql.run(`DELETE FROM ${table} WHERE guild_id = $1`, [guildId]);
    return total;
  }

  private async forgetText(guildId: string): Promise<void> {
    await this.sql.run("UPDATE gap_events SET question = NULL WHERE guild_id = $1", [guildId]);
    await this.sql.run("UPDATE answer_feedback SET question = NULL, reason = NULL WHERE guild_id = $1", [guildId]);
  }

  /** The installation's salt for voter hashes, made once and shared by every instance. */
  async salt(fresh: string): Promise<string> {
    await this.sql.run("INSERT INTO install_secret (single, salt) VALUES (1, $1) ON CONFLICT (single) DO NOTHING", [
      fresh,
    ]);
    const [row] = await this.sql.all<{ salt: string }>("SELECT salt FROM install_secret WHERE single = 1", []);
    return row!.salt;
  }
}

/** better-sqlite3 binds numbered placeholders by name: `$1` becomes `@p1`, bound from `{ p1: ... }`. */
export function forSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, "@p$1");
}

/** The positional parameters of the shared SQL as better-sqlite3's named ones (booleans as 0 and 1). */
export function sqliteParams(params: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(params.map((value, index) => [`p${index + 1}`, value]));
}
