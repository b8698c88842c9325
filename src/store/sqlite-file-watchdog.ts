import { closeSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import type Database from "better-sqlite3";
import type { FileCheck } from "./types.ts";

/**
 * Watches the SQLite file under the running bot. When the file at the path was deleted or replaced
 * (or its header overwritten), the open connection still holds the data: it is copied back to the
 * path, the file found there moved aside, and the caller reopens its connection on the copy.
 */
export class SqliteFileWatchdog {
  /** The file the connection was opened on: a different one at the path means it was replaced. */
  private identity: FileIdentity | null;

  constructor(private readonly path: string) {
    this.identity = fileIdentity(path);
  }

  /** Puts the file back from `connection` when needed; `reopen` is called once it is back. */
  check(connection: Database.Database, reopen: () => void): FileCheck {
    const now = fileIdentity(this.path);
    const problem = !now
      ? "deleted"
      : this.identity && (now.dev !== this.identity.dev || now.ino !== this.identity.ino)
        ? "replaced"
        : !hasSqliteHeader(this.path)
          ? "overwritten"
          : null;
    if (!problem) return { status: "ok" };
    const copy = `${this.path}.restoring-${process.pid}`;
    try {
      rmSync(copy, { force: true });
      // VACUUM INTO copies every page the connection can read, in one synchronous step.
      connection.prepare("VACUUM INTO ?").run(copy);
    } catch (error) {
      rmSync(copy, { force: true });
      return { status: "lost", problem, error: error instanceof Error ? error.message : String(error) };
    }
    connection.close();
    const movedAside = problem === "deleted" ? null : `${this.path}.${problem}-${Date.now()}`;
    if (movedAside) renameSync(this.path, movedAside);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${this.path}${suffix}`, { force: true });
    renameSync(copy, this.path);
    reopen();
    this.identity = fileIdentity(this.path);
    return { status: "restored", problem, movedAside };
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function fileIdentity(path: string): FileIdentity | null {
  try {
    const stats = statSync(path);
    return { dev: stats.dev, ino: stats.ino };
  } catch {
    return null;
  }
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

function hasSqliteHeader(path: string): boolean {
  try {
    const handle = openSync(path, "r");
    try {
      const header = Buffer.alloc(SQLITE_HEADER.length);
      const read = readSync(handle, header, 0, header.length, 0);
      // A database with no page written yet is empty; that is not damage.
      return read === 0 || header.equals(SQLITE_HEADER);
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}
