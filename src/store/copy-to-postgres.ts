import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Kysely, sql, type Transaction } from "kysely";
import { detailOf, StoreError } from "./errors.ts";
import { openPostgres, redactUrl } from "./open-postgres.ts";
import { DATABASE_FILE_NAME } from "./open-sqlite.ts";
import { COPIED_TABLES, type CopiedTable, type Database, TABLES } from "./schema.ts";
import { openMigratedSqlite } from "./sqlite-store.ts";

export { COPIED_TABLES, type CopiedTable } from "./schema.ts";

/** Tables that hold only the last half minute (repeated-answer claims): nothing worth moving. */
const FLEETING_TABLES: readonly string[] = TABLES.filter((entry) => entry.holds === "fleeting").map(
  (entry) => entry.table,
);

/** Any table by name, for copying them all with one loop; the names come from TABLES. */
type AnyTables = Record<string, Record<string, unknown>>;

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
  const source = await openMigratedSqlite(dataDir);
  try {
    await checkSourceSchema(source, from);
    const target = await openPostgres(databaseUrl, 1);
    try {
      // One read transaction over SQLite: every table is read as of one moment, even if a bot still writes.
      const counts = await source
        .transaction()
        .execute((reading) =>
          copyAll(reading as unknown as Kysely<AnyTables>, target.db as unknown as Kysely<AnyTables>, to),
        );
      return { from, to, counts };
    } finally {
      await target.db.destroy().catch(() => undefined);
    }
  } finally {
    await source.destroy();
  }
}

/** A table or column this copy does not know would be left behind silently: refuse instead. */
async function checkSourceSchema(source: Kysely<Database>, file: string): Promise<void> {
  const found = (await source.introspection.getTables()).filter((table) => !FLEETING_TABLES.includes(table.name));
  const tables = found.map((table) => table.name).sort();
  const known = COPIED_TABLES.map(({ table }) => table as string).sort();
  const problems: string[] = [];
  if (tables.join() !== known.join()) problems.push(`tables ${tables.join(", ")} instead of ${known.join(", ")}`);
  for (const { table, columns } of COPIED_TABLES) {
    const columnsFound = found.find((entry) => entry.name === table)?.columns.map((column) => column.name);
    if (columnsFound && columnsFound.join() !== columns.join()) {
      problems.push(`${table} has columns ${columnsFound.join(", ")}`);
    }
  }
  if (problems.length > 0) {
    throw new StoreError(
      `The database ${file} does not have the schema this copy knows (${problems.join("; ")}). Nothing was ` +
        "copied; report this, with the Stackbot version you run.",
      file,
    );
  }
}

async function copyAll(
  source: Kysely<AnyTables>,
  target: Kysely<AnyTables>,
  to: string,
): Promise<Record<CopiedTable, number>> {
  const counts = {} as Record<CopiedTable, number>;
  const writing = await target.startTransaction().execute();
  try {
    // Nothing may write to the tables between the check that they are empty and COMMIT.
    const tables = sql.join(COPIED_TABLES.map(({ table }) => sql.table(table)));
    await sql`LOCK TABLE ${tables} IN EXCLUSIVE MODE`.execute(writing);
    await refuseRows(writing, to);
    for (const { table, columns } of COPIED_TABLES) {
      counts[table] = await copyTable(source, writing, table, columns);
    }
    await verifyCounts(source, writing, counts, to);
  } catch (error) {
    await writing
      .rollback()
      .execute()
      .catch(() => undefined);
    throw error instanceof StoreError ? error : copyFailure(error, to);
  }
  try {
    await writing.commit().execute();
  } catch (error) {
    throw new StoreError(
      `Committing the copy into ${to} failed (${detailOf(error)}). Run the command again: it refuses if the ` +
        "rows were written after all.",
      to,
      { cause: error },
    );
  }
  return counts;
}

/** The copy goes into an empty database only: a second run, or a bot already using it, would mix data. */
async function refuseRows(target: Transaction<AnyTables>, to: string): Promise<void> {
  const found: string[] = [];
  for (const { table } of COPIED_TABLES) {
    const rows = await countRows(target, table);
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
  source: Kysely<AnyTables>,
  target: Transaction<AnyTables>,
  table: CopiedTable,
  columns: readonly string[],
): Promise<number> {
  let batch: Record<string, unknown>[] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    // Rows go in the order of VALUES, so an identity column numbers them in SQLite's order.
    await target.insertInto(table).values(batch).execute();
    copied += batch.length;
    batch = [];
  };
  // Read in SQLite's rowid order, the order the rows were inserted.
  for await (const row of source.selectFrom(table).select(columns).orderBy(sql.raw("rowid")).stream()) {
    batch.push(row);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  return copied;
}

/** Every row read from SQLite reached PostgreSQL, counted in the same transactions. */
async function verifyCounts(
  source: Kysely<AnyTables>,
  target: Transaction<AnyTables>,
  copied: Record<CopiedTable, number>,
  to: string,
): Promise<void> {
  const problems: string[] = [];
  for (const { table } of COPIED_TABLES) {
    const [inSource, inTarget] = [await countRows(source, table), await countRows(target, table)];
    if (copied[table] !== inSource || inTarget !== inSource) {
      problems.push(`${table}: ${inSource} in SQLite, ${copied[table]} copied, ${inTarget} in PostgreSQL`);
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

async function countRows(db: Kysely<AnyTables>, table: CopiedTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function copyFailure(error: unknown, to: string): StoreError {
  return new StoreError(
    `Copying into ${to} failed (${detailOf(error)}), so it was rolled back and nothing was written.`,
    to,
    { cause: error },
  );
}
