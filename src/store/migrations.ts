import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import type { StoreEngine } from "./types.ts";

/**
 * The schema of both engines as one ordered list, written once with Kysely's schema builder:
 * migration N brings a database from version N-1 to N. Released migrations are never edited, only
 * appended to, because existing databases have already run them. Where the engines differ (SQLite's
 * STRICT tables and INTEGER, PostgreSQL's BIGINT, a pattern check) the small helpers below say so.
 */
export interface SchemaMigration {
  version: number;
  /** The name Kysely records once it ran; its order is the version's. */
  name: string;
  up(db: Kysely<unknown>, engine: StoreEngine): Promise<void>;
}

/** The columns both engines create alike, and the few places where they do not. */
function dialect(engine: StoreEngine) {
  return {
    /** SQLite checks column types only in STRICT tables. */
    strict: <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
      engine === "sqlite" ? table.modifyEnd(sql`STRICT`) : table,
    /** Epoch milliseconds: INTEGER is 64-bit in SQLite, 32-bit in PostgreSQL. */
    epochMs: engine === "sqlite" ? ("integer" as const) : ("bigint" as const),
    /** "HH:MM", checked with each engine's own pattern matching. */
    timeOfDay: engine === "sqlite" ? sql`time GLOB '[0-2][0-9]:[0-5][0-9]'` : sql`time ~ '^[0-2][0-9]:[0-5][0-9]$'`,
  };
}

export const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: "0001-digest-settings-and-slots",
    async up(db, engine) {
      const { strict, timeOfDay } = dialect(engine);
      await strict(
        db.schema
          .createTable("digest_settings")
          .addColumn("guild_id", "text", (column) => column.primaryKey())
          .addColumn("channel_id", "text", (column) => column.notNull())
          .addColumn("time", "text", (column) => column.notNull().check(timeOfDay))
          .addColumn("timezone", "text", (column) => column.notNull())
          .addColumn("enabled", "integer", (column) => column.notNull().defaultTo(1).check(sql`enabled IN (0, 1)`))
          .addColumn("disabled_reason", "text")
          .addColumn("last_error", "text")
          .addColumn("updated_at", "text", (column) => column.notNull()),
      ).execute();
      await strict(
        db.schema
          .createTable("digest_slots")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("local_date", "text", (column) => column.notNull())
          .addColumn("nonce", "text")
          .addColumn("state", "text", (column) => column.notNull().check(sql`state IN ('claimed', 'sent', 'skipped')`))
          .addColumn("message_id", "text")
          .addColumn("reason", "text")
          .addColumn("claimed_at", "text", (column) => column.notNull())
          .addColumn("sent_at", "text")
          .addPrimaryKeyConstraint("digest_slots_pkey", ["guild_id", "local_date"])
          .addCheckConstraint("claimed_has_nonce", sql`state <> 'claimed' OR nonce IS NOT NULL`)
          .addCheckConstraint(
            "sent_has_message",
            sql`state <> 'sent' OR (message_id IS NOT NULL AND sent_at IS NOT NULL)`,
          )
          .addCheckConstraint("skipped_has_reason", sql`state <> 'skipped' OR reason IS NOT NULL`),
      ).execute();
    },
  },
  {
    version: 2,
    name: "0002-rotation-auto-answer-threads-feed",
    async up(db, engine) {
      const { strict, epochMs } = dialect(engine);
      await strict(
        db.schema
          .createTable("digest_shown")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("kind", "text", (column) => column.notNull())
          .addColumn("entry_id", "text", (column) => column.notNull())
          .addColumn("local_date", "text", (column) => column.notNull())
          // SQLite orders ties by rowid, which an upsert keeps: PostgreSQL gets the same insertion order.
          .$call((table) =>
            engine === "postgres"
              ? table.addColumn("seq", "bigint", (column) => column.generatedAlwaysAsIdentity())
              : table,
          )
          .addPrimaryKeyConstraint("digest_shown_pkey", ["guild_id", "kind", "entry_id"]),
      ).execute();
      await strict(
        db.schema
          .createTable("autoanswer_channels")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("channel_id", "text", (column) => column.primaryKey()),
      ).execute();
      await db.schema
        .createIndex("autoanswer_channels_by_guild")
        .on("autoanswer_channels")
        .column("guild_id")
        .execute();
      await strict(
        db.schema
          .createTable("answered_threads")
          .addColumn("thread_id", "text", (column) => column.primaryKey())
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("answered_at", "text", (column) => column.notNull()),
      ).execute();
      await db.schema.createIndex("answered_threads_by_guild").on("answered_threads").column("guild_id").execute();
      await strict(
        db.schema
          .createTable("feed_state")
          .addColumn("url", "text", (column) => column.primaryKey())
          .addColumn("etag", "text")
          .addColumn("last_modified", "text")
          .addColumn("fetched_at", epochMs, (column) => column.notNull())
          .addColumn("body", "text", (column) => column.notNull()),
      ).execute();
    },
  },
  {
    version: 3,
    name: "0003-answer-claims",
    async up(db, engine) {
      const { strict, epochMs } = dialect(engine);
      await strict(
        db.schema
          .createTable("answer_claims")
          .addColumn("channel_id", "text", (column) => column.notNull())
          .addColumn("answer_key", "text", (column) => column.notNull())
          .addColumn("claimed_at", epochMs, (column) => column.notNull())
          .addColumn("message_id", "text")
          .addColumn("interaction_token", "text")
          .addPrimaryKeyConstraint("answer_claims_pkey", ["channel_id", "answer_key"]),
      ).execute();
    },
  },
  {
    version: 4,
    name: "0004-seen-interactions",
    async up(db, engine) {
      const { strict, epochMs } = dialect(engine);
      await strict(
        db.schema
          .createTable("seen_interactions")
          .addColumn("interaction_id", "text", (column) => column.primaryKey())
          .addColumn("seen_at", epochMs, (column) => column.notNull()),
      ).execute();
    },
  },
  {
    version: 5,
    name: "0005-gaps-feedback-install-secret",
    async up(db, engine) {
      const { strict, epochMs } = dialect(engine);
      await strict(
        db.schema
          .createTable("gap_settings")
          .addColumn("guild_id", "text", (column) => column.primaryKey())
          .addColumn("keep_text", "integer", (column) => column.notNull().check(sql`keep_text IN (0, 1)`))
          .addColumn("retention_days", "integer", (column) =>
            column.notNull().check(sql`retention_days BETWEEN 1 AND 365`),
          )
          .addColumn("updated_at", epochMs, (column) => column.notNull()),
      ).execute();
      await strict(
        db.schema
          .createTable("gap_events")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("kind", "text", (column) => column.notNull())
          .addColumn("missing", "text", (column) => column.notNull())
          .addColumn("question", "text")
          .addColumn("content_version", "text", (column) => column.notNull())
          .addColumn("at", epochMs, (column) => column.notNull()),
      ).execute();
      await db.schema
        .createIndex("gap_events_by_guild_and_time")
        .on("gap_events")
        .columns(["guild_id", "at"])
        .execute();
      await strict(
        db.schema
          .createTable("answer_feedback")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("message_id", "text", (column) => column.notNull())
          .addColumn("voter", "text", (column) => column.notNull())
          .addColumn("answer_kind", "text", (column) => column.notNull())
          .addColumn("entry", "text", (column) => column.notNull())
          .addColumn("reason", "text")
          .addColumn("question", "text")
          .addColumn("content_version", "text", (column) => column.notNull())
          .addColumn("at", epochMs, (column) => column.notNull())
          .addPrimaryKeyConstraint("answer_feedback_pkey", ["message_id", "voter"]),
      ).execute();
      await strict(
        db.schema
          .createTable("install_secret")
          .addColumn("single", "integer", (column) => column.primaryKey().check(sql`single = 1`))
          .addColumn("salt", "text", (column) => column.notNull()),
      ).execute();
    },
  },
  {
    version: 6,
    name: "0006-weekly-gaps-report",
    async up(db, engine) {
      const { strict, epochMs } = dialect(engine);
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema.alterTable("gap_settings").addColumn("report_channel_id", "text").execute();
      await db.schema.alterTable("gap_settings").addColumn("report_since", epochMs).execute();
      await strict(
        db.schema
          .createTable("gap_reports")
          .addColumn("guild_id", "text", (column) => column.notNull())
          .addColumn("week", "text", (column) => column.notNull())
          .addColumn("nonce", "text", (column) => column.notNull())
          .addColumn("claimed_at", epochMs, (column) => column.notNull())
          .addColumn("message_id", "text")
          .addColumn("sent_at", epochMs)
          .addPrimaryKeyConstraint("gap_reports_pkey", ["guild_id", "week"]),
      ).execute();
    },
  },
  {
    version: 7,
    name: "0007-retire-stackbot-schema",
    async up(db) {
      // The version table of the hand-written PostgreSQL runner: Kysely's table records versions now.
      await db.schema.dropTable("stackbot_schema").ifExists().execute();
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
