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

export type WriteFailureKind = "disk-full" | "io" | "other";

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
    if (code === "SQLITE_FULL") {
      return new StoreWriteError(`the disk holding ${path} is full (${detail}); free some space`, path, "disk-full", {
        cause: error,
      });
    }
    if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
      return new StoreWriteError(`the database ${path} could not be written (${code}: ${detail})`, path, "io", {
        cause: error,
      });
    }
    return new StoreWriteError(`the database ${path} could not be written (${detail})`, path, "other", {
      cause: error,
    });
  }
}
