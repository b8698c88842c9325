/**
 * The store could not be opened or used. The message is written for whoever runs the bot: what is
 * wrong, with which file, and what to do about it.
 */
export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

import type { WriteFailureKind } from "./types.ts";

/**
 * A write to the database failed while the bot runs: the disk is full, the file went bad, or the
 * disk itself failed. The message names the file and the cause in words, for the log and for admins.
 */
export class StoreWriteError extends Error {
  override readonly name = "StoreWriteError";

  constructor(
    message: string,
    readonly path: string,
    readonly kind: WriteFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static from(error: unknown, path: string): StoreWriteError {
    if (error instanceof StoreWriteError) return error;
    const code = String((error as { code?: unknown } | null)?.code ?? "");
    const detail = error instanceof Error ? error.message : String(error);
    if (code === "SQLITE_FULL" || code === POSTGRES_DISK_FULL) {
      return new StoreWriteError(`the disk holding ${path} is full (${detail}); free some space`, path, "disk-full", {
        cause: error,
      });
    }
    if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
      return new StoreWriteError(`the database ${path} could not be written (${code}: ${detail})`, path, "io", {
        cause: error,
      });
    }
    if (code === POSTGRES_IO_ERROR || code === "XX001" || code === "XX002") {
      return new StoreWriteError(`the database ${path} could not be written (${code}: ${detail})`, path, "io", {
        cause: error,
      });
    }
    if (databaseUnreachable(error)) {
      return new StoreWriteError(`the database server ${path} could not be reached (${detail})`, path, "unreachable", {
        cause: error,
      });
    }
    return new StoreWriteError(`the database ${path} could not be written (${detail})`, path, "other", {
      cause: error,
    });
  }
}

/** PostgreSQL's SQLSTATE for a full disk (disk_full) and for an I/O error (io_error). */
const POSTGRES_DISK_FULL = "53100";
const POSTGRES_IO_ERROR = "58030";
/** A server that is down, restarting or unreachable: node's socket codes, and pg's own timeouts. */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);

/** A database server that is down, restarting, unreachable or not answering in time (not a bad write). */
export function databaseUnreachable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const detail = error instanceof Error ? error.message : String(error);
  return (
    UNREACHABLE_CODES.has(code) ||
    code.startsWith("08") ||
    code.startsWith("57P") ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(detail)
  );
}

/** An error's message, with its code when the message does not already say it. */
export function detailOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return detailOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
