import pg from "pg";
import { describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION } from "../src/store/migrations.ts";
import { openStore, PostgresStore, StoreError } from "../src/store/store.ts";
import { freshDatabase, postgresServerUrl } from "./helpers/postgres.ts";

async function openError(url: string): Promise<StoreError> {
  const error = await PostgresStore.open(url).then(
    async (store) => {
      await store.close();
      return null;
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

function withPart(url: string, change: (parsed: URL) => void): string {
  const parsed = new URL(url);
  change(parsed);
  return parsed.toString();
}

describe("PostgreSQL: opening and migrations", () => {
  it("DATABASE_URL chooses PostgreSQL; several instances starting at once migrate it once", async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(
      Array.from({ length: 6 }, () => openStore({ DATABASE_URL: url, DATA_DIR: "/nonexistent" })),
    );
    try {
      for (const store of stores) {
        expect(store.engine).toBe("postgres");
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      await client.end();
      expect(tables.rows.map((row) => row.tablename)).toEqual([
        "answer_claims",
        "answer_feedback",
        "answered_threads",
        "autoanswer_channels",
        "digest_settings",
        "digest_shown",
        "digest_slots",
        "feed_state",
        "gap_events",
        "gap_reports",
        "gap_settings",
        "install_secret",
        "kysely_migration",
        "kysely_migration_lock",
        "seen_interactions",
      ]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("never shows the password, and refuses a database written by a newer version", async () => {
    const url = await freshDatabase();
    const store = await PostgresStore.open(url);
    expect(store.location).not.toContain(new URL(url).password);
    expect(store.location).toContain("***");
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // A migration this code does not know, recorded as Kysely records the ones it ran.
    await client.query("INSERT INTO kysely_migration (name, timestamp) VALUES ($1, $2)", [
      `${String(LATEST_SCHEMA_VERSION + 1).padStart(4, "0")}-from-a-newer-stackbot`,
      new Date().toISOString(),
    ]);
    await client.end();
    expect((await openError(url)).message).toMatch(/schema version \d+.*newer Stackbot/);
  });

  it("a wrong password, a missing database and a closed port each say what to fix", async () => {
    const server = postgresServerUrl();
    expect(
      (
        await openError(
          withPart(server, (url) => {
            url.password = "wrong";
          }),
        )
      ).message,
    ).toMatch(/refused the login.*Check the user name and password in DATABASE_URL/);
    expect(
      (
        await openError(
          withPart(server, (url) => {
            url.pathname = "/no_such_database";
          }),
        )
      ).message,
    ).toMatch(/does not exist.*Create it/);
    const closed = await openError(
      withPart(server, (url) => {
        url.port = "1";
      }),
    );
    expect(closed.message).toMatch(/Cannot reach PostgreSQL at .*127\.0\.0\.1:1.*Is the server running/);
    expect(closed.message).not.toContain(new URL(server).password);
  });

  it("purges gap text after a retention of 25 days or more (days times a day's milliseconds pass 32 bits)", async () => {
    const store = await PostgresStore.open(await freshDatabase());
    try {
      const day = 86_400_000;
      const now = 1_800_000_000_000;
      await store.gaps.setSettings("g", { keepText: true, retentionDays: 30 }, now);
      const gap = { guildId: "g", kind: "unknown-name", missing: "m", contentVersion: "v1" };
      await store.gaps.record({ ...gap, question: "older than 30 days", at: now - 40 * day });
      await store.gaps.record({ ...gap, question: "kept", at: now - 10 * day });
      expect(await store.gaps.purgeText(now)).toBe(1);
      expect((await store.gaps.topGaps("g", 0, 10))[0]).toMatchObject({ count: 2, example: "kept" });
    } finally {
      await store.close();
    }
  });
});

describe("PostgreSQL: digest change notices", () => {
  it("a digest the bot turned off, skipping its day, is announced to the other instances", async () => {
    const url = await freshDatabase();
    const [posting, watching] = [await PostgresStore.open(url), await PostgresStore.open(url)];
    try {
      await posting.setDigest({ guildId: "1", channelId: "10", time: "09:00", timezone: "UTC" });
      let notices = 0;
      const stop = await watching.watchDigestChanges(() => notices++);
      // The listener tells once when it has connected (whatever changed before is read then).
      await expect.poll(() => notices, { timeout: 10_000 }).toBe(1);
      await posting.disableDigestFrom("1", "2026-12-01", "the channel is gone");
      await expect.poll(() => notices, { timeout: 5000 }).toBe(2);
      await stop();
    } finally {
      await Promise.all([posting.close(), watching.close()]);
    }
  });
});
