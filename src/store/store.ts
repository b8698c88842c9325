import { PostgresStore } from "./postgres-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./types.ts";

export { databaseUnreachable, StoreError, StoreWriteError } from "./errors.ts";
export { PostgresStore } from "./postgres-store.ts";
export { SqliteStore } from "./sqlite-store.ts";
export type * from "./types.ts";

export interface StoreLocation {
  /** PostgreSQL when set; otherwise SQLite in DATA_DIR. */
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

/** Opens the store the configuration names, migrated to the latest schema; throws StoreError. */
export async function openStore(config: StoreLocation, options: { now?: () => Date } = {}): Promise<Store> {
  if (config.DATABASE_URL) return PostgresStore.open(config.DATABASE_URL, options);
  const store = SqliteStore.open(config.DATA_DIR, options);
  try {
    await store.migrated;
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
