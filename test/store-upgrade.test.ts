import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "../src/store/migrations.ts";
import { openStore, type Store, StoreError } from "../src/store/store.ts";
import { LEGACY_LATEST_VERSION, legacyPostgres, legacySqlite } from "./helpers/legacy-schema.ts";
import { freshDatabase } from "./helpers/postgres.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const GUILD = "100000000000000001";

/**
 * Rows of every table that exists at `version`, written as the earlier code wrote them. Literal
 * values only, so the same statements run on both engines.
 */
function legacyRows(version: number): string[] {
  const rows = [
    `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, enabled, updated_at)
     VALUES ('${GUILD}', 'c1', '09:00', 'Europe/Berlin', 1, '2026-11-01T08:00:00.000Z')`,
    `INSERT INTO digest_slots (guild_id, local_date, nonce, state, message_id, claimed_at, sent_at)
     VALUES ('${GUILD}', '2026-11-01', 'n1', 'sent', 'm1', '2026-11-01T08:00:00.000Z', '2026-11-01T08:00:01.000Z')`,
  ];
  if (version >= 2) {
    rows.push(
      `INSERT INTO digest_shown (guild_id, kind, entry_id, local_date) VALUES ('${GUILD}', 'term', 'zeta', '2026-11-01')`,
      `INSERT INTO digest_shown (guild_id, kind, entry_id, local_date) VALUES ('${GUILD}', 'term', 'alpha', '2026-11-01')`,
      `INSERT INTO autoanswer_channels (guild_id, channel_id) VALUES ('${GUILD}', 'c2')`,
      `INSERT INTO answered_threads (thread_id, guild_id, answered_at) VALUES ('t1', '${GUILD}', '2026-11-01T08:00:00.000Z')`,
      `INSERT INTO feed_state (url, etag, last_modified, fetched_at, body) VALUES ('https://example.test/rss.xml', 'e1', NULL, 1795848000123, '<rss/>')`,
    );
  }
  if (version >= 5) {
    rows.push(
      `INSERT INTO gap_settings (guild_id, keep_text, retention_days, updated_at) VALUES ('${GUILD}', 1, 14, 1000)`,
      `INSERT INTO gap_events (guild_id, kind, missing, question, content_version, at)
       VALUES ('${GUILD}', 'unknown-name', 'zorblax-13b', 'is zorblax-13b apache?', 'v1', 2000)`,
      `INSERT INTO install_secret (single, salt) VALUES (1, 'the-old-salt')`,
    );
  }
  if (version >= 6) {
    rows.push(
      `UPDATE gap_settings SET report_channel_id = 'c3', report_since = 4000 WHERE guild_id = '${GUILD}'`,
      `INSERT INTO gap_reports (guild_id, week, nonce, claimed_at, message_id, sent_at)
       VALUES ('${GUILD}', '2026-11-30', 'g1', 5000, 'm9', 6000)`,
    );
  }
  return rows;
}

/** What the store reads back of legacyRows(version), and that the rows still behave as the bot's own. */
/** The StoreError opening the SQLite store in `dataDir` throws (the test fails when it opens). */
async function openingError(dataDir: string): Promise<Error> {
  const error = await openStore({ DATA_DIR: dataDir }).then(
    async (store) => {
      await store.close();
      return null;
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as Error;
}

async function expectLegacyRows(store: Store, version: number): Promise<void> {
  expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
  expect(await store.getDigest(GUILD)).toMatchObject({ channelId: "c1", time: "09:00", enabled: true });
  expect(await store.claimSlot(GUILD, "2026-11-01", "another")).toEqual({ status: "sent", messageId: "m1" });
  if (version >= 2) {
    await store.recordShown(GUILD, "term", "mu", "2026-11-01");
    expect((await store.listShown(GUILD, "term")).map((entry) => entry.entryId)).toEqual(["zeta", "alpha", "mu"]);
    expect(await store.listAutoAnswerChannels(GUILD)).toEqual(["c2"]);
    expect(await store.claimThreadAnswer("t1", GUILD)).toBe(false);
    expect(await store.getFeedState("https://example.test/rss.xml")).toEqual({
      etag: "e1",
      lastModified: null,
      fetchedAt: 1_795_848_000_123,
      body: "<rss/>",
    });
  }
  if (version >= 5) {
    expect(await store.gaps.settings(GUILD)).toEqual({ keepText: true, retentionDays: 14 });
    expect((await store.gaps.topGaps(GUILD, 0, 10))[0]).toMatchObject({ missing: "zorblax-13b", count: 1 });
    expect(await store.gaps.salt("a-new-salt")).toBe("the-old-salt");
  }
  if (version >= 6) {
    expect(await store.gaps.reportChannels()).toEqual([{ guildId: GUILD, channelId: "c3", since: 4000 }]);
    expect(await store.gaps.reportFor(GUILD, "2026-11-30")).toEqual({ messageId: "m9", sentAt: 6000 });
  }
  // Every table of the latest schema is there and writable, whatever the version upgraded from.
  expect(await store.markInteractionSeen("i1", 1)).toBe(true);
  expect(await store.claimAnswer("c1", "k", 1, 30_000)).toEqual({ status: "claimed" });
  await store.gaps.setReportChannel(GUILD, "c4", 7000);
  expect(await store.gaps.claimReport(GUILD, "2026-12-07", "g2", 8000, 60_000)).toMatchObject({ status: "claimed" });
}

describe("databases made before the migrations moved to Kysely", () => {
  it("a SQLite file at each earlier version: the versions it ran are recorded as done, the rest run, rows kept", async () => {
    expect(LEGACY_LATEST_VERSION).toBe(6);
    for (let version = 1; version <= LEGACY_LATEST_VERSION; version += 1) {
      const dataDir = tempDataDir();
      const db = legacySqlite(join(dataDir, "stackbot.sqlite"), version);
      for (const row of legacyRows(version)) db.exec(row);
      db.close();

      const store = await openStore({ DATA_DIR: dataDir });
      try {
        await expectLegacyRows(store, version);
      } finally {
        await store.close();
      }
      const after = new Database(join(dataDir, "stackbot.sqlite"), { readonly: true });
      const ran = after.prepare<[], { name: string }>("SELECT name FROM kysely_migration ORDER BY name").all();
      after.close();
      expect(ran.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    }
  });

  it("a PostgreSQL database at version 6 opened by several instances at once: migrated once, rows kept", async () => {
    const url = await freshDatabase();
    const client = await legacyPostgres(url, 6);
    for (const row of legacyRows(6)) await client.query(row);
    await client.end();

    const stores = await Promise.all(
      Array.from({ length: 6 }, () => openStore({ DATABASE_URL: url, DATA_DIR: "/nonexistent" })),
    );
    try {
      for (const store of stores) expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      await expectLegacyRows(stores[0]!, 6);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const ran = await check.query<{ name: string }>("SELECT name FROM kysely_migration ORDER BY name");
      expect(ran.rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      const legacy = await check.query<{ found: string | null }>("SELECT to_regclass('stackbot_schema') AS found");
      expect(legacy.rows[0]!.found).toBeNull();
    } finally {
      await check.end();
    }
  });

  it("a PostgreSQL database at version 2: migrations 3 and later run on it, rows kept", async () => {
    const url = await freshDatabase();
    const client = await legacyPostgres(url, 2);
    for (const row of legacyRows(2)) await client.query(row);
    await client.end();
    const store = await openStore({ DATABASE_URL: url, DATA_DIR: "/nonexistent" });
    try {
      await expectLegacyRows(store, 2);
    } finally {
      await store.close();
    }
  });

  it("a SQLite upgrade that fails part-way leaves the file at its version, unchanged", async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, "stackbot.sqlite");
    const db = legacySqlite(file, 1);
    // A table in the way of migration 2, which creates digest_shown and autoanswer_channels before it.
    db.exec("CREATE TABLE answered_threads (in_the_way TEXT)");
    db.close();
    const error = await openingError(dataDir);
    expect(error.message).toMatch(/from schema version 1 failed .*left at version 1, unchanged/);
    const after = new Database(file, { readonly: true });
    const tables = after
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    after.close();
    expect(tables).not.toContain("digest_shown");
    expect(tables).not.toContain("autoanswer_channels");
  });

  it("a SQLite file recording a migration this code does not know is refused as newer", async () => {
    const dataDir = tempDataDir();
    const first = await openStore({ DATA_DIR: dataDir });
    await first.close();
    const db = new Database(join(dataDir, "stackbot.sqlite"));
    db.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)").run(
      `${String(LATEST_SCHEMA_VERSION + 1).padStart(4, "0")}-from-a-newer-stackbot`,
      new Date().toISOString(),
    );
    db.close();
    const error = await openingError(dataDir);
    expect(error.message).toMatch(
      new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, .*written by a newer Stackbot`),
    );
  });
});
