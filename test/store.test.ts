import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, LATEST_SCHEMA_VERSION, MIGRATIONS } from "../src/store/migrations.ts";
import { Store, StoreError, StoreWriteError } from "../src/store/store.ts";
import { canMount, smallDisk } from "./helpers/small-disk.ts";

const GUILD = "100000000000000001";
const OTHER_GUILD = "100000000000000002";
const CHANNEL = "200000000000000001";
const FIXED_NOW = new Date("2026-11-28T08:00:00.000Z");

let dir: string;
const stores: Store[] = [];

function openStore(dataDir = dir): Store {
  const store = Store.open(dataDir, { now: () => FIXED_NOW });
  stores.push(store);
  return store;
}

function databaseFile(dataDir = dir): string {
  return join(dataDir, "stackbot.sqlite");
}

function openError(dataDir = dir): StoreError {
  try {
    openStore(dataDir);
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error("expected Store.open to throw");
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "stackbot-store-"));
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe("opening and migrations", () => {
  it("creates the directory and migrates an empty database to the latest version", () => {
    const dataDir = join(dir, "nested", "data");
    const store = openStore(dataDir);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.path).toBe(databaseFile(dataDir));

    const db = new Database(databaseFile(dataDir), { readonly: true });
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(tables).toEqual([
      "answered_threads",
      "autoanswer_channels",
      "digest_settings",
      "digest_shown",
      "digest_slots",
      "feed_state",
    ]);
  });

  it("upgrades a version 1 database and keeps its rows", () => {
    const db = new Database(databaseFile());
    applyMigrations(db, MIGRATIONS.slice(0, 1));
    db.prepare(
      "INSERT INTO digest_settings (guild_id, channel_id, time, timezone, updated_at) VALUES (?, ?, '09:00', 'Europe/Berlin', ?)",
    ).run(GUILD, CHANNEL, FIXED_NOW.toISOString());
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();

    const store = openStore();
    expect(store.schemaVersion).toBe(2);
    expect(store.getDigest(GUILD)).toMatchObject({ channelId: CHANNEL, time: "09:00", enabled: true });
    expect(store.claimThreadAnswer("300", GUILD)).toBe(true);
  });

  it("keeps its data across close and reopen", () => {
    const first = openStore();
    first.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "07:30", timezone: "America/New_York" });
    first.claimSlot(GUILD, "2026-11-28", "nonce-1");
    first.markSent(GUILD, "2026-11-28", "m-1");
    first.close();

    const second = openStore();
    expect(second.getDigest(GUILD)?.time).toBe("07:30");
    expect(second.lastSentSlot(GUILD)).toEqual({
      localDate: "2026-11-28",
      messageId: "m-1",
      sentAt: FIXED_NOW.toISOString(),
    });
  });

  it("refuses a file that is not a database, saying what to do", () => {
    writeFileSync(
      databaseFile(),
      Buffer.from("this is not a database, just some garbage bytes\u0000\u0001".repeat(200)),
    );
    const error = openError();
    expect(error.message).toContain(databaseFile());
    expect(error.message).toMatch(/not a usable SQLite database/);
    expect(error.message).toMatch(/restore the file from a backup or move it away/);
  });

  it("refuses a database written by a newer version", () => {
    const db = new Database(databaseFile());
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const error = openError();
    expect(error.message).toContain(databaseFile());
    expect(error.message).toMatch(/schema version 3.*newer Stackbot/);
  });

  it("refuses an unwritable data directory", (context) => {
    chmodSync(dir, 0o500);
    if (canWrite(dir)) context.skip("running as root: permissions are not enforced");
    const error = openError();
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/not writable/);
  });

  it("refuses a data directory that is a file", () => {
    const notADirectory = join(dir, "plain-file");
    writeFileSync(notADirectory, "");
    const error = openError(notADirectory);
    expect(error.message).toMatch(/Cannot create the data directory/);
  });
});

describe("digest settings", () => {
  it("upserts, turns off, disables with a reason and records errors", () => {
    const store = openStore();
    expect(store.getDigest(GUILD)).toBeNull();

    store.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "09:00", timezone: "Europe/Berlin" });
    store.setDigest({ guildId: OTHER_GUILD, channelId: CHANNEL, time: "10:00", timezone: "UTC" });
    expect(store.listEnabledDigests().map((digest) => digest.guildId)).toEqual([GUILD, OTHER_GUILD]);

    expect(store.recordDigestError(GUILD, "Missing Access")).toBe(true);
    expect(store.disableDigest(GUILD, "the channel was deleted")).toBe(true);
    expect(store.getDigest(GUILD)).toMatchObject({
      enabled: false,
      disabledReason: "the channel was deleted",
      lastError: "Missing Access",
    });
    expect(store.listEnabledDigests().map((digest) => digest.guildId)).toEqual([OTHER_GUILD]);

    const again = store.setDigest({ guildId: GUILD, channelId: "2", time: "06:15", timezone: "Asia/Tokyo" });
    expect(again).toEqual({
      guildId: GUILD,
      channelId: "2",
      time: "06:15",
      timezone: "Asia/Tokyo",
      enabled: true,
      disabledReason: null,
      lastError: null,
      updatedAt: FIXED_NOW.toISOString(),
    });

    expect(store.turnOffDigest(GUILD)).toBe(true);
    expect(store.getDigest(GUILD)).toMatchObject({ enabled: false, disabledReason: null });
    expect(store.turnOffDigest("unknown")).toBe(false);
  });
});

describe("exactly-once slots", () => {
  it("claims once, hands the same nonce back until sent, then reports sent", () => {
    const store = openStore();
    expect(store.claimSlot(GUILD, "2026-11-28", "nonce-a")).toEqual({ status: "claimed", nonce: "nonce-a" });
    expect(store.claimSlot(GUILD, "2026-11-28", "nonce-b")).toEqual({ status: "claimed-before", nonce: "nonce-a" });

    expect(store.markSent(GUILD, "2026-11-28", "message-1")).toBe(true);
    expect(store.claimSlot(GUILD, "2026-11-28", "nonce-c")).toEqual({ status: "sent", messageId: "message-1" });
    expect(store.markSent(GUILD, "2026-11-28", "message-2")).toBe(false);
    expect(store.markSkipped(GUILD, "2026-11-28", "too late")).toBe(false);
    expect(store.getSlot(GUILD, "2026-11-28")).toEqual({
      guildId: GUILD,
      localDate: "2026-11-28",
      nonce: "nonce-a",
      state: "sent",
      messageId: "message-1",
      reason: null,
      claimedAt: FIXED_NOW.toISOString(),
      sentAt: FIXED_NOW.toISOString(),
    });
  });

  it("records skipped days, claimed or not", () => {
    const store = openStore();
    expect(store.markSkipped(GUILD, "2026-11-27", "the bot was offline")).toBe(true);
    expect(store.claimSlot(GUILD, "2026-11-27", "n")).toEqual({ status: "skipped", reason: "the bot was offline" });

    store.claimSlot(GUILD, "2026-11-28", "n2");
    expect(store.markSkipped(GUILD, "2026-11-28", "nothing new")).toBe(true);
    expect(store.getSlot(GUILD, "2026-11-28")).toMatchObject({ state: "skipped", nonce: "n2", reason: "nothing new" });
    expect(store.getSlot(GUILD, "2026-11-29")).toBeNull();
  });

  it("keeps slots per guild and finds the latest sent one", () => {
    const store = openStore();
    expect(store.lastSentSlot(GUILD)).toBeNull();
    store.claimSlot(GUILD, "2026-11-26", "a");
    store.markSent(GUILD, "2026-11-26", "m26");
    store.claimSlot(GUILD, "2026-11-27", "b");
    store.markSent(GUILD, "2026-11-27", "m27");
    store.claimSlot(GUILD, "2026-11-28", "c");
    store.markSkipped(OTHER_GUILD, "2026-11-28", "other guild");
    expect(store.claimSlot(OTHER_GUILD, "2026-11-27", "d").status).toBe("claimed");
    expect(store.lastSentSlot(GUILD)).toMatchObject({ localDate: "2026-11-27", messageId: "m27" });
  });
});

describe("shown entries", () => {
  it("lists the least recently shown first, per guild and kind", () => {
    const store = openStore();
    store.recordShown(GUILD, "term", "moe", "2026-11-25");
    store.recordShown(GUILD, "term", "lora", "2026-11-26");
    store.recordShown(GUILD, "licence", "mit", "2026-11-26");
    store.recordShown(OTHER_GUILD, "term", "rag", "2026-11-20");
    store.recordShown(GUILD, "term", "moe", "2026-11-27");
    expect(store.listShown(GUILD, "term")).toEqual([
      { entryId: "lora", localDate: "2026-11-26" },
      { entryId: "moe", localDate: "2026-11-27" },
    ]);
    expect(store.listShown(GUILD, "family")).toEqual([]);
  });
});

describe("auto-answer", () => {
  it("adds, lists, checks and removes channels", () => {
    const store = openStore();
    store.setAutoAnswer(GUILD, "c2");
    store.setAutoAnswer(GUILD, "c1");
    store.setAutoAnswer(GUILD, "c1");
    store.setAutoAnswer(OTHER_GUILD, "c3");
    expect(store.listAutoAnswerChannels(GUILD)).toEqual(["c1", "c2"]);
    expect(store.isAutoAnswerChannel("c1")).toBe(true);
    expect(store.isAutoAnswerChannel("c9")).toBe(false);

    expect(store.removeAutoAnswer(GUILD, "c1")).toBe(1);
    expect(store.removeAutoAnswer(GUILD, "c3")).toBe(0);
    expect(store.removeAutoAnswer(GUILD)).toBe(1);
    expect(store.listAutoAnswerChannels(GUILD)).toEqual([]);
    expect(store.isAutoAnswerChannel("c3")).toBe(true);
  });

  it("claims a thread answer once, across reopening", () => {
    const store = openStore();
    expect(store.claimThreadAnswer("thread-1", GUILD)).toBe(true);
    expect(store.claimThreadAnswer("thread-1", GUILD)).toBe(false);
    expect(store.claimThreadAnswer("thread-2", GUILD)).toBe(true);
    store.close();
    expect(openStore().claimThreadAnswer("thread-1", GUILD)).toBe(false);
  });
});

describe("feed state", () => {
  it("saves and replaces the state per URL", () => {
    const store = openStore();
    const url = "https://example.test/rss.xml";
    expect(store.getFeedState(url)).toBeNull();
    store.saveFeedState(url, { etag: '"v1"', lastModified: null, fetchedAt: 1, body: "<rss/>" });
    store.saveFeedState(url, { etag: null, lastModified: "Sat, 28 Nov 2026 07:00:00 GMT", fetchedAt: 2, body: "b" });
    expect(store.getFeedState(url)).toEqual({
      etag: null,
      lastModified: "Sat, 28 Nov 2026 07:00:00 GMT",
      fetchedAt: 2,
      body: "b",
    });
  });
});

describe("forgetGuild", () => {
  it("deletes every row of the guild and nothing else", () => {
    const store = openStore();
    for (const guildId of [GUILD, OTHER_GUILD]) {
      store.setDigest({ guildId, channelId: CHANNEL, time: "09:00", timezone: "UTC" });
      store.claimSlot(guildId, "2026-11-28", "n");
      store.recordShown(guildId, "term", "moe", "2026-11-28");
      store.setAutoAnswer(guildId, `channel-${guildId}`);
      store.claimThreadAnswer(`thread-${guildId}`, guildId);
    }
    store.saveFeedState("https://example.test/rss.xml", { etag: null, lastModified: null, fetchedAt: 1, body: "" });

    expect(store.forgetGuild(GUILD)).toBe(5);

    expect(store.getDigest(GUILD)).toBeNull();
    expect(store.getSlot(GUILD, "2026-11-28")).toBeNull();
    expect(store.listShown(GUILD, "term")).toEqual([]);
    expect(store.listAutoAnswerChannels(GUILD)).toEqual([]);
    expect(store.claimThreadAnswer(`thread-${GUILD}`, GUILD)).toBe(true);

    expect(store.getDigest(OTHER_GUILD)).not.toBeNull();
    expect(store.getSlot(OTHER_GUILD, "2026-11-28")).not.toBeNull();
    expect(store.listShown(OTHER_GUILD, "term")).toHaveLength(1);
    expect(store.listAutoAnswerChannels(OTHER_GUILD)).toHaveLength(1);
    expect(store.claimThreadAnswer(`thread-${OTHER_GUILD}`, OTHER_GUILD)).toBe(false);
    expect(store.getFeedState("https://example.test/rss.xml")).not.toBeNull();
  });
});

/** Root ignores permission bits, so a chmod test only means something when the write really fails. */
function canWrite(directory: string): boolean {
  try {
    accessSync(directory, constants.W_OK);
    const probe = join(directory, ".write-probe");
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

describe("the file under the running bot", () => {
  it("deleted while open: noticed, written back from the open connection, nothing lost", () => {
    const store = openStore();
    store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    rmSync(databaseFile());
    expect(store.checkFile()).toEqual({ status: "restored", problem: "deleted", movedAside: null });
    store.setAutoAnswer("g1", "c2");
    store.close();
    const reopened = openStore();
    expect(reopened.getDigest("g1")?.channelId).toBe("c1");
    expect(reopened.listAutoAnswerChannels("g1")).toEqual(["c2"]);
  });

  it("replaced by another file: the stranger is moved aside and the bot's data written back", () => {
    const store = openStore();
    store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    const path = databaseFile();
    rmSync(path);
    writeFileSync(path, "not a database at all");
    const result = store.checkFile();
    expect(result.status === "restored" && result.problem).toBe("replaced");
    expect(store.checkFile()).toEqual({ status: "ok" });
    store.close();
    const reopened = openStore();
    expect(reopened.getDigest("g1")?.channelId).toBe("c1");
  });

  it.skipIf(!canMount)("a full disk: the write fails as a StoreWriteError naming the full disk", () => {
    const disk = smallDisk()!;
    const store = openStore(disk.dir);
    store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    disk.fill();
    let failure: unknown;
    try {
      for (let day = 1; day <= 400; day++)
        store.recordShown("g1", "term", `entry-${"x".repeat(200)}-${day}`, "2026-12-01");
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect((failure as StoreWriteError).kind).toBe("disk-full");
    expect((failure as Error).message).toMatch(/the disk holding .*stackbot\.sqlite is full/);
    disk.free();
    store.setAutoAnswer("g1", "c2");
    expect(store.listAutoAnswerChannels("g1")).toEqual(["c2"]);
  });

  it.skipIf(!canMount)("opening an existing database on a full disk says the disk is full", () => {
    const disk = smallDisk()!;
    const store = openStore(disk.dir);
    store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    store.close();
    disk.fill();
    // SQLite says "disk I/O error" (SQLITE_IOERR_SHMSIZE) here; the free space shows it is a full disk.
    expect(openError(disk.dir).message).toMatch(/^The disk holding .*stackbot\.sqlite is full \(SQLITE_IOERR/);
  });
});
