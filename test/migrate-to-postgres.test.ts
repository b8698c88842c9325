import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { COPIED_TABLES, type CopiedTable, copySqliteToPostgres } from "../src/store/copy-to-postgres.ts";
import { LATEST_SCHEMA_VERSION } from "../src/store/migrations.ts";
import { DATABASE_FILE_NAME } from "../src/store/open-sqlite.ts";
import { PostgresStore, SqliteStore, type Store, StoreError } from "../src/store/store.ts";
import { legacySqlite } from "./helpers/legacy-schema.ts";
import { freshDatabase } from "./helpers/postgres.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const GUILD = "100000000000000001";
const OFF_GUILD = "100000000000000002";
const DISABLED_GUILD = "100000000000000003";
const FAILING_GUILD = "100000000000000004";
const GUILDS = [GUILD, OFF_GUILD, DISABLED_GUILD, FAILING_GUILD];
const CHANNEL = "200000000000000001";
const FEED = "https://www.open-source-ai.tech/rss/news.xml";
const CLAIMED_FEED = "https://example.org/other.xml";
const DATES = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];
/** More shown entries than one INSERT batch holds, all on one day: their order is the tie order. */
const MANY_SHOWN = 1234;

/** A clock that moves a second per reading, so every timestamp the store writes differs. */
function ticking(start = Date.parse("2026-11-28T08:00:00.000Z")): () => Date {
  let now = start;
  return () => {
    now += 1000;
    return new Date(now);
  };
}

async function withStore<T>(store: Store, work: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** A SQLite database with a row of every kind the bot writes, written through the store itself. */
async function fillSqlite(dataDir: string): Promise<void> {
  await withStore(SqliteStore.open(dataDir, { now: ticking() }), async (store) => {
    await store.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "09:00", timezone: "Europe/Berlin" });
    await store.setDigest({ guildId: OFF_GUILD, channelId: CHANNEL, time: "18:30", timezone: "America/New_York" });
    await store.turnOffDigest(OFF_GUILD);
    await store.setDigest({ guildId: DISABLED_GUILD, channelId: CHANNEL, time: "07:05", timezone: "Asia/Tokyo" });
    await store.disableDigest(DISABLED_GUILD, "the channel was deleted");
    await store.setDigest({ guildId: FAILING_GUILD, channelId: CHANNEL, time: "23:59", timezone: "UTC" });
    await store.recordDigestError(FAILING_GUILD, "Missing Access — «50001»");

    await store.claimSlot(GUILD, DATES[0]!, "nonce-sent-1");
    await store.markSent(GUILD, DATES[0]!, "300000000000000001");
    await store.claimSlot(GUILD, DATES[1]!, "nonce-skipped");
    await store.markSkipped(GUILD, DATES[1]!, "nothing new to show");
    await store.claimSlot(GUILD, DATES[2]!, "nonce-sent-2");
    await store.markSent(GUILD, DATES[2]!, "300000000000000002");
    await store.claimSlot(GUILD, DATES[3]!, "nonce-claimed");
    await store.markSkipped(FAILING_GUILD, DATES[0]!, "the channel is gone");

    // Ties on one day are listed in insertion order, which is not the entries' alphabetical order.
    for (const entry of ["zeta", "alpha", "mu", "beta"]) await store.recordShown(GUILD, "model", entry, DATES[0]!);
    await store.recordShown(GUILD, "model", "older", "2026-10-31");
    await store.recordShown(GUILD, "model", "alpha", DATES[1]!);
    await store.recordShown(GUILD, "family", "qwen", DATES[0]!);
    for (let index = 0; index < MANY_SHOWN; index += 1) {
      // Descending ids, so an order by id would differ from the order they were shown in.
      await store.recordShown(OFF_GUILD, "term", `term-${String(MANY_SHOWN - index).padStart(5, "0")}`, DATES[4]!);
    }

    await store.setAutoAnswer(GUILD, "200000000000000009");
    await store.setAutoAnswer(GUILD, "200000000000000002");
    await store.setAutoAnswer(OFF_GUILD, "200000000000000003");
    await store.claimThreadAnswer("400000000000000001", GUILD);
    await store.claimThreadAnswer("400000000000000002", GUILD);
    await store.claimThreadAnswer("400000000000000003", OFF_GUILD);
    await store.gaps.setSettings(GUILD, { keepText: true, retentionDays: 14 }, 1_000);
    await store.gaps.record({
      guildId: GUILD,
      kind: "unknown-name",
      missing: "zorblax-13b",
      question: "is zorblax-13b apache?",
      contentVersion: "v1",
      at: 2_000,
    });
    await store.gaps.recordFeedback({
      guildId: GUILD,
      messageId: "500000000000000001",
      voter: "hash",
      answerKind: "clause",
      entry: "license:llama-4#user-cap",
      reason: null,
      question: null,
      contentVersion: "v1",
      at: 3_000,
    });
    await store.gaps.salt("salt");
    await store.gaps.setReportChannel(GUILD, CHANNEL, 4_000);
    await store.gaps.claimReport(GUILD, "2026-11-30", "g20261130abc", 5_000, 0);
    await store.gaps.markReportSent(GUILD, "2026-11-30", "300000000000000001", 6_000);

    await store.saveFeedState(FEED, {
      etag: 'W/"abc"',
      lastModified: "Sat, 28 Nov 2026 07:00:00 GMT",
      fetchedAt: 1_795_848_000_123,
      body: "<rss><channel><title>Nouvelles — 新闻</title></channel></rss>",
    });
    await store.claimFeedFetch(CLAIMED_FEED, 1_795_848_100_456, 60_000);
  });
}

/** Everything a store says about the rows fillSqlite wrote, through the Store interface. */
async function readEverything(store: Store) {
  const guilds = [];
  for (const guild of GUILDS) {
    guilds.push({
      digest: await store.getDigest(guild),
      slots: await Promise.all(DATES.map((date) => store.getSlot(guild, date))),
      lastSent: await store.lastSentSlot(guild),
      shown: {
        model: await store.listShown(guild, "model"),
        family: await store.listShown(guild, "family"),
        term: await store.listShown(guild, "term"),
      },
      channels: await store.listAutoAnswerChannels(guild),
    });
  }
  return {
    enabled: await store.listEnabledDigests(),
    guilds,
    isChannel: await store.isAutoAnswerChannel("200000000000000009"),
    feeds: [await store.getFeedState(FEED), await store.getFeedState(CLAIMED_FEED)],
    reports: [await store.gaps.reportChannels(), await store.gaps.reportFor(GUILD, "2026-11-30")],
  };
}

async function countRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const { table } of COPIED_TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`);
      counts[table] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function copyError(dataDir: string, databaseUrl: string): Promise<StoreError> {
  const error = await copySqliteToPostgres({ dataDir, databaseUrl }).then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

const EXPECTED_COUNTS: Record<CopiedTable, number> = {
  digest_settings: 4,
  digest_slots: 5,
  digest_shown: 6 + MANY_SHOWN,
  autoanswer_channels: 3,
  answered_threads: 3,
  feed_state: 2,
  gap_settings: 1,
  gap_reports: 1,
  gap_events: 1,
  answer_feedback: 1,
  install_secret: 1,
};

describe("copying the SQLite database into PostgreSQL", () => {
  it("copies every row, and the PostgreSQL store reads back exactly what the SQLite one did", async () => {
    const dataDir = tempDataDir();
    const url = await freshDatabase();
    await fillSqlite(dataDir);
    const before = await withStore(SqliteStore.open(dataDir), readEverything);

    const result = await copySqliteToPostgres({ dataDir, databaseUrl: url });
    expect(result.counts).toEqual(EXPECTED_COUNTS);
    expect(result.from).toBe(join(dataDir, DATABASE_FILE_NAME));
    expect(result.to).toContain("***");
    expect(result.to).not.toContain(new URL(url).password);

    await withStore(
      await PostgresStore.open(url, { now: ticking(Date.parse("2027-01-01T00:00:00Z")) }),
      async (store) => {
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        const after = await readEverything(store);
        expect(after).toEqual(before);

        // Spot checks, so an empty read on both sides could not pass.
        expect(after.enabled.map((digest) => digest.guildId)).toEqual([GUILD, FAILING_GUILD]);
        expect(after.guilds[2]!.digest).toMatchObject({ enabled: false, disabledReason: "the channel was deleted" });
        expect(after.guilds[3]!.digest!.lastError).toBe("Missing Access — «50001»");
        expect(after.guilds[0]!.lastSent).toMatchObject({ localDate: DATES[2], messageId: "300000000000000002" });
        expect(after.guilds[0]!.slots.map((slot) => slot?.state ?? null)).toEqual([
          "sent",
          "skipped",
          "sent",
          "claimed",
          null,
        ]);
        expect(after.guilds[0]!.shown.model.map((entry) => entry.entryId)).toEqual([
          "older",
          "zeta",
          "mu",
          "beta",
          "alpha",
        ]);
        const terms = after.guilds[1]!.shown.term;
        expect(terms).toHaveLength(MANY_SHOWN);
        expect(terms[0]!.entryId).toBe(`term-0${MANY_SHOWN}`);
        expect(terms.at(-1)!.entryId).toBe("term-00001");
        expect(after.guilds[0]!.channels).toEqual(["200000000000000002", "200000000000000009"]);
        expect(after.feeds[0]).toEqual({
          etag: 'W/"abc"',
          lastModified: "Sat, 28 Nov 2026 07:00:00 GMT",
          fetchedAt: 1_795_848_000_123,
          body: "<rss><channel><title>Nouvelles — 新闻</title></channel></rss>",
        });
        expect(after.feeds[1]).toEqual({ etag: null, lastModified: null, fetchedAt: 1_795_848_100_456, body: "" });

        // The copied rows behave as the bot's own: answered threads stay answered, claims carry over.
        expect(await store.claimThreadAnswer("400000000000000001", GUILD)).toBe(false);
        expect(await store.claimThreadAnswer("400000000000000003", OFF_GUILD)).toBe(false);
        expect(await store.claimThreadAnswer("400000000000000004", GUILD)).toBe(true);
        expect(await store.claimSlot(GUILD, DATES[3]!, "another-nonce")).toEqual({
          status: "claimed-before",
          nonce: "nonce-claimed",
        });
        expect(await store.claimSlot(GUILD, DATES[0]!, "another-nonce")).toEqual({
          status: "sent",
          messageId: "300000000000000001",
        });
        expect(await store.claimFeedFetch(FEED, 1_795_848_000_123 + 1000, 60_000)).toBe(false);
        // A newly shown entry goes after the copied ones on the same day.
        await store.recordShown(GUILD, "family", "llama", DATES[0]!);
        expect((await store.listShown(GUILD, "family")).map((entry) => entry.entryId)).toEqual(["qwen", "llama"]);
      },
    );
  });

  it("refuses a second run, or any database that already holds rows, and writes nothing", async () => {
    const dataDir = tempDataDir();
    const url = await freshDatabase();
    await fillSqlite(dataDir);
    await copySqliteToPostgres({ dataDir, databaseUrl: url });

    await withStore(SqliteStore.open(dataDir), (store) =>
      store.setDigest({ guildId: "100000000000000099", channelId: CHANNEL, time: "12:00", timezone: "UTC" }),
    );
    const error = await copyError(dataDir, url);
    expect(error.message).toMatch(
      /already holds Stackbot data \(digest_settings: 4 rows, .*feed_state: 2 rows, .*install_secret: 1 row\)/,
    );
    expect(error.message).toContain("nothing was written");
    expect(error.message).not.toContain(new URL(url).password);
    expect(await countRows(url)).toEqual(EXPECTED_COUNTS);

    // A bot that has already started on PostgreSQL has written a row of its own: that is refused too.
    const used = await freshDatabase();
    await withStore(await PostgresStore.open(used), (store) => store.claimFeedFetch(FEED, 1, 60_000));
    expect((await copyError(dataDir, used)).message).toMatch(/already holds Stackbot data \(feed_state: 1 row\)/);
    expect(await countRows(used)).toEqual({ ...zeroCounts(), feed_state: 1 });
  });

  it("a missing SQLite file is a clear error naming it, and creates nothing", async () => {
    const dataDir = join(tempDataDir(), "nowhere");
    const url = await freshDatabase();
    const error = await copyError(dataDir, url);
    expect(error.message).toContain(join(dataDir, DATABASE_FILE_NAME));
    expect(error.message).toMatch(/no SQLite database.*DATA_DIR/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("brings an older SQLite database to the latest schema before copying it", async () => {
    const dataDir = tempDataDir();
    const url = await freshDatabase();
    const db = legacySqlite(join(dataDir, DATABASE_FILE_NAME), 1);
    db.prepare(
      "INSERT INTO digest_settings (guild_id, channel_id, time, timezone, updated_at) VALUES (?, ?, '09:00', 'UTC', ?)",
    ).run(GUILD, CHANNEL, "2026-11-28T08:00:00.000Z");
    db.close();

    const result = await copySqliteToPostgres({ dataDir, databaseUrl: url });
    expect(result.counts).toEqual({ ...zeroCounts(), digest_settings: 1 });
    await withStore(SqliteStore.open(dataDir), async (store) => {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    });
    await withStore(await PostgresStore.open(url), async (store) => {
      expect(await store.getDigest(GUILD)).toMatchObject({ channelId: CHANNEL, time: "09:00", enabled: true });
    });
  });
});

function zeroCounts(): Record<CopiedTable, number> {
  return {
    digest_settings: 0,
    digest_slots: 0,
    digest_shown: 0,
    autoanswer_channels: 0,
    answered_threads: 0,
    feed_state: 0,
    gap_settings: 0,
    gap_reports: 0,
    gap_events: 0,
    answer_feedback: 0,
    install_secret: 0,
  };
}

describe("npm run db:migrate-to-postgres", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const script = join(root, "src/cli/migrate-to-postgres.ts");
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

  /**
   * Runs the command as npm does, from a directory of its own, so a .env in the checkout cannot
   * supply DATABASE_URL or DATA_DIR; only the variables given (and PATH) are set.
   */
  function run(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const cwd = mkdtempSync(join(tmpdir(), "stackbot-cwd-"));
    onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["--import", tsx, script],
        { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it("copies, prints the counts and where, and exits 0", async () => {
    const dataDir = tempDataDir();
    const url = await freshDatabase();
    await fillSqlite(dataDir);
    const { code, stdout, stderr } = await run({ DATA_DIR: dataDir, DATABASE_URL: url });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const redacted = new URL(url);
    redacted.password = "***";
    expect(stdout.trim()).toBe(
      `copied 4 digest settings, 5 digest slots, ${6 + MANY_SHOWN} shown digest entries, 3 auto-answer channels, ` +
        `3 answered threads, 2 news feed states, 1 gaps setting, 1 weekly gaps report, 1 recorded gap, 1 answer marked wrong, 1 install salt ` +
        `from ${join(dataDir, DATABASE_FILE_NAME)} to ${redacted}`,
    );
    expect(stdout).not.toContain(new URL(url).password);
    expect(await countRows(url)).toEqual(EXPECTED_COUNTS);

    // Run again: refused, in one line, exit 1.
    const again = await run({ DATA_DIR: dataDir, DATABASE_URL: url });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(/^cannot copy: .*already holds Stackbot data/);
  });

  it("without DATABASE_URL it names DATABASE_URL and exits 1", async () => {
    const dataDir = tempDataDir();
    await fillSqlite(dataDir);
    const { code, stdout, stderr } = await run({ DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^cannot copy: DATABASE_URL is not set/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
