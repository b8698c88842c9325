import { existsSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE } from "kysely";
import type pg from "pg";
import { detailOf, StoreError } from "./errors.ts";
import { openPostgres, redactUrl } from "./open-postgres.ts";
import { DATABASE_FILE_NAME } from "./open-sqlite.ts";
import { COPIED_TABLES, type CopiedTable, TABLES } from "./schema.ts";
import { openMigratedSqliteFile } from "./sqlite-store.ts";

export { COPIED_TABLES, type CopiedTable } from "./schema.ts";

/** Kysely's record of the migrations that ran: the target keeps its own. */
const MIGRATOR_TABLES = [DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE];

/** Tables that hold only the last half minute (repeated-answer claims): nothing worth moving. */
const FLEETING_TABLES: readonly string[] = TABLES.filter((entry) => entry.holds === "fleeting").map(
  (entry) => entry.table,
);

/** Rows per INSERT: a few thousand parameters, far below PostgreSQL's limit of 65535. */
const BATCH_ROWS = 500;

export interface CopyOptions {
  /** The directory holding stackbot.sqlite (DATA_DIR). */
  dataDir: string;
  /** The PostgreSQL database to copy into (DATABASE_URL). */
  databaseUrl: string;
}

export interface CopyResult {
  /** The SQLite file copied from. */
  from: string;
  /** The PostgreSQL URL copied into, without its password. */
  to: string;
  /** Rows copied, per table. */
  counts: Record<CopiedTable, number>;
}

/**
 * Copies the SQLite database in `dataDir` into the PostgreSQL database at `databaseUrl`, for moving
 * a bot from one engine to the other. The SQLite file is first brought to the latest schema, as is
 * PostgreSQL; the copy refuses a PostgreSQL database that already holds rows, and writes every
 * table in one transaction, checked by counting before COMMIT: it is copied entirely or not at all.
 * Throws a StoreError saying what to fix.
 */
export async function copySqliteToPostgres({ dataDir, databaseUrl }: CopyOptions): Promise<CopyResult> {
  const from = join(dataDir, DATABASE_FILE_NAME);
  if (!existsSync(from)) {
    throw new StoreError(
      `There is no SQLite database at ${from}. Set DATA_DIR to the directory that holds the bot's ${DATABASE_FILE_NAME}.`,
      from,
    );
  }
  const to = redactUrl(databaseUrl);
  const { db } = await openMigratedSqliteFile(dataDir);
  try {
    checkSourceSchema(db, from);
    const target = await openPostgres(databaseUrl, 1);
    try {
      const client = await target.pool.connect();
      try {
        return { from, to, counts: await copyAll(db, client, to) };
      } finally {
        client.release();
      }
    } finally {
      await target.db.destroy().catch(() => undefined);
    }
  } finally {
    db.close();
  }
}

/** A table or column this copy does not know would be left behind silently: refuse instead. */
function checkSourceSchema(db: Database.Database, file: string): void {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .map((row) => row.name)
    .filter((name) => !MIGRATOR_TABLES.includes(name) && !FLEETING_TABLES.includes(name));
  const known = COPIED_TABLES.map(({ table }) => table as string).sort();
  const problems: string[] = [];
  if (tables.join() !== known.join()) problems.push(`tables ${tables.join(", ")} instead of ${known.join(", ")}`);
  for (const { table, columns } of COPIED_TABLES) {
    if (!tables.includes(table)) continue;
    const found = db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
      .all()
      .map((row) => row.name);
    if (found.join() !== columns.join()) problems.push(`${table} has columns ${found.join(", ")}`);
  }
  if (problems.length > 0) {
    throw new StoreError(
      `The database ${file} does not have the schema this copy knows (${problems.join("; ")}). Nothing was ` +
        "copied; report this, with the Stackbot version you run.",
      file,
    );
  }
}

async function copyAll(db: Database.Database, client: pg.PoolClient, to: string): Promise<Record<CopiedTable, number>> {
  const counts = {} as Record<CopiedTable, number>;
  // One read transaction over SQLite: every table is read as of one moment, even if a bot still writes.
  db.exec("BEGIN");
  try {
    await client.query("BEGIN");
    try {
      // Nothing may write to the tables between the check that they are empty and COMMIT.
      await client.query(`LOCK TABLE ${COPIED_TABLES.map(({ table }) => table).join(", ")} IN EXCLUSIVE MODE`);
      await refuseRows(client, to);
      for (const { table, columns } of COPIED_TABLES) {
        counts[table] = await copyTable(db, client, table, columns);
      }
      await verifyCounts(db, client, counts, to);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error instanceof StoreError ? error : copyFailure(error, to);
    }
    try {
      await client.query("COMMIT");
    } catch (error) {
      throw new StoreError(
        `Committing the copy into ${to} failed (${detailOf(error)}). Run the command again: it refuses if the ` +
          "rows were written after all.",
        to,
        { cause: error },
      );
    }
    return counts;
  } finally {
    db.exec("COMMIT");
  }
}

/** The copy goes into an empty database only: a second run, or a bot already using it, would mix data. */
async function refuseRows(client: pg.PoolClient, to: string): Promise<void> {
  const found: string[] = [];
  for (const { table } of COPIED_TABLES) {
    const rows = await countRows(client, table);
    if (rows > 0) found.push(`${table}: ${rows} ${rows === 1 ? "row" : "rows"}`);
  }
  if (found.length > 0) {
    throw new StoreError(
      `The PostgreSQL database ${to} already holds Stackbot data (${found.join(", ")}); the copy only goes into an ` +
        "empty database, so nothing was written. Point DATABASE_URL at a new database, or empty this one first.",
      to,
    );
  }
}

async function copyTable(
  db: Database.Database,
  client: pg.PoolClient,
  table: CopiedTable,
  columns: readonly string[],
): Promise<number> {
  const select = db.prepare<[], unknown[]>(`SELECT ${columns.join(", ")} FROM ${table} ORDER BY rowid`).raw();
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.flat();
    const tuples = batch.map(
      (_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(", ")})`,
    );
    // Rows go in the order of VALUES, so an identity column numbers them in SQLite's order.
    await client.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, values);
    copied += batch.length;
    batch = [];
  };
  for (const row of select.iterate()) {
    batch.push(row);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  return copied;
}

/** Every row read from SQLite reached PostgreSQL, counted in the same transactions. */
async function verifyCounts(
  db: Database.Database,
  client: pg.PoolClient,
  copied: Record<CopiedTable, number>,
  to: string,
): Promise<void> {
  const source = countsOf(db);
  const problems: string[] = [];
  for (const { table } of COPIED_TABLES) {
    const target = await countRows(client, table);
    if (copied[table] !== source[table] || target !== source[table]) {
      problems.push(`${table}: ${source[table]} in SQLite, ${copied[table]} copied, ${target} in PostgreSQL`);
    }
  }
  if (problems.length > 0) {
    throw new StoreError(
      `The copy into ${to} did not match the SQLite database (${problems.join("; ")}), so it was rolled back and ` +
        "nothing was written.",
      to,
    );
  }
}

function countsOf(db: Database.Database): Record<CopiedTable, number> {
  const counts = {} as Record<CopiedTable, number>;
  for (const { table } of COPIED_TABLES) {
    counts[table] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()!.n;
  }
  return counts;
}

async function countRows(client: pg.PoolClient, table: CopiedTable): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

function copyFailure(error: unknown, to: string): StoreError {
  return new StoreError(
    `Copying into ${to} failed (${detailOf(error)}), so it was rolled back and nothing was written.`,
    to,
    { cause: error },
  );
}
