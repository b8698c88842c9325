import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { detailOf, StoreError } from "./errors.ts";
import { migrate } from "./migrate.ts";
import type { Database } from "./schema.ts";

const CONNECT_TIMEOUT_MS = 10_000;
/** No query waits forever on a server that stopped answering: it fails, and the caller's fallback runs. */
const QUERY_TIMEOUT_MS = 10_000;

/** BIGINT columns hold epoch milliseconds and counts, far inside a number's exact range: read them as numbers. */
const BIGINT_AS_NUMBER = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The URL as the log and messages show it: never the password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the DATABASE_URL";
  }
}

/**
 * Connects to PostgreSQL and brings its schema to the latest version, or throws a StoreError that
 * tells the operator what to do. Several instances starting at once are safe: Kysely's migrator
 * holds an advisory lock, so one migrates while the others wait.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<{ pool: pg.Pool; db: Kysely<Database> }> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    // An idle connection the server dropped is replaced, not handed out broken.
    idleTimeoutMillis: 30_000,
    application_name: "stackbot",
    types: BIGINT_AS_NUMBER,
  });
  // A connection lost while idle (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Reaching the server and logging in first, so those failures are described as such.
    await sql`SELECT 1`.execute(db);
    await migrate(db, "postgres", where);
    return { pool, db };
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (!pool.ended) await pool.end().catch(() => undefined);
    throw error instanceof StoreError ? error : describePostgresFailure(error, where);
  }
}

/** What went wrong reaching PostgreSQL, in words an operator can act on. */
export function describePostgresFailure(error: unknown, where: string): StoreError {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const detail = detailOf(error);
  const fix = (text: string) => new StoreError(text, where, { cause: error });
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ETIMEDOUT" || /timeout/i.test(detail)) {
    return fix(
      `Cannot reach PostgreSQL at ${where} (${detail}). Is the server running and listening there? Check ` +
        "DATABASE_URL's host and port.",
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return fix(`Cannot find the PostgreSQL host in ${where} (${detail}). Check DATABASE_URL's host name.`);
  }
  if (code === "28P01" || code === "28000") {
    return fix(
      `PostgreSQL refused the login for ${where} (${detail}). Check the user name and password in DATABASE_URL.`,
    );
  }
  if (code === "3D000") {
    return fix(
      `The database named in ${where} does not exist (${detail}). Create it (createdb, or CREATE DATABASE) and ` +
        "start again.",
    );
  }
  if (code === "42501") {
    return fix(
      `The user in ${where} may not create tables (${detail}). Grant it CREATE on the database's schema, or use ` +
        "the database's owner.",
    );
  }
  return fix(`Cannot open the database ${where} (${detail}).`);
}
