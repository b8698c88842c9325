import type { SlotState } from "./types.ts";

/**
 * The tables as the queries see them, for Kysely's types. Epoch-millisecond columns are numbers on
 * both engines: PostgreSQL's BIGINT is read as a number (see open-postgres.ts), well inside its range.
 */
export interface Database {
  digest_settings: {
    guild_id: string;
    channel_id: string;
    time: string;
    timezone: string;
    enabled: number;
    disabled_reason: string | null;
    last_error: string | null;
    updated_at: string;
  };
  digest_slots: {
    guild_id: string;
    local_date: string;
    nonce: string | null;
    state: SlotState;
    message_id: string | null;
    reason: string | null;
    claimed_at: string;
    sent_at: string | null;
  };
  digest_shown: { guild_id: string; kind: string; entry_id: string; local_date: string };
  autoanswer_channels: { guild_id: string; channel_id: string };
  answered_threads: { thread_id: string; guild_id: string; answered_at: string };
  feed_state: { url: string; etag: string | null; last_modified: string | null; fetched_at: number; body: string };
  gap_settings: {
    guild_id: string;
    keep_text: number;
    retention_days: number;
    updated_at: number;
    report_channel_id: string | null;
    report_since: number | null;
  };
  gap_reports: {
    guild_id: string;
    week: string;
    nonce: string;
    claimed_at: number;
    message_id: string | null;
    sent_at: number | null;
  };
  gap_events: {
    guild_id: string;
    kind: string;
    missing: string;
    question: string | null;
    content_version: string;
    at: number;
  };
  answer_feedback: {
    guild_id: string;
    message_id: string;
    voter: string;
    answer_kind: string;
    entry: string;
    reason: string | null;
    question: string | null;
    content_version: string;
    at: number;
  };
  install_secret: { single: number; salt: string };
  answer_claims: {
    channel_id: string;
    answer_key: string;
    claimed_at: number;
    message_id: string | null;
    interaction_token: string | null;
  };
  seen_interactions: { interaction_id: string; seen_at: number };
}

export type TableName = keyof Database;

/**
 * What a table's rows belong to: a server ("guild", deleted when the bot leaves it; "gaps" also by
 * `/gaps forget`), the installation, or the last half minute ("fleeting": not worth copying).
 */
type Holds = "guild" | "gaps" | "install" | "fleeting";

type TableList = readonly {
  [T in TableName]: { table: T; columns: readonly (keyof Database[T])[]; holds: Holds };
}[TableName][];

/**
 * Every table, the one list the rest derives from: its columns in the order the migrations create
 * them, and what its rows belong to. The copy into PostgreSQL goes in this order. Table and column
 * names in SQL come from here, never from input.
 */
export const TABLES = [
  {
    table: "digest_settings",
    columns: ["guild_id", "channel_id", "time", "timezone", "enabled", "disabled_reason", "last_error", "updated_at"],
    holds: "guild",
  },
  {
    table: "digest_slots",
    columns: ["guild_id", "local_date", "nonce", "state", "message_id", "reason", "claimed_at", "sent_at"],
    holds: "guild",
  },
  { table: "digest_shown", columns: ["guild_id", "kind", "entry_id", "local_date"], holds: "guild" },
  { table: "autoanswer_channels", columns: ["guild_id", "channel_id"], holds: "guild" },
  { table: "answered_threads", columns: ["thread_id", "guild_id", "answered_at"], holds: "guild" },
  { table: "feed_state", columns: ["url", "etag", "last_modified", "fetched_at", "body"], holds: "install" },
  {
    table: "gap_settings",
    columns: ["guild_id", "keep_text", "retention_days", "updated_at", "report_channel_id", "report_since"],
    holds: "gaps",
  },
  {
    table: "gap_reports",
    columns: ["guild_id", "week", "nonce", "claimed_at", "message_id", "sent_at"],
    holds: "gaps",
  },
  { table: "gap_events", columns: ["guild_id", "kind", "missing", "question", "content_version", "at"], holds: "gaps" },
  {
    table: "answer_feedback",
    columns: ["guild_id", "message_id", "voter", "answer_kind", "entry", "reason", "question", "content_version", "at"],
    holds: "gaps",
  },
  { table: "install_secret", columns: ["single", "salt"], holds: "install" },
  {
    table: "answer_claims",
    columns: ["channel_id", "answer_key", "claimed_at", "message_id", "interaction_token"],
    holds: "fleeting",
  },
  { table: "seen_interactions", columns: ["interaction_id", "seen_at"], holds: "fleeting" },
] as const satisfies TableList;

type Entry = (typeof TABLES)[number];
type NameOf<E> = E extends { table: infer T } ? T : never;

/** The tables holding a server's rows, deleted when the bot leaves it. */
export type GuildTable = NameOf<Extract<Entry, { holds: "guild" | "gaps" }>>;
export const GUILD_TABLES = TABLES.filter((entry) => entry.holds === "guild" || entry.holds === "gaps").map(
  (entry) => entry.table as GuildTable,
);

/** What `/gaps forget` deletes of a server. */
export type GapTable = NameOf<Extract<Entry, { holds: "gaps" }>>;
export const GAP_TABLES = TABLES.filter((entry) => entry.holds === "gaps").map((entry) => entry.table as GapTable);

/** Everything but the fleeting claims: what moving to PostgreSQL copies. */
export type CopiedTable = NameOf<Exclude<Entry, { holds: "fleeting" }>>;
export const COPIED_TABLES = TABLES.filter((entry) => entry.holds !== "fleeting") as readonly Extract<
  Entry,
  { table: CopiedTable }
>[];
