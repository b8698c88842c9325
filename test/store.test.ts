import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION } from "../src/store/migrations.ts";
import { SqliteStore, StoreError, StoreWriteError } from "../src/store/store.ts";
import { legacySqlite } from "./helpers/legacy-schema.ts";
import { canMount, smallDisk } from "./helpers/small-disk.ts";

const GUILD = "100000000000000001";
const _OTHER_GUILD = "100000000000000002";
const CHANNEL = "200000000000000001";
const FIXED_NOW = new Date("2026-11-28T08:00:00.000Z");

let dir: string;
const stores: SqliteStore[] = [];

function openStore(dataDir = dir): SqliteStore {
  const store = SqliteStore.open(dataDir, { now: () => FIXED_NOW });
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

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe("opening and migrations", () => {
  it("creates the directory and migrates an empty database to the latest version", async () => {
    const dataDir = join(dir, "nested", "data");
    const store = openStore(dataDir);
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(store.path).toBe(databaseFile(dataDir));

    const db = new Database(databaseFile(dataDir), { readonly: true });
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(tables).toEqual([
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
  });

  it("upgrades a version 1 database and keeps its rows", async () => {
    const db = legacySqlite(databaseFile(), 1);
    db.prepare(
      "INSERT INTO digest_settings (guild_id, channel_id, time, timezone, updated_at) VALUES (?, ?, '09:00', 'Europe/Berlin', ?)",
    ).run(GUILD, CHANNEL, FIXED_NOW.toISOString());
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();

    const store = openStore();
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getDigest(GUILD)).toMatchObject({ channelId: CHANNEL, time: "09:00", enabled: true });
    expect(await store.claimThreadAnswer("300", GUILD)).toBe(true);
  });

  it("keeps its data across close and reopen", async () => {
    const first = openStore();
    await first.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "07:30", timezone: "America/New_York" });
    await first.claimSlot(GUILD, "2026-11-28", "nonce-1");
    await first.markSent(GUILD, "2026-11-28", "m-1");
    await first.close();

    const second = openStore();
    expect((await second.getDigest(GUILD))?.time).toBe("07:30");
    expect(await second.lastSentSlot(GUILD)).toEqual({
      localDate: "2026-11-28",
      messageId: "m-1",
      sentAt: FIXED_NOW.toISOString(),
    });
  });

  it("refuses a file that is not a database, saying what to do", async () => {
    writeFileSync(
      databaseFile(),
      Buffer.from("this is not a database, just some garbage bytes\u0000\u0001".repeat(200)),
    );
    const error = openError();
    expect(error.message).toContain(databaseFile());
    expect(error.message).toMatch(/not a usable SQLite database/);
    expect(error.message).toMatch(/restore the file from a backup or move it away/);
  });

  it("refuses a database written by a newer version", async () => {
    const db = new Database(databaseFile());
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const error = openError();
    expect(error.message).toContain(databaseFile());
    expect(error.message).toMatch(new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}.*newer Stackbot`));
  });

  it("refuses an unwritable data directory", async (context) => {
    chmodSync(dir, 0o500);
    if (canWrite(dir)) context.skip("running as root: permissions are not enforced");
    const error = openError();
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/not writable/);
  });

  it("refuses a data directory that is a file", async () => {
    const notADirectory = join(dir, "plain-file");
    writeFileSync(notADirectory, "");
    const error = openError(notADirectory);
    expect(error.message).toMatch(/Cannot create the data directory/);
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
  it("deleted while open: noticed, written back from the open connection, nothing lost", async () => {
    const store = openStore();
    await store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    rmSync(databaseFile());
    expect(store.checkFile()).toEqual({ status: "restored", problem: "deleted", movedAside: null });
    await store.setAutoAnswer("g1", "c2");
    await store.close();
    const reopened = openStore();
    expect((await reopened.getDigest("g1"))?.channelId).toBe("c1");
    expect(await reopened.listAutoAnswerChannels("g1")).toEqual(["c2"]);
  });

  it("replaced by another file: the stranger is moved aside and the bot's data written back", async () => {
    const store = openStore();
    await store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    const path = databaseFile();
    rmSync(path);
    writeFileSync(path, "not a database at all");
    const result = store.checkFile();
    expect(result.status === "restored" && result.problem).toBe("replaced");
    expect(store.checkFile()).toEqual({ status: "ok" });
    await store.close();
    const reopened = openStore();
    expect((await reopened.getDigest("g1"))?.channelId).toBe("c1");
  });

  it.skipIf(!canMount)("a full disk: the write fails as a StoreWriteError naming the full disk", async () => {
    const disk = smallDisk()!;
    const store = openStore(disk.dir);
    await store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    disk.fill();
    let failure: unknown;
    try {
      for (let day = 1; day <= 400; day++)
        await store.recordShown("g1", "term", `entry-${"x".repeat(200)}-${day}`, "2026-12-01");
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect((failure as StoreWriteError).kind).toBe("disk-full");
    expect((failure as Error).message).toMatch(/the disk holding .*stackbot\.sqlite is full/);
    disk.free();
    await store.setAutoAnswer("g1", "c2");
    expect(await store.listAutoAnswerChannels("g1")).toEqual(["c2"]);
  });

  it.skipIf(!canMount)("opening an existing database on a full disk says the disk is full", async () => {
    const disk = smallDisk()!;
    const store = openStore(disk.dir);
    await store.setDigest({ guildId: "g1", channelId: "c1", time: "09:00", timezone: "UTC" });
    await store.close();
    disk.fill();
    // SQLite says "disk I/O error" (SQLITE_IOERR_SHMSIZE) here; the free space shows it is a full disk.
    expect(openError(disk.dir).message).toMatch(/^The disk holding .*stackbot\.sqlite is full \(SQLITE_IOERR/);
  });
});
