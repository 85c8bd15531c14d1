import type { Queryable } from "../../db/client";
import { incrementUsageWithinLimit, readUsage, type UsageCounter } from "../../db/queries/usage";
import { AppError } from "../../lib/errors";
import type { UsagePeriod } from "./usage-periods";

const labels: Record<UsageCounter, string> = {
  message: "daily message",
  extremeSearch: "monthly extreme search",
};

/** Shared by reserveMessage and reserveExtremeSearch: count one use or refuse with 429 details. */
export async function reserveUsage(
  db: Queryable,
  counter: UsageCounter,
  input: { userId: string; period: UsagePeriod; limit: number | null; now: Date },
): Promise<number> {
  const { userId, period, limit, now } = input;
  const count = await incrementUsageWithinLimit(db, counter, {
    id: crypto.randomUUID(),
    userId,
    date: period.start,
    resetAt: period.resetAt,
    limit,
  });
  if (count !== null) return count;
  const used = await readUsage(db, counter, { userId, date: period.start });
  throw new AppError("USAGE_LIMIT_EXCEEDED", `You have used your ${labels[counter]} allowance`, {
    details: { limit, used, resetAt: period.resetAt.toISOString() },
    headers: { "Retry-After": String(Math.max(1, Math.ceil((period.resetAt.getTime() - now.getTime()) / 1000))) },
  });
}
