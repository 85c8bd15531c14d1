import { env } from "cloudflare:workers";
import postgres from "postgres";
import { afterAll } from "vitest";
import { createDb, type DbHandle } from "../../src/db/client";

/** The test database's connection string (the Worker reaches it through the Hyperdrive binding). */
export function databaseUrl(): string {
  const hyperdrive = env.HYPERDRIVE;
  if (!hyperdrive) throw new Error("The test Worker has no HYPERDRIVE binding");
  return hyperdrive.connectionString;
}

/** A raw SQL client for asserting database state; end it in afterAll. */
export function testSql(): postgres.Sql {
  return postgres(databaseUrl(), { max: 2, fetch_types: false, onnotice: () => {} });
}

/** A Drizzle client like the Worker's, for calling services directly; close it in afterAll. */
export function testDb(): DbHandle {
  return createDb({ HYPERDRIVE: env.HYPERDRIVE });
}

export interface TestDatabase {
  /** Raw SQL, for asserting database state. */
  sql: postgres.Sql;
  /** Drizzle with the app's schema, for factories and for calling services directly. */
  db: DbHandle["db"];
  /** The Drizzle client's handle, for code that takes one. */
  handle: DbHandle;
  /** One more Drizzle client (say, for two dispatchers at once), closed with the others. */
  newHandle(): DbHandle;
}

/**
 * The database clients of a test file, ended after its last test. Rows are not deleted between tests:
 * files run in parallel against one database, so tests stay apart by their own fresh ids instead.
 */
export function useTestDatabase(): TestDatabase {
  const sql = testSql();
  const handle = testDb();
  const handles = [handle];
  afterAll(async () => {
    await Promise.all([sql.end(), ...handles.map((each) => each.close())]);
  });
  return {
    sql,
    db: handle.db,
    handle,
    newHandle() {
      const extra = testDb();
      handles.push(extra);
      return extra;
    },
  };
}
