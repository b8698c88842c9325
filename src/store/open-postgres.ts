import pg from "pg";
import { StoreError } from "./errors.ts";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from "./migrations.ts";

/** Any fixed number: every instance takes the same advisory lock, so one migrates while the others wait. */
const MIGRATION_LOCK_KEY = 0x57ac_b07;
const CONNECT_TIMEOUT_MS = 10_000;
/** No query waits forever on a server that stopped answering: it fails, and the caller's fallback runs. */
const QUERY_TIMEOUT_MS = 10_000;

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
 * tells the operator what to do. Several instances starting at once are safe: migrations run under
 * an advisory lock, each in a transaction with its version row.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<pg.Pool> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    // An idle connection the server dropped is replaced, not handed out broken.
    idleTimeoutMillis: 30_000,
    application_name: "stackbot",
  });
  // A connection lost while idle (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, where);
    } finally {
      client.release();
    }
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error instanceof StoreError ? error : describePostgresFailure(error, where);
  }
}

export async function readPostgresVersion(client: pg.ClientBase): Promise<number> {
  const table = await client.query<{ found: string | null }>("SELECT to_regclass('stackbot_schema') AS found");
  if (!table.rows[0]?.found) return 0;
  const row = await client.query<{ version: number }>("SELECT version FROM stackbot_schema");
  return row.rows[0]?.version ?? 0;
}

async function migrate(client: pg.PoolClient, where: string, migrations: readonly Migration[] = MIGRATIONS) {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await client.query(
      "CREATE TABLE IF NOT EXISTS stackbot_schema (version INTEGER NOT NULL, single BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (single))",
    );
    await client.query("INSERT INTO stackbot_schema (version) VALUES (0) ON CONFLICT DO NOTHING");
    let version = await readPostgresVersion(client);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        `The database ${where} has schema version ${version}, but this version of Stackbot only knows versions up to ` +
          `${LATEST_SCHEMA_VERSION}: it was written by a newer Stackbot. Run that newer version on every instance.`,
        where,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= version) continue;
      try {
        await client.query("BEGIN");
        await client.query(migration.postgres);
        await client.query("UPDATE stackbot_schema SET version = $1", [migration.version]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new StoreError(
          `Upgrading the database ${where} from schema version ${version} failed (${detailOf(error)}). It was left ` +
            `at version ${version}, unchanged. Restore it from a backup, and report the error.`,
          where,
          { cause: error },
        );
      }
      version = migration.version;
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
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

function detailOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return detailOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
