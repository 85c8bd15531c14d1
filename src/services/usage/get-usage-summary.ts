import type { Queryable } from "../../db/client";
import { readUsage } from "../../db/queries/usage";
import type { Config } from "../../env";
import type { Plan } from "../billing/get-plan";
import { dayPeriod, extremeSearchLimit, messageLimit, monthPeriod } from "./usage-periods";

export interface UsageCounterSummary {
  used: number;
  /** null = unlimited. */
  limit: number | null;
  /** ISO instant when the counter starts again at zero. */
  resetAt: string;
}

export interface UsageSummary {
  messages: UsageCounterSummary;
  extremeSearches: UsageCounterSummary;
}

/** Today's messages and this month's extreme searches against the plan's limits (the `usage` of GET /api/me). */
export async function getUsageSummary({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string; plan: Pick<Plan, "tier"> };
}): Promise<UsageSummary> {
  const now = ctx.now ?? new Date();
  const day = dayPeriod(now);
  const month = monthPeriod(now);
  // Sequential: the caller may pass an open transaction, which runs one statement at a time anyway.
  const messages = await readUsage(ctx.db, "message", { userId: input.userId, date: day.start });
  const searches = await readUsage(ctx.db, "extremeSearch", { userId: input.userId, date: month.start });
  return {
    messages: { used: messages, limit: messageLimit(ctx.config, input.plan), resetAt: day.resetAt.toISOString() },
    extremeSearches: {
      used: searches,
      limit: extremeSearchLimit(ctx.config, input.plan),
      resetAt: month.resetAt.toISOString(),
    },
  };
}
