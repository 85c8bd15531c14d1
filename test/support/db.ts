import { env } from "cloudflare:workers";
import postgres from "postgres";
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
