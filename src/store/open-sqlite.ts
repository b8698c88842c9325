import { accessSync, constants, mkdirSync, statfsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { detailOf, StoreError } from "./errors.ts";
import { LATEST_SCHEMA_VERSION } from "./migrations.ts";

export const DATABASE_FILE_NAME = "stackbot.sqlite";

/**
 * Opens `<dataDir>/stackbot.sqlite` with its pragmas, checked, or throws a StoreError that tells the
 * operator what to do. Problems are found here, at startup, rather than at the first write hours
 * later. The schema is migrated after, by the migrator both engines share.
 */
export function openSqliteFile(dataDir: string): { db: Database.Database; file: string } {
  const file = join(dataDir, DATABASE_FILE_NAME);
  prepareDirectory(dataDir, file);

  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw describeSqliteFailure(error, file, dataDir);
  }
  try {
    configure(db, file);
    refuseNewer(db, file);
    return { db, file };
  } catch (error) {
    db.close();
    throw error instanceof StoreError ? error : describeSqliteFailure(error, file, dataDir);
  }
}

function prepareDirectory(dataDir: string, file: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StoreError(
      `Cannot create the data directory ${dataDir} (${detailOf(error)}). Create it yourself and give the bot's user ` +
        "write permission on it, or point the bot at another data directory.",
      dataDir,
      { cause: error },
    );
  }
  // SQLite creates its -wal and -shm files beside the database, so the directory must be writable too.
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StoreError(
      `The data directory ${dataDir} is not writable (${detailOf(error)}). Give the bot's user write permission ` +
        "on it, or point the bot at another data directory.",
      dataDir,
      { cause: error },
    );
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new StoreError(
      `The database file ${file} is not readable and writable (${detailOf(error)}). Give the bot's user read ` +
        "and write permission on it (and on any stackbot.sqlite-wal and -shm files beside it).",
      file,
      { cause: error },
    );
  }
}

function configure(db: Database.Database, file: string): void {
  db.pragma("busy_timeout = 5000");
  // The first statement that reads the file: a file that is not a database fails here.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const check = db.pragma("quick_check") as { quick_check: string }[];
  const problems = check.map((row) => row.quick_check).filter((result) => result !== "ok");
  if (problems.length > 0) {
    throw corrupt(file, `quick_check found: ${problems.slice(0, 3).join("; ")}`);
  }
}

/**
 * A file an earlier Stackbot made records its version in user_version; one newer than this code is
 * refused here, before anything touches it. (Versions Kysely records are checked when migrating.)
 */
function refuseNewer(db: Database.Database, file: string): void {
  const found = db.pragma("user_version", { simple: true }) as number;
  if (found > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      `The database ${file} has schema version ${found}, but this version of Stackbot only knows versions up to ` +
        `${LATEST_SCHEMA_VERSION}: it was written by a newer Stackbot. Run that newer version, or restore a backup ` +
        "made before the upgrade.",
      file,
    );
  }
}

export function describeSqliteFailure(error: unknown, file: string, dataDir: string): StoreError {
  const code = String((error as { code?: unknown }).code ?? "");
  const detail = detailOf(error);
  // SQLite often reports a full disk as a plain I/O error when opening: the free space tells.
  if (code === "SQLITE_FULL" || (code.startsWith("SQLITE_IOERR") && diskIsFull(dataDir))) {
    return new StoreError(`The disk holding ${file} is full (${detail}). Free some space and start again.`, file, {
      cause: error,
    });
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) return corrupt(file, detail, error);
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code === "SQLITE_PERM") {
    return new StoreError(
      `Cannot open the database ${file} for writing (${detail}). Make sure the bot's user can read and write the ` +
        `file and create files in ${dataDir}.`,
      file,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreError(
      `The database ${file} is locked by another process (${detail}). Is another copy of the bot running with the ` +
        "same data directory? Stop it and start again.",
      file,
      { cause: error },
    );
  }
  return new StoreError(`Cannot open the database ${file} (${detail}).`, file, { cause: error });
}

function corrupt(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    `The database file ${file} is not a usable SQLite database (${detail}). Stop the bot, then restore the file ` +
      "from a backup or move it away (with any stackbot.sqlite-wal and -shm files beside it); the bot creates a " +
      "new, empty database at its next start.",
    file,
    { cause },
  );
}

/** Less than this much free space is a full disk for SQLite, which needs room for its journal. */
const NEARLY_FULL_BYTES = 64 * 1024;

function diskIsFull(dir: string): boolean {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}
