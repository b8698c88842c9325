import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { detailOf, StoreError } from "./errors.ts";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "./migrations.ts";
import type { Database } from "./schema.ts";
import type { StoreEngine } from "./types.ts";

/**
 * Brings either engine's database to the latest schema with Kysely's Migrator, which records what
 * ran in its own table and, on PostgreSQL, holds an advisory lock so that of several instances
 * starting at once one migrates and the others wait. Returns the schema version; throws a
 * StoreError when the database is newer than this code or a migration failed, and the database's
 * own error (for the caller to put in words) when it cannot be reached or written at all.
 */
export async function migrate(db: Kysely<Database>, engine: StoreEngine, where: string): Promise<number> {
  const legacy = await legacyVersion(db, engine);
  if (legacy > LATEST_SCHEMA_VERSION) throw newerSchema(where, legacy);
  const migrator = migratorFor(db, engine, legacy);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const missing = /previously executed migration (\d+)\S* is missing/.exec(String((error as Error).message));
    if (missing) throw newerSchema(where, Number(missing[1]));
    // Kysely's own bookkeeping failed before any migration ran: not reachable, not allowed to create tables.
    if (!results?.length) throw error;
    const at = await schemaVersion(db, engine);
    throw new StoreError(
      `Upgrading the database ${where} from schema version ${at} failed (${detailOf(error)}). It was left at ` +
        `version ${at}, unchanged. Restore it from a backup or move it away, and report the error.`,
      where,
      { cause: error },
    );
  }
  return schemaVersion(db, engine);
}

/** How many of the migrations the database has run. */
export async function schemaVersion(db: Kysely<Database>, engine: StoreEngine): Promise<number> {
  const migrations = await migratorFor(db, engine, 0).getMigrations();
  const ran = migrations.filter((migration) => migration.executedAt !== undefined).length;
  return ran > 0 ? ran : legacyVersion(db, engine);
}

/**
 * A database made before the migrations moved to Kysely records its version itself (SQLite's
 * user_version, PostgreSQL's stackbot_schema): the migrations it ran are then recorded as done
 * without running again, and the rest run. Kysely re-reads what ran under its lock, so a database
 * another instance migrated meanwhile is not touched twice.
 */
function migratorFor(db: Kysely<Database>, engine: StoreEngine, legacy: number): Migrator {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        MIGRATIONS.map((migration): [string, Migration] => [
          migration.name,
          {
            up: async (trx) => {
              if (migration.version > legacy) await migration.up(trx, engine);
            },
          },
        ]),
      ),
  };
  return new Migrator({ db, provider });
}

async function legacyVersion(db: Kysely<Database>, engine: StoreEngine): Promise<number> {
  if (engine === "sqlite") {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return rows[0]?.user_version ?? 0;
  }
  const { rows: found } = await sql<{
    found: boolean;
  }>`SELECT to_regclass('stackbot_schema') IS NOT NULL AS found`.execute(db);
  if (!found[0]?.found) return 0;
  const { rows } = await sql<{ version: number }>`SELECT version FROM stackbot_schema`.execute(db);
  return rows[0]?.version ?? 0;
}

function newerSchema(where: string, version: number): StoreError {
  return new StoreError(
    `The database ${where} has schema version ${version}, but this version of Stackbot only knows versions up to ` +
      `${LATEST_SCHEMA_VERSION}: it was written by a newer Stackbot. Run that newer version (on every instance), or ` +
      "restore a backup made before the upgrade.",
    where,
  );
}
