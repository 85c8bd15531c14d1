import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";

/** The two usage counters share one shape: a row per user and period with a count column. */
export type UsageCounter = "message" | "extremeSearch";

const counters = {
  message: { table: "message_usage", count: "message_count" },
  extremeSearch: { table: "extreme_search_usage", count: "search_count" },
} as const;

export interface CounterKey {
  userId: string;
  /** First instant of the period. */
  date: Date;
}

/**
 * Counts one use and checks the limit in one statement, so concurrent callers can never exceed it:
 * the conflicting row is locked and the `where` is evaluated on its latest version. A limit of 0 never
 * inserts. Null limit = unlimited (still counted). Returns the new count, or null when refused.
 */
export async function incrementUsageWithinLimit(
  db: Queryable,
  counter: UsageCounter,
  input: CounterKey & { id: string; resetAt: Date; limit: number | null },
): Promise<number | null> {
  const { table, count } = counters[counter];
  const t = sql.identifier(table);
  const c = sql.identifier(count);
  const limit = sql`${input.limit}::int`;
  const rows = rowsOf<{ count: number }>(
    await db.execute(sql`
      insert into ${t} as u (id, user_id, ${c}, date, reset_at)
      select ${input.id}, ${input.userId}, 1, ${input.date.toISOString()}::timestamptz, ${input.resetAt.toISOString()}::timestamptz
      where ${limit} is null or ${limit} > 0
      on conflict (user_id, date) do update
        set ${c} = u.${c} + 1, updated_at = now()
        where ${limit} is null or u.${c} < ${limit}
      returning u.${c} as count`),
  );
  const row = rows[0];
  return row ? Number(row.count) : null;
}

/** Gives one use back, never below zero. Returns the new count (0 when there was nothing to give back). */
export async function decrementUsage(db: Queryable, counter: UsageCounter, key: CounterKey): Promise<number> {
  const { table, count } = counters[counter];
  const t = sql.identifier(table);
  const c = sql.identifier(count);
  const rows = rowsOf<{ count: number }>(
    await db.execute(sql`
      update ${t} set ${c} = ${c} - 1, updated_at = now()
      where user_id = ${key.userId} and date = ${key.date.toISOString()}::timestamptz and ${c} > 0
      returning ${c} as count`),
  );
  return rows[0] ? Number(rows[0].count) : 0;
}

/** The count for a user and period; 0 when no row exists yet. */
export async function readUsage(db: Queryable, counter: UsageCounter, key: CounterKey): Promise<number> {
  const { table, count } = counters[counter];
  const rows = rowsOf<{ count: number }>(
    await db.execute(sql`
      select ${sql.identifier(count)} as count from ${sql.identifier(table)}
      where user_id = ${key.userId} and date = ${key.date.toISOString()}::timestamptz`),
  );
  return rows[0] ? Number(rows[0].count) : 0;
}

/** Deletes message counters of days before `before`; returns how many rows went. */
export async function deleteMessageUsageBefore(db: Queryable, before: Date): Promise<number> {
  const rows = rowsOf<{ deleted: number }>(
    await db.execute(sql`
      with gone as (delete from message_usage where date < ${before.toISOString()}::timestamptz returning 1)
      select count(*)::int as deleted from gone`),
  );
  return Number(rows[0]?.deleted ?? 0);
}
