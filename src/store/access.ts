import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/**
 * How the queries reach the database: a read as it is, a write with its failure put in words (a
 * StoreWriteError) and counted. The store provides it, over whichever engine it opened.
 */
export interface SqlAccess {
  read<T>(query: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  write<T>(query: (db: Kysely<Database>) => Promise<T>): Promise<T>;
}

/** Rows an INSERT, UPDATE or DELETE changed, as Kysely reports them. */
export function changed(result: {
  numInsertedOrUpdatedRows?: bigint;
  numUpdatedRows?: bigint;
  numDeletedRows?: bigint;
}): number {
  return Number(result.numInsertedOrUpdatedRows ?? result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}
