import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { rateLimit } from "../schema";

/**
 * Counts one use under `key` in a fixed window, in one statement, so concurrent callers can never get
 * past `limit`. Kept in the `rate_limit` table beside better-auth's counters (its keys never start the
 * way these do), with `last_request` holding when the current window began: a window ends `windowMs`
 * after its first use, however the uses are spread over it. Answers when the window ends if refused.
 */
export async function countInWindow(
  db: Queryable,
  input: { key: string; limit: number; windowMs: number; now: Date },
): Promise<{ allowed: true } | { allowed: false; resetAt: Date }> {
  const now = input.now.getTime();
  const windowStart = now - input.windowMs;
  const counted = rowsOf<{ count: number }>(
    await db.execute(sql`
      insert into ${rateLimit} (id, key, count, last_request) values (${crypto.randomUUID()}, ${input.key}, 1, ${now})
      on conflict (key) do update set
        count = case when ${rateLimit.lastRequest} <= ${windowStart} then 1 else ${rateLimit.count} + 1 end,
        last_request = case when ${rateLimit.lastRequest} <= ${windowStart} then ${now} else ${rateLimit.lastRequest} end
      where ${rateLimit.lastRequest} <= ${windowStart} or ${rateLimit.count} < ${input.limit}
      returning count`),
  );
  if (counted.length > 0) return { allowed: true };
  const [row] = rowsOf<{ last_request: string | number }>(
    await db.execute(sql`select last_request from ${rateLimit} where key = ${input.key}`),
  );
  return { allowed: false, resetAt: new Date(Number(row?.last_request ?? now) + input.windowMs) };
}

/** Gives back one use counted under `key` (one that did not happen after all). */
export async function uncountInWindow(db: Queryable, key: string): Promise<void> {
  await db.execute(sql`update ${rateLimit} set count = greatest(count - 1, 0) where key = ${key}`);
}
