import { sql } from "drizzle-orm";
import { executeRead, type Queryable, rowsOf } from "../client";

/**
 * A round trip to the database itself: clock_timestamp() is volatile, so a caching pooler (Hyperdrive
 * with its cache on) cannot answer it without asking the database.
 */
export async function pingDatabase(db: Queryable): Promise<void> {
  await executeRead(db, sql`select clock_timestamp()`);
}

/** The newest migration the database has applied (drizzle-kit's bookkeeping), or null when none. */
export async function latestAppliedMigration(
  db: Queryable,
): Promise<{ applied: number; latestCreatedAt: number | null }> {
  const [probe] = rowsOf<{ exists: boolean }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`),
  );
  if (!probe?.exists) return { applied: 0, latestCreatedAt: null };
  const [row] = rowsOf<{ applied: number; latest: string | null }>(
    await db.execute(
      sql`select count(*)::int as applied, max(created_at)::text as latest from drizzle.__drizzle_migrations`,
    ),
  );
  return { applied: row?.applied ?? 0, latestCreatedAt: row?.latest == null ? null : Number(row.latest) };
}
