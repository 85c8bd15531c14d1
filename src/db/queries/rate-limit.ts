import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../client";
import { rateLimit } from "../schema";

export interface RateRule {
  /** Seconds. */
  window: number;
  max: number;
}

/**
 * Counts one attempt under `key` in the same rows and by the same rule as better-auth's database rate
 * limiter (a window that restarts once `window` seconds pass without a counted attempt), in one
 * statement, so concurrent attempts can never get past `max`. Answers the seconds to wait when refused.
 */
export async function consumeRateLimit(
  db: Queryable,
  key: string,
  rule: RateRule,
  now = Date.now(),
): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
  const windowStart = now - rule.window * 1000;
  const counted = rowsOf<{ count: number }>(
    await db.execute(sql`
      insert into ${rateLimit} (id, key, count, last_request) values (${crypto.randomUUID()}, ${key}, 1, ${now})
      on conflict (key) do update set
        count = case when ${rateLimit.lastRequest} <= ${windowStart} then 1 else ${rateLimit.count} + 1 end,
        last_request = ${now}
      where ${rateLimit.lastRequest} <= ${windowStart} or ${rateLimit.count} < ${rule.max}
      returning count`),
  );
  if (counted.length > 0) return { allowed: true };
  const [row] = rowsOf<{ last_request: string | number }>(
    await db.execute(sql`select last_request from ${rateLimit} where key = ${key}`),
  );
  const lastRequest = Number(row?.last_request ?? now);
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((lastRequest + rule.window * 1000 - now) / 1000)) };
}

/** Takes back one counted attempt (one that turned out not to count against the rule). */
export async function returnRateLimit(db: Queryable, key: string): Promise<void> {
  await db.execute(sql`update ${rateLimit} set count = greatest(count - 1, 0) where key = ${key}`);
}
