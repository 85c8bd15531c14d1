import type { Queryable } from "../../db/client";
import type { Config } from "../../env";
import type { Plan } from "../billing/plan";
import { reserveUsage } from "./reserve-usage";
import { dayPeriod, messageLimit } from "./usage-periods";

/**
 * Counts one message for today (UTC) if the plan's daily limit allows it, atomically. Returns the new
 * count; throws USAGE_LIMIT_EXCEEDED (429) with `{ limit, used, resetAt }` otherwise.
 */
export async function reserveMessage({
  ctx,
  input,
}: {
  ctx: { db: Queryable; config: Config; now?: Date };
  input: { userId: string; plan: Pick<Plan, "tier"> };
}): Promise<number> {
  const now = ctx.now ?? new Date();
  return reserveUsage(ctx.db, "message", {
    userId: input.userId,
    period: dayPeriod(now),
    now,
    limit: messageLimit(ctx.config, input.plan),
  });
}
