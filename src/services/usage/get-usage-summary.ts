import type { Queryable } from "../../db/client";
import { readUsage } from "../../db/queries/usage";
import type { Config } from "../../env";
import type { Plan } from "../billing/plan";
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

/** The usage report from counted values: the limits of the plan and when each counter resets. */
export function summarizeUsage(input: {
  config: Config;
  plan: Pick<Plan, "tier">;
  now: Date;
  messages: number;
  extremeSearches: number;
}): UsageSummary {
  return {
    messages: {
      used: input.messages,
      limit: messageLimit(input.config, input.plan),
      resetAt: dayPeriod(input.now).resetAt.toISOString(),
    },
    extremeSearches: {
      used: input.extremeSearches,
      limit: extremeSearchLimit(input.config, input.plan),
      resetAt: monthPeriod(input.now).resetAt.toISOString(),
    },
  };
}

/** Today's messages and this month's extreme searches against the plan's limits. */
export async function getUsageSummary({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string; plan: Pick<Plan, "tier"> };
}): Promise<UsageSummary> {
  const now = ctx.now ?? new Date();
  // Sequential: the caller may pass an open transaction, which runs one statement at a time anyway.
  const messages = await readUsage(ctx.db, "message", { userId: input.userId, date: dayPeriod(now).start });
  const searches = await readUsage(ctx.db, "extremeSearch", { userId: input.userId, date: monthPeriod(now).start });
  return summarizeUsage({ config: ctx.config, plan: input.plan, now, messages, extremeSearches: searches });
}
