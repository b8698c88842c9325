import { type Kysely, sql } from "kysely";
import type pg from "pg";
import { openPostgres, redactUrl } from "./open-postgres.ts";
import { DIGEST_SETTINGS_CHANNEL, NoticeListener } from "./postgres-notices.ts";
import type { Database } from "./schema.ts";
import { SqlStore, type StoreOptions } from "./sql-store.ts";

export interface PostgresStoreOptions extends StoreOptions {
  poolSize?: number;
}

/** The store in PostgreSQL, shared by any number of instances: the same statements as SQLite's. */
export class PostgresStore extends SqlStore {
  readonly engine = "postgres";
  readonly shared = true;

  private readonly listeners = new Set<NoticeListener>();

  private constructor(
    db: Kysely<Database>,
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly url: string,
    now: () => Date,
  ) {
    // Ties in insertion order come from the identity column `seq` (see migration 2).
    super(db, now, "seq");
  }

  /** Connects and migrates; throws a StoreError naming what to fix. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { pool, db } = await openPostgres(url, options.poolSize);
    return new PostgresStore(db, pool, redactUrl(url), url, options.now ?? (() => new Date()));
  }

  /**
   * Calls `onChange` soon after any instance changes a server's digest settings, so each can
   * reschedule before the next due time; returns how to stop listening.
   */
  async watchDigestChanges(onChange: () => void): Promise<() => Promise<void>> {
    const listener = new NoticeListener(this.url, DIGEST_SETTINGS_CHANNEL, onChange);
    this.listeners.add(listener);
    // Listening starts in the background: a slow server must not hold up the bot's start.
    void listener.start();
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  /** Tells the other instances; a lost notice only delays them until their next periodic re-read. */
  protected override async digestSettingsChanged(): Promise<void> {
    await sql`SELECT pg_notify(${DIGEST_SETTINGS_CHANNEL}, '')`.execute(this.db).catch(() => undefined);
  }

  override async close(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.stop()));
    this.listeners.clear();
    await super.close();
    if (!this.pool.ended) await this.pool.end();
  }
}
