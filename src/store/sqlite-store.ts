import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteAdapter, SqliteDialect } from "kysely";
import { StoreError } from "./errors.ts";
import { migrate } from "./migrate.ts";
import { describeSqliteFailure, openSqliteFile } from "./open-sqlite.ts";
import type { Database } from "./schema.ts";
import { SqlStore, type StoreOptions } from "./sql-store.ts";
import { SqliteFileWatchdog } from "./sqlite-file-watchdog.ts";
import type { FileCheck } from "./types.ts";

export type { StoreOptions } from "./sql-store.ts";

/**
 * The store in one SQLite file, for one process (the default). Opening is synchronous: the file is
 * checked at once, and its migration, which Kysely runs asynchronously, finishes before the first
 * query runs (openStore waits for it, so a failed upgrade stops the bot at startup).
 */
export class SqliteStore extends SqlStore {
  readonly engine = "sqlite";
  readonly shared = false;
  private readonly watchdog: SqliteFileWatchdog;

  private constructor(
    private connection: BetterSqlite3.Database,
    readonly path: string,
    private readonly dataDir: string,
    /** Settles once the schema is at the latest version; rejects with a StoreError when it cannot be. */
    readonly migrated: Promise<void>,
    now: () => Date,
  ) {
    super(kyselyOver(connection, migrated), now, "rowid");
    this.watchdog = new SqliteFileWatchdog(path);
  }

  /** Opens (creating if needed) `<dataDir>/stackbot.sqlite` and starts migrating it; throws StoreError. */
  static open(dataDir: string, options: StoreOptions = {}): SqliteStore {
    const { db: connection, file } = openSqliteFile(dataDir);
    const migrated = migrateSqlite(connection, file, dataDir);
    // Reported by `migrated` and by every query, not as an unhandled rejection.
    migrated.catch(() => undefined);
    return new SqliteStore(connection, file, dataDir, migrated, options.now ?? (() => new Date()));
  }

  get location(): string {
    return this.path;
  }

  checkFile(): FileCheck {
    return this.watchdog.check(this.connection, () => {
      this.connection = openSqliteFile(this.dataDir).db;
      this.db = kyselyOver(this.connection, this.migrated);
    });
  }

  override async close(): Promise<void> {
    await this.migrated.catch(() => undefined);
    await super.close();
    // A store that never ran a query has not handed its connection to Kysely.
    if (this.connection.open) this.connection.close();
  }
}

/** Opens the file and migrates it, without a store around it: for the copy into PostgreSQL. */
export async function openMigratedSqlite(dataDir: string): Promise<Kysely<Database>> {
  const { db, file } = openSqliteFile(dataDir);
  try {
    await migrateSqlite(db, file, dataDir);
    return kyselyOver(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Stores opened on one file in this process (the tests' "instances") migrate it one after another:
 * better-sqlite3 waits for a lock synchronously, so two migrations interleaved in one thread would
 * wait on each other until SQLite gives up.
 */
const migratingFiles = new Map<string, Promise<void>>();

function migrateSqlite(connection: BetterSqlite3.Database, file: string, dataDir: string): Promise<void> {
  const run = (migratingFiles.get(file) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      try {
        await migrate(kyselyOver(connection), "sqlite", file);
      } catch (error) {
        throw error instanceof StoreError ? error : describeSqliteFailure(error, file, dataDir);
      }
    });
  migratingFiles.set(file, run);
  void run
    .finally(() => {
      if (migratingFiles.get(file) === run) migratingFiles.delete(file);
    })
    .catch(() => undefined);
  return run;
}

/**
 * Kysely over the one connection. SQLite's DDL is transactional, though Kysely's SQLite adapter does
 * not claim it: claimed here, the migrations of one start run in a single transaction, so a failed
 * upgrade leaves the file as it was. `ready` holds every query back until the schema is migrated.
 */
function kyselyOver(connection: BetterSqlite3.Database, ready?: Promise<void>): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new TransactionalSqliteDialect({
      database: connection,
      onCreateConnection: async () => {
        await ready;
      },
    }),
  });
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
