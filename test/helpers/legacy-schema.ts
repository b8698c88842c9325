import Database from "better-sqlite3";
import pg from "pg";

/**
 * The schema as Stackbot wrote it before its migrations moved to Kysely: each migration's SQL for
 * each engine, versioned by SQLite's user_version and by PostgreSQL's stackbot_schema table. Kept
 * verbatim so the tests can build the databases that code made and check they migrate forward.
 */
interface LegacyMigration {
  version: number;
  description: string;
  sqlite: string;
  postgres: string;
}

const LEGACY_MIGRATIONS: readonly LegacyMigration[] = [
  {
    version: 1,
    description: "daily digest settings and exactly-once slots",
    sqlite: `
      CREATE TABLE digest_settings (
        guild_id TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        time TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
        timezone TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        disabled_reason TEXT,
        last_error TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE digest_slots (
        guild_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        nonce TEXT,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped')),
        message_id TEXT,
        reason TEXT,
        claimed_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (guild_id, local_date),
        CHECK (state <> 'claimed' OR nonce IS NOT NULL),
        CHECK (state <> 'sent' OR (message_id IS NOT NULL AND sent_at IS NOT NULL)),
        CHECK (state <> 'skipped' OR reason IS NOT NULL)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE digest_settings (
        guild_id TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        time TEXT NOT NULL CHECK (time ~ '^[0-2][0-9]:[0-5][0-9]$'),
        timezone TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        disabled_reason TEXT,
        last_error TEXT,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE digest_slots (
        guild_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        nonce TEXT,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped')),
        message_id TEXT,
        reason TEXT,
        claimed_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (guild_id, local_date),
        CHECK (state <> 'claimed' OR nonce IS NOT NULL),
        CHECK (state <> 'sent' OR (message_id IS NOT NULL AND sent_at IS NOT NULL)),
        CHECK (state <> 'skipped' OR reason IS NOT NULL)
      );
    `,
  },
  {
    version: 2,
    description: "digest rotation, auto-answer channels, answered threads, news feed cache",
    sqlite: `
      CREATE TABLE digest_shown (
        guild_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        PRIMARY KEY (guild_id, kind, entry_id)
      ) STRICT;

      CREATE TABLE autoanswer_channels (
        guild_id TEXT NOT NULL,
        channel_id TEXT PRIMARY KEY
      ) STRICT;
      CREATE INDEX autoanswer_channels_by_guild ON autoanswer_channels (guild_id);

      CREATE TABLE answered_threads (
        thread_id TEXT PRIMARY KEY,
        guild_id TEXT NOT NULL,
        answered_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX answered_threads_by_guild ON answered_threads (guild_id);

      CREATE TABLE feed_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        fetched_at INTEGER NOT NULL,
        body TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE digest_shown (
        guild_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        -- SQLite orders ties by rowid, which an upsert keeps: the same insertion order here.
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (guild_id, kind, entry_id)
      );

      CREATE TABLE autoanswer_channels (
        guild_id TEXT NOT NULL,
        channel_id TEXT PRIMARY KEY
      );
      CREATE INDEX autoanswer_channels_by_guild ON autoanswer_channels (guild_id);

      CREATE TABLE answered_threads (
        thread_id TEXT PRIMARY KEY,
        guild_id TEXT NOT NULL,
        answered_at TEXT NOT NULL
      );
      CREATE INDEX answered_threads_by_guild ON answered_threads (guild_id);

      CREATE TABLE feed_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        fetched_at BIGINT NOT NULL,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: "repeated answers held back across instances",
    sqlite: `
      CREATE TABLE answer_claims (
        channel_id TEXT NOT NULL,
        answer_key TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        message_id TEXT,
        interaction_token TEXT,
        PRIMARY KEY (channel_id, answer_key)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE answer_claims (
        channel_id TEXT NOT NULL,
        answer_key TEXT NOT NULL,
        claimed_at BIGINT NOT NULL,
        message_id TEXT,
        interaction_token TEXT,
        PRIMARY KEY (channel_id, answer_key)
      );
    `,
  },
  {
    version: 4,
    description: "interactions already answered, so a replayed request is not answered again",
    sqlite: `
      CREATE TABLE seen_interactions (
        interaction_id TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE seen_interactions (
        interaction_id TEXT PRIMARY KEY,
        seen_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 5,
    description: "what the content did not answer, answers marked wrong, and each server's choice to keep text",
    sqlite: `
      CREATE TABLE gap_settings (
        guild_id TEXT PRIMARY KEY,
        keep_text INTEGER NOT NULL CHECK (keep_text IN (0, 1)),
        retention_days INTEGER NOT NULL CHECK (retention_days BETWEEN 1 AND 365),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE gap_events (
        guild_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        missing TEXT NOT NULL,
        question TEXT,
        content_version TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX gap_events_by_guild_and_time ON gap_events (guild_id, at);
      CREATE TABLE answer_feedback (
        guild_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        voter TEXT NOT NULL,
        answer_kind TEXT NOT NULL,
        entry TEXT NOT NULL,
        reason TEXT,
        question TEXT,
        content_version TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (message_id, voter)
      ) STRICT;
      CREATE TABLE install_secret (
        single INTEGER PRIMARY KEY CHECK (single = 1),
        salt TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE gap_settings (
        guild_id TEXT PRIMARY KEY,
        keep_text INTEGER NOT NULL CHECK (keep_text IN (0, 1)),
        retention_days INTEGER NOT NULL CHECK (retention_days BETWEEN 1 AND 365),
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE gap_events (
        guild_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        missing TEXT NOT NULL,
        question TEXT,
        content_version TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX gap_events_by_guild_and_time ON gap_events (guild_id, at);
      CREATE TABLE answer_feedback (
        guild_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        voter TEXT NOT NULL,
        answer_kind TEXT NOT NULL,
        entry TEXT NOT NULL,
        reason TEXT,
        question TEXT,
        content_version TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (message_id, voter)
      );
      CREATE TABLE install_secret (
        single INTEGER PRIMARY KEY CHECK (single = 1),
        salt TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    description: "the weekly gaps report: the channel a server chose, and each week's post made exactly once",
    sqlite: `
      ALTER TABLE gap_settings ADD COLUMN report_channel_id TEXT;
      ALTER TABLE gap_settings ADD COLUMN report_since INTEGER;
      CREATE TABLE gap_reports (
        guild_id TEXT NOT NULL,
        week TEXT NOT NULL,
        nonce TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        message_id TEXT,
        sent_at INTEGER,
        PRIMARY KEY (guild_id, week)
      ) STRICT;
    `,
    postgres: `
      ALTER TABLE gap_settings ADD COLUMN report_channel_id TEXT;
      ALTER TABLE gap_settings ADD COLUMN report_since BIGINT;
      CREATE TABLE gap_reports (
        guild_id TEXT NOT NULL,
        week TEXT NOT NULL,
        nonce TEXT NOT NULL,
        claimed_at BIGINT NOT NULL,
        message_id TEXT,
        sent_at BIGINT,
        PRIMARY KEY (guild_id, week)
      );
    `,
  },
];

/** A SQLite file at `version` as the earlier runner left it (migrations 1..version, user_version set). */
export function legacySqlite(file: string, version: number): Database.Database {
  const db = new Database(file);
  for (const migration of LEGACY_MIGRATIONS.slice(0, version)) {
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return db;
}

/** A PostgreSQL database at `version` as the earlier runner left it, stackbot_schema included. */
export async function legacyPostgres(url: string, version: number): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    "CREATE TABLE stackbot_schema (version INTEGER NOT NULL, single BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (single))",
  );
  await client.query("INSERT INTO stackbot_schema (version) VALUES (0)");
  for (const migration of LEGACY_MIGRATIONS.slice(0, version)) {
    await client.query("BEGIN");
    await client.query(migration.postgres);
    await client.query("UPDATE stackbot_schema SET version = $1", [migration.version]);
    await client.query("COMMIT");
  }
  return client;
}

export const LEGACY_LATEST_VERSION = LEGACY_MIGRATIONS.length;
