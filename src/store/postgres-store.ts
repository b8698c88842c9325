import type { Kysely } from "kysely";
import type pg from "pg";
import { openPostgres, redactUrl } from "./open-postgres.ts";
import type { Database } from "./schema.ts";
import { SqlStore, type StoreOptions } from "./sql-store.ts";

export interface PostgresStoreOptions extends StoreOptions {
  poolSize?: number;
}

/** The store in PostgreSQL, shared by any number of instances: the same statements as SQLite's. */
export class PostgresStore extends SqlStore {
  readonly engine = "postgres";
  readonly shared = true;

  private constructor(
    db: Kysely<Database>,
    private readonly pool: pg.Pool,
    readonly location: string,
    now: () => Date,
  ) {
    // Ties in insertion order come from the identity column `seq` (see migration 2).
    super(db, now, "seq");
  }

  /** Connects and migrates; throws a StoreError naming what to fix. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { pool, db } = await openPostgres(url, options.poolSize);
    return new PostgresStore(db, pool, redactUrl(url), options.now ?? (() => new Date()));
  }

  override async close(): Promise<void> {
    await super.close();
    if (!this.pool.ended) await this.pool.end();
  }
}
