import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject, onTestFinished } from "vitest";

/** The test run's PostgreSQL server (test/setup/postgres-server.ts), as an admin URL. */
export function postgresServerUrl(): string {
  return inject("postgresUrl");
}

/**
 * A new, empty database on the test server for one test, dropped when the test ends: tests in
 * parallel never see each other's rows.
 */
export async function freshDatabase(): Promise<string> {
  const admin = postgresServerUrl();
  const name = `stackbot_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  onTestFinished(async () => {
    await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
